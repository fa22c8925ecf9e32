"""User text is escaped everywhere it is shown, including inside JSON-LD script blocks."""

import pytest

from lore.models import Appearance, Character, Credit, Film, Franchise, Location, Organization, Person
from tests.pages import parse

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def hostile_character(db):
    franchise = Franchise.objects.create(name="Test & <i>Co</i>", slug="test")
    film = Film.objects.create(franchise=franchise, title="</script><b>Film</b>", slug="film")
    person = Person.objects.create(name='Evil "Quote" <img src=x>', slug="evil")
    character = Character.objects.create(franchise=franchise, name=HOSTILE, slug="hostile", summary=HOSTILE)
    Credit.objects.create(film=film, person=person, role=Credit.Role.ACTOR, character=character)
    return character


@pytest.mark.parametrize(
    "url", ["/characters/hostile/", "/films/film/", "/people/evil/", "/characters/", "/", "/timeline/"]
)
def test_user_text_is_shown_escaped(client, hostile_character, url):
    html = client.get(url).content.decode()
    assert HOSTILE not in html
    assert "<b>Film</b>" not in html
    assert "<img src=x>" not in html
    assert "<i>Co</i>" not in html


def test_filter_options_show_record_names_escaped_and_mark_the_selected_one(client, hostile_character):
    html = client.get("/characters/?franchise=test").content.decode()
    assert '<option value="test" selected>Test &amp; &lt;i&gt;Co&lt;/i&gt;</option>' in html
    assert '<option value="film">&lt;/script&gt;&lt;b&gt;Film&lt;/b&gt;</option>' in html
    assert '<option value="name" selected>Name</option>' in html  # the sort in force


def test_character_name_is_escaped_on_its_page(client, hostile_character):
    html = client.get("/characters/hostile/").content.decode()
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in html


def test_json_ld_cannot_be_broken_out_of(client, hostile_character):
    response = client.get("/films/film/")
    html = response.content.decode()
    block = html[html.index('<script type="application/ld+json">') :]
    block = block[: block.index("</script>")]
    assert "<" not in block.removeprefix('<script type="application/ld+json">')
    (data,) = parse(response).json_ld
    assert data["name"] == "</script><b>Film</b>"
    assert data["actor"][0]["characterName"] == HOSTILE
    (person,) = parse(client.get("/people/evil/")).json_ld
    assert person["name"] == 'Evil "Quote" <img src=x>'


def test_search_results_escape_user_text(client, hostile_character):
    html = client.get("/search/", {"q": "script"}).content.decode()
    assert HOSTILE not in html
    assert "&lt;<mark>script</mark>&gt;" in html


def test_the_lists_on_film_and_character_pages_escape_every_name(client, hostile_character):
    film = Film.objects.get(slug="film")
    franchise = film.franchise
    Credit.objects.create(film=film, person=Person.objects.get(slug="evil"), role=Credit.Role.DIRECTOR)
    Appearance.objects.create(film=film, character=hostile_character, type=Appearance.Type.MAIN)
    Location.objects.create(franchise=franchise, name="<b>Place</b>", slug="place").films.add(film)
    organization = Organization.objects.create(franchise=franchise, name="<i>Org</i>", slug="org")
    organization.films.add(film)
    hostile_character.organizations.add(organization)
    evil = '<a href="/people/evil/">Evil &quot;Quote&quot; &lt;img src=x&gt;</a>'
    character = '<a href="/characters/hostile/">&lt;script&gt;alert(1)&lt;/script&gt;</a>'
    place = '<a href="/locations/place/">&lt;b&gt;Place&lt;/b&gt;</a>'
    org = '<a href="/organizations/org/">&lt;i&gt;Org&lt;/i&gt;</a>'

    html = client.get("/films/film/").content.decode()
    assert f'<ul class="plain"><li>{evil}</li></ul>' in html  # "Directed by"
    assert f"<dd>{evil}</dd>" in html  # the crew, by role
    assert f'<li>{evil} <span class="cast__as">as</span> {character}</li>' in html  # the cast
    assert f'<ul class="chips"><li>{character}</li></ul>' in html  # the characters
    assert f'<li>{place} <span class="chips__note">Other</span></li>' in html
    assert f'<ul class="chips"><li>{org}</li></ul>' in html

    html = client.get("/characters/hostile/").content.decode()
    film_chip = (
        '<a href="/films/film/">&lt;/script&gt;&lt;b&gt;Film&lt;/b&gt;</a> <span class="chips__note">Main</span>'
    )
    assert f'<ul class="chips"><li>{film_chip}</li></ul>' in html
    assert f'<ul class="plain"><li>{org}</li></ul>' in html
    assert f'<ul class="chips"><li>{org}</li></ul>' in html
