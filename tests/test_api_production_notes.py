"""/api/v1/production-notes/: statements about the making of a film, by film, speaker, topic and source."""

import pytest

from lore.models import ProductionNote
from tests.api_helpers import api_get, assert_error, count_queries


def slugs(response):
    return [record["slug"] for record in response.json()["results"]]


def test_a_note_gives_its_film_speaker_and_source_as_its_reference(client, read_only_john_wick):
    note = api_get(client, "/api/v1/production-notes/not-rushed/").json()

    assert note["film"]["slug"] == "ballerina" and note["topic"] == "development"
    assert note["speaker"]["name"] == "Erica Lee"
    assert note["quote"]
    assert note["source"]["slug"] == "ballerina-producer-article"
    assert [r["slug"] for r in note["references"]] == ["ballerina-producer-article"]
    assert note["html_url"] == "http://testserver/notes/not-rushed/"


def test_a_note_without_a_speaker_says_so_with_null(client, read_only_john_wick):
    note = api_get(client, "/api/v1/production-notes/no-release-date/").json()

    assert note["speaker"] is None and note["occurred_on"] == "2023-03-01"


FILTERS = [
    ({"film": "john-wick-chapter-4"}, 1),
    ({"film": "ballerina", "topic": "development"}, 3),
    ({"speaker": "erica-lee"}, 11),
    ({"source": "ballerina-producer-article", "franchise": "john-wick"}, 13),
    ({"topic": "release", "search": "theaters"}, 1),
    ({"source": "slashfilm-erica-lee-interview"}, 0),
]


def test_each_note_filter_narrows_the_list(client, read_only_john_wick):
    for params, count in FILTERS:
        assert api_get(client, "/api/v1/production-notes/", params).json()["count"] == count, params


def test_notes_order_by_when_they_happened(client, read_only_john_wick):
    found = slugs(
        api_get(client, "/api/v1/production-notes/", {"ordering": "-occurred_on,headline", "topic": "development"})
    )

    assert found[0] == "developed-after-chapter-3-shot"


def test_note_list_keeps_each_films_notes_together_in_slug_order(client, world):
    world(3)
    film_of = dict(ProductionNote.objects.values_list("slug", "film_id"))

    keys = [(film_of[slug], slug) for slug in slugs(api_get(client, "/api/v1/production-notes/"))]
    assert keys == sorted(keys)
    assert len({film for film, _ in keys}) > 1


@pytest.mark.parametrize(
    ("params", "parameter"), [({"topic": "gossip"}, "topic"), ({"ordering": "speaker"}, "ordering")]
)
def test_an_invalid_note_parameter_is_a_400_naming_it(client, db, params, parameter):
    assert_error(api_get(client, "/api/v1/production-notes/", params, status=400), 400, parameter)


@pytest.mark.parametrize("size", [2, 8])
def test_note_list_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, size):
    world(size)
    # the count (count_queries()), notes with film, speaker and source joined
    with django_assert_max_num_queries(count_queries() + 1):
        api_get(client, "/api/v1/production-notes/")


@pytest.mark.parametrize("size", [2, 8])
def test_note_detail_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, size):
    note = world(size).films.first().production_notes.first()
    # the note with film, speaker and source joined
    with django_assert_max_num_queries(1):
        api_get(client, f"/api/v1/production-notes/{note.slug}/")
