import pytest

from lore.models import Organization
from tests.pages import list_queries, page_text, parse


def test_organization_page_lists_members_and_films(client, read_only_john_wick):
    response = client.get("/organizations/high-table/")
    links = parse(response).links
    assert {"/characters/winston/", "/characters/the-adjudicator/"} <= set(links)
    assert "/films/ballerina/" in links
    assert "The High Table is part of the world Ballerina explores." in page_text(response)


def test_organization_list_filters_by_franchise(client, read_only_john_wick, world):
    world(2, name="Other World")
    links = parse(client.get("/organizations/?franchise=john-wick")).links
    assert "/organizations/ruska-roma/" in links
    assert not [link for link in links if link.startswith("/organizations/org-")]


@pytest.mark.parametrize("size", [2, 8])
def test_organization_list_runs_the_same_queries_whatever_the_number_of_organizations(
    client, world, django_assert_max_num_queries, size
):
    world(size)
    # franchise filter options, count, one page of organizations joined to franchise
    with django_assert_max_num_queries(list_queries(3)):
        assert client.get("/organizations/").status_code == 200


@pytest.mark.parametrize("size", [2, 8])
def test_organization_page_runs_the_same_queries_whatever_the_number_of_members(
    client, world, django_assert_max_num_queries, size
):
    organization = Organization.objects.filter(franchise=world(size)).first()
    # organization with franchise, members, films, citations
    with django_assert_max_num_queries(4):
        assert client.get(organization.get_absolute_url()).status_code == 200
