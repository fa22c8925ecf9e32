import pytest

from lore.models import Citation, Source
from tests.pages import list_queries, page_text, parse

ARTICLE = "/sources/ballerina-producer-article/"


def test_source_page_links_every_record_that_cites_it(client, read_only_john_wick):
    response = client.get(ARTICLE)
    links = set(parse(response).links)
    for citation in Citation.objects.filter(source__slug="ballerina-producer-article"):
        assert citation.target.get_absolute_url() in links
    text = page_text(response)
    assert "Erica Lee, producer of Ballerina Erica Lee speaks as a producer of Ballerina." in text
    assert "Eve Macarro in Ballerina (main)" in text


def test_source_page_lists_the_notes_that_use_it(client, read_only_john_wick):
    links = parse(client.get(ARTICLE)).links
    assert "/notes/ballerina-european-location/" in links
    assert "/notes/chapter-4-in-theaters/" in links


def test_source_page_shows_what_it_relays_and_what_relays_it(client, read_only_john_wick):
    article = page_text(client.get(ARTICLE))
    assert "Reports on Erica Lee interview with /Film about Ballerina" in article
    assert "The original this source reports on." in article
    interview = page_text(client.get("/sources/slashfilm-erica-lee-interview/"))
    assert "Reported by John Wick Producer Reveals What Sets Ballerina Apart From Franchise" in interview
    assert "Lore holds this source first-hand" in interview


def test_source_page_shows_its_date_at_its_precision(client, read_only_john_wick):
    assert "Published March 2023" in page_text(client.get(ARTICLE))


def test_source_list_can_sort_by_most_cited(client, read_only_john_wick):
    html = client.get("/sources/?sort=citations").content.decode()
    assert html.index(f'href="{ARTICLE}"') < html.index('href="/sources/slashfilm-erica-lee-interview/"')


@pytest.mark.parametrize("size", [2, 8])
def test_source_list_runs_the_same_queries_whatever_the_number_of_sources(
    client, world, django_assert_max_num_queries, size
):
    for _ in range(size):
        world(1)
    # count, one page of sources joined to what they relay with a citation count subquery
    with django_assert_max_num_queries(list_queries(2)):
        assert client.get("/sources/").status_code == 200


@pytest.mark.parametrize("size", [2, 8])
def test_source_page_runs_the_same_queries_whatever_the_number_of_citations(
    client, world, django_assert_max_num_queries, size
):
    source = Source.objects.filter(citations__franchise=world(size)).get()
    # source with relays, citations joined to every target, notes with film and speaker, relayed_by
    with django_assert_max_num_queries(4):
        assert client.get(source.get_absolute_url()).status_code == 200
