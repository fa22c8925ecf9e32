"""/api/v1/films/: the list with its filters, and one film with everything its page shows."""

import pytest

from tests.api_helpers import api_get, assert_error, count_queries


def slugs(response):
    return [record["slug"] for record in response.json()["results"]]


def test_film_list_gives_every_film_with_typed_values_and_addresses(client, read_only_john_wick):
    body = api_get(client, "/api/v1/films/").json()

    assert body["count"] == 5 and body["next"] is None and body["previous"] is None
    first = body["results"][0]
    assert first["slug"] == "john-wick-2014"
    assert first["url"] == "http://testserver/api/v1/films/john-wick-2014/"
    assert first["html_url"] == "http://testserver/films/john-wick-2014/"
    assert first["release_date"] == "2014-10-24"
    assert first["kind"] == "main" and first["status"] == "released"
    assert first["franchise"] == {
        "slug": "john-wick",
        "name": "John Wick",
        "url": "http://testserver/api/v1/franchises/john-wick/",
    }
    assert {"references", "uncited_note", "updated_at"} <= set(first)


def test_ballerina_names_its_star_its_producer_and_the_film_it_spun_off_from(client, read_only_john_wick):
    film = api_get(client, "/api/v1/films/ballerina/").json()

    assert film["kind"] == "spinoff" and film["release_date"] is None
    assert film["spun_off_from"]["slug"] == "john-wick-chapter-3-parabellum"
    credits = {(c["person"]["name"], c["role"]) for c in film["credits"]}
    assert ("Ana de Armas", "actor") in credits
    assert ("Erica Lee", "producer") in credits
    lead = next(c for c in film["credits"] if c["person"]["slug"] == "ana-de-armas")
    assert lead["character"]["slug"] == "eve-macarro"
    assert lead["url"].endswith("/api/v1/credits/ballerina~ana-de-armas~actor~eve-macarro/")
    assert {"character", "type"} <= set(film["characters"][0])
    assert any(location["slug"] == "europe" for location in film["locations"])
    assert film["production_notes"] and film["references"]
    assert film["references"][0]["slug"] == "ballerina-producer-article"


def test_parabellum_lists_ballerina_among_its_spinoffs(client, read_only_john_wick):
    film = api_get(client, "/api/v1/films/john-wick-chapter-3-parabellum/").json()

    assert [spinoff["slug"] for spinoff in film["spinoffs"]] == ["ballerina"]


def test_an_unknown_film_is_a_json_404(client, read_only_john_wick):
    assert_error(api_get(client, "/api/v1/films/no-such-film/", status=404), 404)


FILTERS = [
    ({"kind": "spinoff"}, ["ballerina"]),
    ({"status": "in_development"}, ["ballerina"]),
    ({"spun_off_from": "john-wick-chapter-3-parabellum"}, ["ballerina"]),
    (
        {"franchise": "john-wick", "release_year_min": "2019", "release_year_max": "2023"},
        ["john-wick-chapter-3-parabellum", "john-wick-chapter-4"],
    ),
    ({"release_year_min": "2017", "release_year_max": "2017"}, ["john-wick-chapter-2"]),
    ({"franchise": "no-such-franchise"}, []),
    ({"search": "chapter 4"}, ["john-wick-chapter-4"]),
    (
        {"released_after": "2017-02-10", "released_before": "2019-05-17"},
        ["john-wick-chapter-2", "john-wick-chapter-3-parabellum"],
    ),
]


def test_each_film_filter_narrows_the_list(client, read_only_john_wick):
    for params, expected in FILTERS:
        assert slugs(api_get(client, "/api/v1/films/", params)) == expected, params


def test_films_order_by_any_listed_field_either_way(client, read_only_john_wick):
    newest_first = slugs(api_get(client, "/api/v1/films/", {"ordering": "-release_date"}))
    oldest_first = slugs(api_get(client, "/api/v1/films/", {"ordering": "release_date"}))
    by_title = slugs(api_get(client, "/api/v1/films/", {"ordering": "title"}))

    # Ballerina has no release date: last either way, on every database
    assert newest_first == [
        "john-wick-chapter-4",
        "john-wick-chapter-3-parabellum",
        "john-wick-chapter-2",
        "john-wick-2014",
        "ballerina",
    ]
    assert oldest_first == [
        "john-wick-2014",
        "john-wick-chapter-2",
        "john-wick-chapter-3-parabellum",
        "john-wick-chapter-4",
        "ballerina",
    ]
    assert by_title[0] == "ballerina"


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"kind": "documentary"}, "kind"),
        ({"status": "lost"}, "status"),
        ({"release_year_min": "twenty"}, "release_year_min"),
        ({"release_year_max": "2020.5"}, "release_year_max"),
        ({"release_year_max": "2020.0"}, "release_year_max"),
        ({"release_year_min": "99999999999999999999"}, "release_year_min"),
        ({"release_year_min": "0"}, "release_year_min"),
        ({"ordering": "budget"}, "ordering"),
        ({"ordering": "--title"}, "ordering"),
        ({"ordering": ""}, "ordering"),
        ({"kind": ""}, "kind"),
        ({"released_after": "2019-02-30"}, "released_after"),
        ({"released_before": "yesterday"}, "released_before"),
        ({"released_before": ""}, "released_before"),
        ({"release_year_max": ""}, "release_year_max"),
        ({"ordering": "title,"}, "ordering"),
        ({"franchise": "x" * 201}, "franchise"),
    ],
)
def test_an_invalid_film_filter_is_a_400_naming_the_parameter(client, db, params, parameter):
    assert_error(api_get(client, "/api/v1/films/", params, status=400), 400, parameter)


@pytest.mark.parametrize("size", [2, 8])
def test_film_list_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, size):
    world(size)
    # the count (count_queries()), films with franchise and spun_off_from joined, their citations with sources
    with django_assert_max_num_queries(count_queries() + 2):
        api_get(client, "/api/v1/films/")


@pytest.mark.parametrize("size", [2, 8])
def test_film_detail_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, size):
    film = world(size).films.first()
    # the film (franchise, spun_off_from joined), credits (person, character), appearances (character),
    # locations, organizations, notes (speaker, source), spinoffs, citations (source)
    with django_assert_max_num_queries(8):
        api_get(client, f"/api/v1/films/{film.slug}/")
