"""/api/v1/organizations/: organizations by franchise and film; one with its members and films."""

import pytest

from tests.api_helpers import api_get, assert_error, count_queries


def test_the_continental_lists_its_members_and_every_film(client, read_only_john_wick):
    continental = api_get(client, "/api/v1/organizations/the-continental/").json()

    members = [member["slug"] for member in continental["members"]]
    assert {"winston", "charon", "sofia"} <= set(members)
    assert len(continental["films"]) == 5
    assert continental["franchise"]["name"] == "John Wick"


def test_organizations_filter_by_film(client, read_only_john_wick):
    body = api_get(client, "/api/v1/organizations/", {"film": "john-wick-2014"}).json()

    assert [org["slug"] for org in body["results"]] == ["the-continental"]


def test_organizations_filter_by_franchise(client, read_only_john_wick):
    assert api_get(client, "/api/v1/organizations/", {"franchise": "john-wick"}).json()["count"] == 3
    assert api_get(client, "/api/v1/organizations/", {"franchise": "x"}).json()["count"] == 0


def test_an_unknown_organization_ordering_is_a_400(client, db):
    assert_error(api_get(client, "/api/v1/organizations/", {"ordering": "size"}, status=400), 400, "ordering")


@pytest.mark.parametrize("size", [2, 8])
def test_organization_list_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, size):
    world(size)
    # the count (count_queries()), organizations with franchise joined, citations with sources
    with django_assert_max_num_queries(count_queries() + 2):
        api_get(client, "/api/v1/organizations/")


@pytest.mark.parametrize("size", [2, 8])
def test_organization_detail_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, size):
    organization = world(size).organizations.first()
    # the organization (franchise joined), members, films, citations
    with django_assert_max_num_queries(4):
        api_get(client, f"/api/v1/organizations/{organization.slug}/")
