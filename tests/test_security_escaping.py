"""Whatever an editor types is shown as text. Every text field of every kind of record holds markup
(script tags, event-handler attributes, quotes that would close an attribute), and every page that shows
them, their JSON-LD and the API must hand it back as the same characters, never as markup."""

import datetime
import json
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from lore.models import (
    Appearance,
    Character,
    Citation,
    Credit,
    Film,
    Franchise,
    Location,
    Organization,
    Person,
    ProductionNote,
    Source,
)


def markup(field):
    """A distinct payload per field, so a failure says which field leaked."""
    return f'{field} <script>alert("{field}")</script><img src=x onerror="alert(1)"> "><b onmouseover=alert(2)>'


# The field each record is known by, as markup() names it.
NAME_FIELD = {
    "franchise": "franchise.name",
    "film": "film.title",
    "character": "character.name",
    "person": "person.name",
    "location": "location.name",
    "organization": "organization.name",
    "productionnote": "note.headline",
    "source": "source.title",
}

SLUGS = {
    "franchise": "evil-franchise",
    "film": "evil-film",
    "character": "evil-character",
    "person": "evil-person",
    "location": "evil-location",
    "organization": "evil-organization",
    "productionnote": "evil-note",
    "source": "evil-source",
}


@pytest.fixture
def hostile_world(db):
    """One of each record, linked so that each page shows the others' names too."""
    source = Source.objects.create(
        slug=SLUGS["source"],
        title=markup("source.title"),
        publisher=markup("source.publisher"),
        author=markup("source.author"),
        summary=markup("source.summary"),
        published_on=datetime.date(2023, 3, 1),
        uncited_note=markup("source.uncited_note"),
    )
    franchise = Franchise.objects.create(
        slug=SLUGS["franchise"], name=markup("franchise.name"), summary=markup("franchise.summary")
    )
    film = Film.objects.create(
        franchise=franchise,
        slug=SLUGS["film"],
        title=markup("film.title"),
        synopsis=markup("film.synopsis"),
        chronology_note=markup("film.chronology_note"),
        status=Film.Status.RELEASED,
        release_date=datetime.date(2024, 6, 7),
        release_order=1,
        chronology_order=1,
        uncited_note=markup("film.uncited_note"),
    )
    person = Person.objects.create(slug=SLUGS["person"], name=markup("person.name"), summary=markup("person.summary"))
    organization = Organization.objects.create(
        franchise=franchise,
        slug=SLUGS["organization"],
        name=markup("organization.name"),
        summary=markup("organization.summary"),
    )
    organization.films.add(film)
    character = Character.objects.create(
        franchise=franchise,
        slug=SLUGS["character"],
        name=markup("character.name"),
        aliases=[markup("character.alias")],
        summary=markup("character.summary"),
    )
    character.organizations.add(organization)
    location = Location.objects.create(
        franchise=franchise,
        slug=SLUGS["location"],
        name=markup("location.name"),
        summary=markup("location.summary"),
        kind=Location.Kind.CITY,
    )
    location.films.add(film)
    Credit.objects.create(film=film, person=person, role=Credit.Role.ACTOR, character=character)
    Appearance.objects.create(film=film, character=character, type=Appearance.Type.MAIN)
    ProductionNote.objects.create(
        film=film,
        slug=SLUGS["productionnote"],
        headline=markup("note.headline"),
        speaker=person,
        topic=ProductionNote.Topic.STORY,
        summary=markup("note.summary"),
        quote=markup("note.quote"),
        source=source,
        occurred_on=datetime.date(2023, 3, 1),
    )
    for target in (franchise, film, person, character, location, organization):
        Citation.objects.create(source=source, claim=markup("citation.claim"), **{target._meta.model_name: target})
    film.synopsis = markup("film.synopsis.edited")  # a revision whose old and new text both hold markup
    film.save()


class Document(HTMLParser):
    """What a browser would build from the page: elements with their attributes, scripts, and the text."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements, self.scripts, self.text = [], [], []
        self._script = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self._script = (dict(attrs), [])

    def handle_endtag(self, tag):
        if tag == "script" and self._script:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None

    def handle_data(self, data):
        (self._script[1] if self._script else self.text).append(data)


def strings(data):
    """Every string value in decoded JSON."""
    if isinstance(data, dict):
        return [s for value in data.values() for s in strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in strings(value)]
    return [data] if isinstance(data, str) else []


def assert_no_markup_was_interpreted(html):
    document = Document(html)
    for tag, attrs in document.elements:
        handlers = [name for name in attrs if name.startswith("on")]
        assert not handlers, f"<{tag}> has event handler attributes {handlers}"
        assert tag not in {"b", "img"} or attrs.get("src") != "x", f"an editor's <{tag}> became an element"
    for attrs, content in document.scripts:
        if attrs.get("type") == "application/ld+json":
            json.loads(content)  # still whole JSON: the editor's </script> did not end the element early
        else:
            assert attrs.get("src") and not content.strip(), "inline script on the page"
    return document


def page_urls():
    urls = [("home", "/"), ("timeline", "/timeline/"), ("search", "/search/?q=evil")]
    for model, slug in SLUGS.items():
        urls.append((f"{model} list", reverse(f"lore:{model}-list")))
        urls.append((f"{model} detail", reverse(f"lore:{model}-detail", kwargs={"slug": slug})))
        urls.append((f"{model} history", reverse("lore:history", kwargs={"model": model, "slug": slug})))
    return urls


@pytest.mark.parametrize(("kind", "url"), page_urls(), ids=[kind for kind, _ in page_urls()])
def test_markup_typed_by_an_editor_is_shown_as_text_on_every_page(client, hostile_world, kind, url):
    response = client.get(url)

    assert response.status_code == 200
    document = assert_no_markup_was_interpreted(response.content.decode())
    if kind.endswith("detail") or kind in ("film history", "timeline"):
        shown = "".join(document.text)
        assert '<script>alert("' in shown, "the editor's text is not shown at all"


# The detail pages that describe themselves in schema.org JSON-LD. Any other page's JSON-LD is still
# checked to be whole JSON by the every-page test above.
@pytest.mark.parametrize("model", ["film", "person"])
def test_json_ld_carries_the_editors_text_as_data(client, hostile_world, model):
    response = client.get(reverse(f"lore:{model}-detail", kwargs={"slug": SLUGS[model]}))

    document = assert_no_markup_was_interpreted(response.content.decode())
    blocks = [json.loads(content) for attrs, content in document.scripts if attrs.get("type") == "application/ld+json"]
    assert blocks, "no JSON-LD on the page"
    assert markup(NAME_FIELD[model]) in strings(blocks)


def test_a_search_query_is_echoed_as_text(client, hostile_world):
    query = '"><script>alert("q")</script><img src=x onerror=alert(1)>'

    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert_no_markup_was_interpreted(response.content.decode())


@pytest.mark.parametrize("model", list(SLUGS))
def test_the_api_returns_the_editors_text_unchanged_as_json_data(client, hostile_world, model):
    detail = client.get(reverse(f"api:{model}-detail", kwargs={"slug": SLUGS[model]}))
    listing = client.get(reverse(f"api:{model}-list"))

    for response in (detail, listing):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["X-Content-Type-Options"] == "nosniff"  # a browser will not sniff it into HTML
    assert markup(NAME_FIELD[model]) in strings(detail.json())
    assert markup(NAME_FIELD[model]) in strings(listing.json())
