"""The template helpers of lore.templatetags.lore_tags that write text Django could write itself."""

import datetime

import pytest
from django.template import Context, Template
from django.utils.dateformat import format as format_date

from lore.models import Film
from lore.templatetags.lore_tags import fuzzy_date, last_edited

DATES = [datetime.date(2023, 3, 24), datetime.date(2014, 10, 1), datetime.date(1999, 12, 31)]


@pytest.mark.parametrize("value", DATES)
@pytest.mark.parametrize(
    ("precision", "django_format"), [("day", "j F Y"), ("month", "F Y"), ("year", "Y"), ("decade", "j F Y")]
)
def test_fuzzy_date_writes_what_django_date_format_writes(value, precision, django_format):
    assert fuzzy_date(value, precision) == format_date(value, django_format)


def test_fuzzy_date_at_each_precision():
    assert fuzzy_date(datetime.date(2023, 3, 24)) == "24 March 2023"
    assert fuzzy_date(datetime.date(2023, 3, 24), "month") == "March 2023"
    assert fuzzy_date(datetime.date(2018, 1, 1), "year") == "2018"


@pytest.mark.parametrize("value", [None, ""])
def test_fuzzy_date_of_no_date_is_empty(value):
    assert fuzzy_date(value, "day") == ""


LAST_EDITED = datetime.datetime(2026, 1, 1, 3, 30, 15, 250, tzinfo=datetime.UTC)


@pytest.mark.parametrize("time_zone", ["UTC", "America/New_York"])
def test_last_edited_writes_the_time_as_the_date_filter_writes_it(settings, time_zone):
    # The date filter shows an aware datetime in the site's time zone: in New York that is the day before.
    settings.TIME_ZONE = time_zone
    film = Film(slug="ballerina", updated_at=LAST_EDITED)
    iso, day = Template("{{ d|date:'c' }}|{{ d|date:'j F Y' }}").render(Context({"d": LAST_EDITED})).split("|")
    assert day == ("1 January 2026" if time_zone == "UTC" else "31 December 2025")
    assert last_edited(film) == (
        f'<p class="last-edited"><a href="/history/film/ballerina/">Last edited on <time datetime="{iso}">{day}</time>'
        " · page history</a></p>"
    )


def test_last_edited_without_a_history_address_is_plain_text():
    line = last_edited(Film(slug="café", updated_at=LAST_EDITED))
    time = '<time datetime="2026-01-01T03:30:15.000250+00:00">1 January 2026</time>'
    assert line == f'<p class="last-edited">Last edited on {time}</p>'


def test_named_url_gives_what_the_url_tag_gives():
    names = ["lore:home", "lore:film-list", "lore:timeline", "lore:search"]
    source = "{% load lore_tags %}" + "|".join(f"{{% named_url '{name}' %}}" for name in names)
    expected = "|".join(f"{{% url '{name}' %}}" for name in names)
    assert Template(source).render(Context()) == Template(expected).render(Context())
