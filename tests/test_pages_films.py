import pytest
from django.urls import reverse

from lore.models import Film
from tests.pages import list_queries, page_text, parse

BALLERINA = "/films/ballerina/"


def test_film_list_shows_every_film_with_its_status(client, read_only_john_wick):
    text = page_text(client.get("/films/"))
    assert "Ballerina" in text
    assert "In development" in text
    assert "John Wick: Chapter 4" in text
    assert "Released" in text


def test_film_list_is_in_release_order_by_default(client, read_only_john_wick):
    html = client.get("/films/").content.decode()
    positions = [
        html.index(f'href="/films/{slug}/"') for slug in ("john-wick-2014", "john-wick-chapter-4", "ballerina")
    ]
    assert positions == sorted(positions)


def test_film_list_can_be_sorted_in_universe_order(client, read_only_john_wick):
    html = client.get("/films/?sort=story").content.decode()
    assert html.index('href="/films/ballerina/"') < html.index('href="/films/john-wick-chapter-4/"')


@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        ("status=in_development", "Ballerina", "John Wick: Chapter 2"),
        ("status=released", "John Wick: Chapter 2", "Ballerina"),
        ("kind=spinoff", "Ballerina", "John Wick: Chapter 2"),
        ("franchise=john-wick", "Ballerina", None),
    ],
)
def test_film_list_filters_by_status_kind_and_franchise(client, read_only_john_wick, query, shown, hidden):
    response = client.get(f"/films/?{query}")
    titles = [a for a in parse(response).links if a.startswith("/films/") and a != "/films/"]
    assert f"/films/{Film.objects.get(title=shown).slug}/" in titles
    if hidden:
        assert f"/films/{Film.objects.get(title=hidden).slug}/" not in titles


@pytest.mark.parametrize(
    "query",
    ["sort=drop+table", "status=nope", "kind=%00", "franchise=missing", "sort=&status=&kind=", "status=a&status=b"],
)
def test_film_list_ignores_filter_and_sort_values_it_does_not_know(client, read_only_john_wick, query):
    response = client.get(f"/films/?{query}")
    assert response.status_code == 200
    assert "Ballerina" in page_text(response)


@pytest.mark.parametrize("page", ["999", "abc", "0", "-1"])
def test_film_list_page_out_of_range_is_not_found_not_an_error(client, read_only_john_wick, page):
    assert client.get(f"/films/?page={page}").status_code == 404


def test_film_page_shows_who_plays_whom(client, read_only_john_wick):
    text = page_text(client.get(BALLERINA))
    assert "Ana de Armas as Eve Macarro" in text
    assert "Keanu Reeves as John Wick" in text
    assert "Ian McShane as Winston" in text


def test_film_page_shows_crew_with_roles_and_its_producer_erica_lee(client, read_only_john_wick):
    response = client.get(BALLERINA)
    text = page_text(response)
    assert "Produced by Basil Iwanyk Erica Lee" in text
    assert "Producers Basil Iwanyk, Erica Lee" in text
    assert "Director Len Wiseman" in text
    assert reverse("lore:person-detail", kwargs={"slug": "erica-lee"}) in parse(response).links


def test_film_page_shows_its_european_setting_and_organizations(client, read_only_john_wick):
    response = client.get(BALLERINA)
    links = parse(response).links
    assert "/locations/europe/" in links
    assert "/organizations/high-table/" in links
    assert "/organizations/the-continental/" in links
    assert "Setting Europe" in page_text(response)


def test_film_page_groups_characters_by_appearance_type(client, read_only_john_wick):
    text = page_text(client.get(BALLERINA))
    assert "Main Eve Macarro" in text
    assert "Cameo Charon John Wick Winston" in text


def test_film_page_lists_production_notes_and_what_it_spun_off_from(client, read_only_john_wick):
    response = client.get(BALLERINA)
    links = parse(response).links
    assert "/notes/ballerina-european-location/" in links
    assert "Ballerina spun off from John Wick: Chapter 3 – Parabellum" in page_text(response)
    spun_off_into = page_text(client.get("/films/john-wick-chapter-3-parabellum/"))
    assert "Ballerina spun off from John Wick: Chapter 3 – Parabellum" in spun_off_into


def test_film_page_has_status_release_date_and_in_universe_placement(client, read_only_john_wick):
    text = page_text(client.get(BALLERINA))
    assert "Status In development as of March 2023" in text
    assert "Release date No release date yet" in text
    assert "Between Chapter 3 – Parabellum and Chapter 4" in text


def test_film_page_ends_with_references_and_the_uncited_note(client, read_only_john_wick):
    response = client.get(BALLERINA)
    text = page_text(response)
    references = text[text.index("References") :]
    assert "John Wick Producer Reveals What Sets Ballerina Apart From Franchise" in references
    assert "Not from a cited source: The film it branches from" in references
    assert "/sources/ballerina-producer-article/" in parse(response).links


def test_film_page_carries_movie_json_ld_with_director_actors_and_producers(client, read_only_john_wick):
    (data,) = parse(client.get(BALLERINA)).json_ld
    assert data["@type"] == "Movie"
    assert data["name"] == "Ballerina"
    assert [person["name"] for person in data["director"]] == ["Len Wiseman"]
    assert {"Basil Iwanyk", "Erica Lee"} <= {person["name"] for person in data["producer"]}
    roles = {(role["actor"]["name"], role["characterName"]) for role in data["actor"]}
    assert ("Ana de Armas", "Eve Macarro") in roles
    assert data["contentLocation"][0]["name"] == "Europe"
    assert data["url"].endswith(BALLERINA)


def test_film_page_has_open_graph_tags_for_a_movie(client, read_only_john_wick):
    page = parse(client.get(BALLERINA))
    assert page.meta["og:type"] == "video.movie"
    assert page.meta["og:title"] == "Ballerina (film)"
    assert page.meta["og:description"].startswith("A spinoff led by Ana de Armas")


def test_unknown_film_is_not_found(client, read_only_john_wick):
    assert client.get("/films/no-such-film/").status_code == 404


@pytest.mark.parametrize("size", [2, 8])
def test_film_list_runs_the_same_queries_whatever_the_number_of_films(
    client, world, django_assert_max_num_queries, size
):
    world(size)
    # franchise filter options, count, one page of films joined to franchise and spun_off_from
    with django_assert_max_num_queries(list_queries(3)):
        assert client.get("/films/").status_code == 200


@pytest.mark.parametrize("size", [2, 8])
def test_film_page_runs_the_same_queries_whatever_the_number_of_credits(
    client, world, django_assert_max_num_queries, size
):
    film = world(size).films.first()
    # film with franchise and spun_off_from, then one query each: credits with person and character,
    # appearances with character, locations, organizations, notes with speaker and source, spinoffs, citations
    with django_assert_max_num_queries(8):
        assert client.get(film.get_absolute_url()).status_code == 200
