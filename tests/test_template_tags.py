"""The template helpers of lore.templatetags.lore_tags that write text Django could write itself."""

import datetime

import pytest
from django.utils.dateformat import format as format_date

from lore.templatetags.lore_tags import fuzzy_date

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
