"""/api/v1/credits/: who worked on what, filtered by film, person, character and role."""

import pytest

from lore.models import Credit, Film
from tests.api_helpers import api_get, assert_error, count_queries


def slugs(response):
    return [record["slug"] for record in response.json()["results"]]


def test_ballerina_producer_credits_name_erica_lee(client, read_only_john_wick):
    body = api_get(client, "/api/v1/credits/", {"film": "ballerina", "role": "producer"}).json()

    assert [c["person"]["name"] for c in body["results"]] == ["Basil Iwanyk", "Erica Lee"]
    erica = body["results"][1]
    assert erica["slug"] == "ballerina~erica-lee~producer" and erica["character"] is None
    assert erica["references"][0]["claim"] == "Erica Lee speaks as a producer of Ballerina."
    assert erica["html_url"] == "http://testserver/films/ballerina/"


def test_an_acting_credit_is_found_by_its_slug(client, read_only_john_wick):
    credit = api_get(client, "/api/v1/credits/ballerina~ana-de-armas~actor~eve-macarro/").json()

    assert credit["person"]["name"] == "Ana de Armas"
    assert credit["character"]["name"] == "Eve Macarro"
    assert credit["film"]["name"] == "Ballerina" and credit["role"] == "actor"
    assert credit["url"] == "http://testserver/api/v1/credits/ballerina~ana-de-armas~actor~eve-macarro/"


def test_a_crew_credit_is_found_by_its_slug(client, read_only_john_wick):
    credit = api_get(client, "/api/v1/credits/ballerina~erica-lee~producer/").json()

    assert credit["person"]["slug"] == "erica-lee" and credit["character"] is None


@pytest.mark.parametrize(
    "slug",
    [
        "ballerina~erica-lee~actor",
        "ballerina~erica-lee~producer~eve-macarro",
        "ballerina~ana-de-armas~actor",
        "nothing~nobody~actor",
    ],
)
def test_a_credit_slug_that_names_no_credit_is_a_json_404(client, read_only_john_wick, slug):
    assert_error(api_get(client, f"/api/v1/credits/{slug}/", status=404), 404)


FILTERS = [
    ({"person": "keanu-reeves", "role": "actor"}, 5),
    ({"character": "john-wick"}, 5),
    ({"film": "ballerina"}, 9),
    ({"film": "ballerina", "search": "wiseman"}, 1),
    ({"person": "nobody"}, 0),
]


def test_each_credit_filter_narrows_the_list(client, read_only_john_wick):
    for params, count in FILTERS:
        assert api_get(client, "/api/v1/credits/", params).json()["count"] == count, params


def test_credit_list_keeps_each_films_credits_together_in_billing_order(client, world):
    world(3)
    results = api_get(client, "/api/v1/credits/").json()["results"]

    film_ids = dict(Film.objects.values_list("slug", "pk"))
    billing = {(c.film.slug, c.person.slug, c.role): c.billing for c in Credit.objects.select_related("film", "person")}
    keys = [(film_ids[c["film"]["slug"]], billing[c["film"]["slug"], c["person"]["slug"], c["role"]]) for c in results]
    assert keys == sorted(keys)
    assert len({film for film, _ in keys}) > 1


@pytest.mark.parametrize(("params", "parameter"), [({"role": "grip"}, "role"), ({"ordering": "person"}, "ordering")])
def test_an_invalid_credit_parameter_is_a_400_naming_it(client, db, params, parameter):
    assert_error(api_get(client, "/api/v1/credits/", params, status=400), 400, parameter)


@pytest.mark.parametrize("size", [2, 8])
def test_credit_list_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, size):
    world(size)
    # the count (count_queries()), credits with film, person and character joined, citations with sources
    with django_assert_max_num_queries(count_queries() + 2):
        api_get(client, "/api/v1/credits/")


@pytest.mark.parametrize("size", [2, 8])
def test_credit_detail_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, size):
    world(size)
    credit = Credit.objects.filter(role=Credit.Role.ACTOR).latest("pk")
    slug = f"{credit.film.slug}~{credit.person.slug}~actor~{credit.character.slug}"
    # the credit with film, person and character joined, its citations
    with django_assert_max_num_queries(2):
        api_get(client, f"/api/v1/credits/{slug}/")


def test_parameters_naming_no_filter_leave_the_list_whole_and_filters_beside_them_still_apply(
    client, read_only_john_wick
):
    everything = api_get(client, "/api/v1/credits/").json()["count"]

    assert api_get(client, "/api/v1/credits/", {"page": 1, "colour": "red"}).json()["count"] == everything
    assert 0 < api_get(client, "/api/v1/credits/", {"page": 1, "film": "ballerina"}).json()["count"] < everything
    assert_error(api_get(client, "/api/v1/credits/", {"page": 1, "role": ""}, status=400), 400, "role")
