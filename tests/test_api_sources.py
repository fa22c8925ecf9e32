"""/api/v1/sources/: the publications facts come from, and everything each one backs."""

import pytest

from tests.api_helpers import api_get, assert_error, count_queries


def test_the_article_relays_the_interview_and_counts_what_it_backs(client, read_only_john_wick):
    body = api_get(client, "/api/v1/sources/", {"ordering": "-title"}).json()

    article, interview = body["results"]
    assert article["slug"] == "ballerina-producer-article"
    assert article["relays"]["slug"] == "slashfilm-erica-lee-interview"
    assert [r["slug"] for r in article["references"]] == ["slashfilm-erica-lee-interview"]
    assert article["citation_count"] == 18 and interview["citation_count"] == 1
    assert article["published_on"] == "2023-03-01" and article["date_precision"] == "month"
    assert article["external_url"] is None


def test_the_article_lists_every_record_it_backs_with_the_claim(client, read_only_john_wick):
    article = api_get(client, "/api/v1/sources/ballerina-producer-article/").json()

    cited = {(c["type"], c["url"].split("/api/v1/")[1]) for c in article["cites"]}
    assert ("film", "films/ballerina/") in cited
    assert ("credit", "credits/ballerina~erica-lee~producer/") in cited
    assert ("appearance", "characters/eve-macarro/") in cited
    assert len(article["production_notes"]) == 13
    assert article["relayed_by"] == []


def test_the_interview_is_relayed_by_the_article(client, read_only_john_wick):
    interview = api_get(client, "/api/v1/sources/slashfilm-erica-lee-interview/").json()

    assert [s["slug"] for s in interview["relayed_by"]] == ["ballerina-producer-article"]
    assert interview["uncited_note"]


def test_sources_filter_by_kind(client, read_only_john_wick):
    body = api_get(client, "/api/v1/sources/", {"kind": "interview"}).json()

    assert [s["slug"] for s in body["results"]] == ["slashfilm-erica-lee-interview"]


@pytest.mark.parametrize(("params", "parameter"), [({"kind": "tweet"}, "kind"), ({"ordering": "url"}, "ordering")])
def test_an_invalid_source_parameter_is_a_400_naming_it(client, db, params, parameter):
    assert_error(api_get(client, "/api/v1/sources/", params, status=400), 400, parameter)


@pytest.mark.parametrize("size", [2, 8])
def test_source_list_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, size):
    world(size)
    world(size)
    # the count (count_queries()), sources with the source they relay joined (their citation count is stored)
    with django_assert_max_num_queries(count_queries() + 1):
        api_get(client, "/api/v1/sources/")


@pytest.mark.parametrize("size", [2, 8])
def test_source_detail_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, size):
    source = world(size).citations.first().source
    # the source, its citations with every kind of target joined, its notes (film, speaker), sources relaying it
    with django_assert_max_num_queries(4):
        api_get(client, f"/api/v1/sources/{source.slug}/")
