import json
from pathlib import Path

import pytest
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.base import DeserializationError
from django.db import IntegrityError

from lore.models import (
    Appearance,
    Character,
    Citation,
    Credit,
    Film,
    Franchise,
    Location,
    Organization,
    Person,
    ProductionNote,
    Source,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Franchise,
    Film,
    Person,
    Credit,
    Character,
    Appearance,
    Location,
    Organization,
    Source,
    ProductionNote,
    Citation,
]
ARTICLE = "ballerina-producer-article"


def snapshot():
    """Every lore row by natural key, without the bookkeeping timestamp."""
    rows = {}
    for model in MODELS:
        data = json.loads(
            serializers.serialize(
                "json", model.objects.all(), use_natural_foreign_keys=True, use_natural_primary_keys=True
            )
        )
        for row in data:
            row["fields"].pop("updated_at", None)
        rows[model.__name__] = sorted(json.dumps(row, sort_keys=True) for row in data)
    return rows


def test_ballerina_is_a_spinoff_of_the_wick_series_with_no_release_date(john_wick):
    ballerina = Film.objects.get(slug="ballerina")
    assert ballerina.kind == Film.Kind.SPINOFF
    assert ballerina.release_date is None
    assert ballerina.status != Film.Status.RELEASED
    assert ballerina.spun_off_from.franchise == ballerina.franchise
    assert ballerina.franchise.slug == "john-wick"


def test_the_four_john_wick_films_are_released_in_order(john_wick):
    mains = Film.objects.filter(kind=Film.Kind.MAIN).order_by("release_order")
    assert [film.release_order for film in mains] == [1, 2, 3, 4]
    assert all(film.status == Film.Status.RELEASED and film.release_date for film in mains)


def test_ana_de_armas_is_credited_on_ballerina_and_erica_lee_produced_it(john_wick):
    ana = Credit.objects.get(film__slug="ballerina", person__slug="ana-de-armas")
    assert ana.role == Credit.Role.ACTOR and ana.character.name == "Eve Macarro"
    assert Credit.objects.filter(film__slug="ballerina", person__slug="erica-lee", role=Credit.Role.PRODUCER).exists()
    assert Credit.objects.filter(film__slug="john-wick-2014", person__slug="keanu-reeves", character__slug="john-wick")


def test_every_production_note_cites_the_article_and_erica_lee_makes_at_least_seven(john_wick):
    notes = ProductionNote.objects.all()
    assert notes.count() >= 7
    assert all(note.source.slug == ARTICLE for note in notes)
    assert ProductionNote.objects.filter(speaker__slug="erica-lee").count() >= 7
    for note in notes.exclude(quote=""):
        assert note.speaker is not None


def test_the_article_is_a_source_that_relays_the_slashfilm_interview(john_wick):
    article = Source.objects.get(slug=ARTICLE)
    assert article.kind == Source.Kind.ARTICLE
    assert article.relays.publisher == "/Film"


def test_ballerinas_setting_organizations_and_cameos_are_recorded(john_wick):
    ballerina = Film.objects.get(slug="ballerina")
    assert "europe" in ballerina.locations.values_list("slug", flat=True)
    assert {"high-table", "the-continental"} <= set(ballerina.organizations.values_list("slug", flat=True))
    assert ballerina.appearances.filter(type=Appearance.Type.CAMEO).count() >= 2
    assert Citation.objects.filter(location__slug="europe", source__slug=ARTICLE).exists()


def test_general_knowledge_is_marked_uncited(john_wick):
    assert Film.objects.get(slug="john-wick-2014").uncited_note
    assert not Citation.objects.filter(film__slug="john-wick-2014").exists()


def test_loading_the_fixtures_twice_changes_nothing(john_wick):
    first = snapshot()
    call_command("loaddata", "john_wick", verbosity=0)
    assert snapshot() == first


def test_a_malformed_fixture_is_rejected_and_leaves_the_database_as_it_was(john_wick, tmp_path):
    before = snapshot()
    good = json.loads(Path("fixtures/john_wick.json").read_text())
    broken = good[:10] + [
        {"model": "lore.film", "fields": {"title": "Dangling", "slug": "dangling", "franchise": ["no-such-franchise"]}}
    ]
    broken[0]["fields"]["summary"] = "This edit must not survive."
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    # SQLite and PostgreSQL report the dangling reference differently; both must roll back.
    with pytest.raises((CommandError, IntegrityError, DeserializationError)):
        call_command("loaddata", str(path), verbosity=0)
    assert snapshot() == before


def test_a_truncated_fixture_is_rejected_and_leaves_the_database_as_it_was(john_wick, tmp_path):
    before = snapshot()
    path = tmp_path / "truncated.json"
    path.write_text(Path("fixtures/john_wick.json").read_text()[:5000])
    with pytest.raises(DeserializationError):
        call_command("loaddata", str(path), verbosity=0)
    assert snapshot() == before
