import pytest

from lore.models import Character, Film, Franchise
from tests.factories import make_films
from tests.pages import list_queries, page_text, parse

EVE = "/characters/eve-macarro/"


def test_character_page_shows_who_plays_the_character_and_in_which_films(client, read_only_john_wick):
    text = page_text(client.get(EVE))
    assert "Ana de Armas in Ballerina" in text
    wick = page_text(client.get("/characters/john-wick/"))
    assert "Keanu Reeves in John Wick, John Wick: Chapter 2, John Wick: Chapter 3 – Parabellum" in wick


def test_character_page_lists_every_film_the_character_appears_in(client, read_only_john_wick):
    links = parse(client.get("/characters/john-wick/")).links
    for film in Film.objects.all():
        assert film.get_absolute_url() in links


def test_character_page_links_its_organizations_and_aliases(client, read_only_john_wick):
    response = client.get(EVE)
    assert "/organizations/ruska-roma/" in parse(response).links
    assert "Also known as The Ballerina" in page_text(response)


def test_character_page_cites_its_source_with_the_claim(client, read_only_john_wick):
    text = page_text(client.get(EVE))
    assert (
        "John Wick Producer Reveals What Sets Ballerina Apart From Franchise: Ballerina's lead is trying to get in."
        in text
    )


def test_character_list_filters_by_film(client, read_only_john_wick):
    links = parse(client.get("/characters/?film=ballerina")).links
    assert EVE in links
    assert "/characters/viggo-tarasov/" not in links


def test_character_list_filters_by_organization_and_franchise(client, read_only_john_wick):
    links = parse(client.get("/characters/?organization=ruska-roma&franchise=john-wick")).links
    assert {EVE, "/characters/the-director/"} <= set(links)
    assert "/characters/winston/" not in links


def test_character_list_title_says_what_it_is_filtered_by(client, read_only_john_wick):
    page = parse(client.get("/characters/?film=ballerina"))
    assert page.titles == ["Characters: Ballerina · Lore"]


@pytest.mark.parametrize("query", ["film=%3Cscript%3E", "organization=nope", "sort=-id", "page=1&sort=name"])
def test_character_list_never_fails_on_bad_parameters(client, read_only_john_wick, query):
    assert client.get(f"/characters/?{query}").status_code == 200


def test_character_list_is_paginated_keeping_its_filters(client, db):
    franchise = Franchise.objects.create(name="Crowd", slug="crowd")
    Character.objects.bulk_create(
        Character(franchise=franchise, name=f"Extra {i:02}", slug=f"extra-{i:02}") for i in range(30)
    )
    first = client.get(f"/characters/?franchise={franchise.slug}")
    assert "Showing 1–24 of 30" in page_text(first)
    assert f"?franchise={franchise.slug}&page=2" in parse(first).links
    assert "Showing 25–30 of 30" in page_text(client.get(f"/characters/?franchise={franchise.slug}&page=2"))


@pytest.mark.parametrize("size", [2, 8])
def test_character_list_runs_the_same_queries_whatever_the_number_of_characters(
    client, world, django_assert_max_num_queries, size
):
    world(size)
    # franchise, film and organization filter options, count, one page of characters joined to franchise
    with django_assert_max_num_queries(list_queries(5)):
        assert client.get("/characters/").status_code == 200


@pytest.mark.parametrize("size", [2, 8])
def test_character_page_runs_the_same_queries_whatever_the_number_of_films(
    client, world, django_assert_max_num_queries, size
):
    character = Character.objects.filter(franchise=world(size)).first()
    # character with franchise, organizations, appearances with film, credits with person and film, citations
    with django_assert_max_num_queries(5):
        assert client.get(character.get_absolute_url()).status_code == 200


def film_options(response):
    html = response.content.decode()
    select = html[html.index('<select id="filter-film"') : html.index("</select>", html.index('id="filter-film"'))]
    return select.count("<option") - 1  # less "Any"


def test_character_list_offers_at_most_a_hundred_films_but_filters_by_any_of_them(client, db):
    make_films(150)
    assert film_options(client.get("/characters/")) == 100
    response = client.get("/characters/?film=long-saga-150")
    assert parse(response).titles == ["Characters: Long Saga 150 · Lore"]
    assert '<option value="long-saga-150" selected>Long Saga 150</option>' in response.content.decode()


def test_character_list_offers_the_films_and_organizations_of_the_selected_franchise(client, read_only_john_wick):
    make_films(3)
    html = client.get("/characters/?franchise=john-wick").content.decode()
    assert '<option value="ballerina">Ballerina</option>' in html
    assert '<option value="ruska-roma">' in html
    assert "long-saga-1" not in html
    assert "long-saga-1" in client.get("/characters/?franchise=long-saga").content.decode()


def test_character_list_ignores_a_film_slug_that_names_no_film(client, read_only_john_wick):
    page = parse(client.get("/characters/?film=no-such-film"))
    assert page.titles == ["Characters · Lore"]
    assert EVE in page.links


def test_character_list_cards_show_aliases_a_shortened_summary_and_the_franchise_escaped(client, db):
    franchise = Franchise.objects.create(name="Tom & Jerry <Shorts>", slug="tom-and-jerry")
    summary = "A house cat " + "who chases a mouse " * 10
    Character.objects.create(
        franchise=franchise, name="Tom <Cat>", slug="tom", aliases=["Thomas", "T&C"], summary=summary
    )
    Character.objects.create(franchise=franchise, name="Jerry", slug="jerry")
    html = client.get("/characters/").content.decode()
    assert '<a href="/characters/tom/">Tom &lt;Cat&gt;</a>' in html
    assert "Also known as Thomas, T&amp;C" in html
    assert "Tom &amp; Jerry &lt;Shorts&gt;" in html
    assert f"<p>{summary[:139]}…</p>" in html  # 140 characters with the ellipsis
    jerry = next(card for card in html.split('<li class="card">') if "/characters/jerry/" in card)
    assert "Also known as" not in jerry and "<p></p>" not in jerry  # no aliases, no summary
