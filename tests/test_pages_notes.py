import pytest

from lore.models import ProductionNote
from tests.pages import list_queries, page_text, parse

EUROPE_NOTE = "/notes/ballerina-european-location/"


def test_note_page_shows_the_quote_attributed_to_the_speaker_citing_the_source(client, read_only_john_wick):
    response = client.get(EUROPE_NOTE)
    html = response.content.decode()
    assert "<blockquote><p>It&#x27;s a European location, so we&#x27;re always trying to push the envelope.</p>" in html
    text = page_text(response)
    assert "— Erica Lee, quoted in John Wick Producer Reveals What Sets Ballerina Apart From Franchise" in text
    links = parse(response).links
    assert {"/people/erica-lee/", "/sources/ballerina-producer-article/", "/films/ballerina/"} <= set(links)


def test_note_page_references_its_source(client, read_only_john_wick):
    text = page_text(client.get("/notes/not-rushed/"))
    references = text[text.index("References") :]
    assert "John Wick Producer Reveals What Sets Ballerina Apart From Franchise" in references


def test_dated_note_shows_its_date_at_its_precision(client, read_only_john_wick):
    text = page_text(client.get("/notes/first-read-five-years-ago/"))
    assert "When 2018" in text
    assert "Not from a cited source: The year is worked out from the article's date" in text


def test_note_without_a_speaker_says_so(client, read_only_john_wick):
    assert "Speaker No named speaker" in page_text(client.get("/notes/no-release-date/"))


def test_note_list_items_link_the_note_its_film_and_speaker_and_date_it_at_its_precision(client, read_only_john_wick):
    response = client.get("/notes/?film=ballerina")
    html = response.content.decode()
    assert (
        '<a class="note-item__headline" href="/notes/fitting-the-timeline/">'
        "Fitting Ballerina into the timeline after Chapter 4</a>" in html
    )
    text = page_text(response)
    assert (
        "Fitting Ballerina into the timeline after Chapter 4 Continuity and cameos Ballerina · Erica Lee · March 2023"
        in text
    )
    assert "No release date yet Release Ballerina · No named speaker · March 2023" in text
    assert '<time datetime="2018-01-01">2018</time>' in html
    links = parse(response).links
    assert {"/films/ballerina/", "/people/erica-lee/", "/notes/fitting-the-timeline/"} <= set(links)


@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        ("film=john-wick-chapter-4", "chapter-4-in-theaters", "not-rushed"),
        ("speaker=erica-lee", "not-rushed", "chapter-4-in-theaters"),
        ("topic=setting", "ballerina-european-location", "not-rushed"),
    ],
)
def test_note_list_filters_by_film_speaker_and_topic(client, read_only_john_wick, query, shown, hidden):
    links = parse(client.get(f"/notes/?{query}")).links
    assert f"/notes/{shown}/" in links
    assert f"/notes/{hidden}/" not in links


def test_note_list_offers_only_people_who_spoke_as_speakers(client, read_only_john_wick):
    html = client.get("/notes/").content.decode()
    assert '<option value="erica-lee">Erica Lee</option>' in html
    assert '<option value="keanu-reeves">' not in html


@pytest.mark.parametrize("size", [2, 8])
def test_note_list_runs_the_same_queries_whatever_the_number_of_notes(
    client, world, django_assert_max_num_queries, size
):
    world(size)
    # film and speaker filter options, count, one page of notes joined to film, speaker and source
    with django_assert_max_num_queries(list_queries(4)):
        assert client.get("/notes/").status_code == 200


@pytest.mark.parametrize("size", [2, 8])
def test_note_page_runs_one_query(client, world, django_assert_max_num_queries, size):
    note = ProductionNote.objects.filter(film__franchise=world(size)).first()
    # the note joined to its film, speaker and source
    with django_assert_max_num_queries(1):
        assert client.get(note.get_absolute_url()).status_code == 200
