"""Template helpers for the pages: dates at their known precision, search highlighting, select options, JSON-LD."""

import html
import json
import re

from django import template
from django.utils.dates import MONTHS
from django.utils.html import escape
from django.utils.safestring import SafeData, SafeString
from django.utils.text import Truncator
from django.utils.timezone import template_localtime

from lore.links import history_path, named_path

register = template.Library()

# JSON inside <script> must not contain "</script>" or "<!--": escape the characters that could form them.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

# The tags mark what they write safe with SafeString(text): what mark_safe(text) returns for a str, without
# the check for lazy strings that wraps mark_safe (a few hundred calls a page). Each says why its text is safe.


def _html(template, *args):
    """`template` formatted with each argument escaped unless already safe: django.utils.html.format_html
    without its checks for lazy strings, which cost a keep_lazy wrapper per argument and per escape. The
    tags below build several hundred fragments per timeline or search page; none is ever given a lazy
    string, and str() would resolve one anyway.
    """
    return SafeString(  # every argument is escaped or already safe  # nosec B703
        template.format(*(arg if isinstance(arg, SafeData) else html.escape(str(arg)) for arg in args))
    )


def _html_join(template, rows):
    """`_html` over each row of arguments, joined: django.utils.html.format_html_join without its checks."""
    return SafeString("".join(_html(template, *row) for row in rows))  # parts from _html  # nosec B703


def _time_element(date, precision="day"):
    """A <time> element: the date machine-readable, and shown only as precisely as it is known."""
    return _html('<time datetime="{}">{}</time>', date.isoformat(), fuzzy_date(date, precision))


def _link(record):
    """A link to the record's page under its own name (str(record): a film's title, anyone else's name)."""
    return _html('<a href="{}">{}</a>', record.get_absolute_url(), record)


@register.filter
def fuzzy_date(value, precision="day"):
    """A date written only as precisely as it is known: "2018", "March 2023" or "24 March 2023" (any other
    precision: the day). What Django's date formats "Y", "F Y" and "j F Y" write, month names from the
    same table, without building a DateFormat per date: a timeline page writes 120 dates.
    """
    if not value:
        return ""
    if precision == "year":
        return str(value.year)
    month = MONTHS[value.month]
    return f"{month} {value.year}" if precision == "month" else f"{value.day} {month} {value.year}"


@register.simple_tag
def named_url(url_name):
    """`{% url url_name %}` for a URL that takes no arguments, reversed once per process (lore.links)."""
    return named_path(url_name)


@register.simple_tag
def last_edited(record):
    """When the record was last edited (in the site's time zone, as the date filter shows it), linking to its
    page history. A tag rather than an included template: the include, its URL tag and two date filters
    were a twentieth of a character's page."""
    edited = template_localtime(record.updated_at)
    when = _html('Last edited on <time datetime="{}">{}</time>', edited.isoformat(), fuzzy_date(edited))
    history = history_path(record)
    if history:
        return _html('<p class="last-edited"><a href="{}">{} · page history</a></p>', history, when)
    return _html('<p class="last-edited">{}</p>', when)


@register.filter
def model_name(record):
    """The lower-case model name URLs use, e.g. "film" or "productionnote"."""
    return record._meta.model_name


@register.filter
def verbose_name(record):
    """The model's human name, e.g. "production note"."""
    return record._meta.verbose_name


@register.filter
def highlight(text, query):
    """`text` escaped, with every case-insensitive occurrence of `query` wrapped in <mark>."""
    text = str(text or "")
    words = [re.escape(word) for word in str(query or "").split() if word]
    if not words:
        return escape(text)
    parts = re.split(f"({'|'.join(words)})", text, flags=re.IGNORECASE)
    # re.split with one capturing group alternates plain text (even indexes) and matches (odd indexes).
    # The standard library's escape, which Django's wraps: the wrapper's check for lazy strings, once per
    # part, was a tenth of a misspelt search's page. The parts are plain str, never lazy.
    return SafeString(  # every part is escaped  # nosec B703
        "".join(
            html.escape(part) if i % 2 == 0 else f"<mark>{html.escape(part)}</mark>" for i, part in enumerate(parts)
        )
    )


@register.simple_tag
def search_hit(hit, query):
    """One search result (a lore.search.SearchHit) as a list item: its title, highlighted, linking to the
    record; its franchise; and, unless it only repeats the title, the snippet around the match.

    A tag rather than markup in the loop: a search shows up to 20 hits of each type, and rendering each
    through the loop's nodes and filters was an eighth of a misspelt search's page.
    """
    franchise = _html(' <span class="tag">{}</span>', hit.franchise) if hit.franchise else ""
    shows_snippet = hit.snippet and hit.snippet != hit.title
    snippet = _html('<p class="search-results__snippet">{}</p>', highlight(hit.snippet, query)) if shows_snippet else ""
    return _html(
        '<li><a class="search-results__title" href="{}">{}</a>{}{}</li>',
        hit.url,
        highlight(hit.title, query),
        franchise,
        snippet,
    )


@register.simple_tag
def film_card(film, level=2):
    """A film as a card in a list: its title as a heading of `level` linking to it, its status badge and
    release date, its kind, its place in release order and the film it spun off from.

    A tag rather than an included template: lists and shelves show 12 to 24 cards a page, and an include
    per card (a new context, the include's nodes and filters) cost a third of the film list's Python calls.
    """
    if film.release_date:
        released = _time_element(film.release_date)
    else:
        released = "" if film.status == film.Status.RELEASED else "No release date"
    order = f" · #{film.release_order} in release order" if film.release_order else ""
    spun_off = _html(" · spun off from {}", _link(film.spun_off_from)) if film.spun_off_from else ""
    return _html(
        '<li class="card film-card film-card--{}"><h{} class="card__title"><a href="{}">{}</a></h{}>'
        '<p class="card__meta"><span class="badge badge--{}">{}</span> {}</p>'
        '<p class="card__meta">{}{}{}</p></li>',
        film.kind,
        level,
        film.get_absolute_url(),
        film.title,
        level,
        film.status,
        film.get_status_display(),
        released,
        film.get_kind_display(),
        order,
        spun_off,
    )


@register.simple_tag
def character_card(character):
    """A character as a card in a list: their name linking to them, their aliases, the start of their
    summary and their franchise. A tag for film_card's reason: the character list, 24 cards a page, is the
    longest list the benchmark reads, and its cards through the loop's nodes and filters were an eighth of
    its work.
    """
    aliases = ", ".join(character.aliases)
    summary = character.summary
    return _html(
        '<li class="card"><h2 class="card__title"><a href="{}">{}</a></h2>{}{}<p class="card__meta">{}</p></li>',
        character.get_absolute_url(),
        character.name,
        _html('<p class="card__meta">Also known as {}</p>', aliases) if aliases else "",
        _html("<p>{}</p>", Truncator(summary).chars(140)) if summary else "",
        character.franchise.name,
    )


@register.simple_tag
def note_item(note, show_film=False):
    """A production note in a list: its headline linking to it, its topic, its film unless the page is the
    film's, its speaker linking to them, and the date it happened, at its precision.

    A tag rather than an included template, for the reason film_card gives: lists show 20 notes a page.
    """
    film = _html("{} · ", _link(note.film)) if show_film else ""
    speaker = note.speaker
    said_by = _link(speaker) if speaker else "No named speaker"
    occurred = _time_element(note.occurred_on, note.occurred_precision) if note.occurred_on else ""
    return _html(
        '<li class="note-item"><a class="note-item__headline" href="{}">{}</a>'
        '<p class="note-item__meta"><span class="tag">{}</span> {}{}{}{}</p></li>',
        note.get_absolute_url(),
        note.headline,
        note.get_topic_display(),
        film,
        said_by,
        " · " if occurred else "",
        occurred,
    )


@register.simple_tag
def link_items(records, attribute="", note=""):
    """Each record (or each record's `attribute`) as a list item linking to its page, followed by `note` when
    given: the name of a method of the record whose answer labels the link, e.g. "get_kind_display".

    A tag for film_card's reason: a film's page lists its spinoffs, crew, characters and places this way,
    some fifty links, and a loop in the template resolved each name and address through several lookups.
    """
    rows = (
        (
            _link(getattr(record, attribute) if attribute else record),
            _html(' <span class="chips__note">{}</span>', getattr(record, note)()) if note else "",
        )
        for record in records
    )
    return _html_join("<li>{}{}</li>", rows)


@register.simple_tag
def person_links(credits):
    """The people of `credits`, each linking to their page, separated by commas: a film's crew in one role."""
    return SafeString(", ".join(_link(credit.person) for credit in credits))  # from _html  # nosec B703


@register.simple_tag
def cast_items(credits):
    """A film's cast: each actor linking to them, as the character linking to it."""
    rows = ((_link(credit.person), _link(credit.character)) for credit in credits)
    return _html_join('<li>{} <span class="cast__as">as</span> {}</li>', rows)


@register.simple_tag
def select_options(options, selected):
    """The <option>s of a select, from (value, label) pairs, marking the one whose value is `selected`.

    One tag rather than a loop in the template: a list page's filters offer up to a hundred records each,
    and rendering those options node by node was a third of the page's work. It escapes with the standard
    library, as _html does: Django's escape wraps it in a check for lazy strings, twice per option.
    """
    return SafeString(  # every value and label is escaped  # nosec B703
        "".join(
            f'<option value="{html.escape(str(value))}"{" selected" if value == selected else ""}>'
            f"{html.escape(str(label))}</option>"
            for value, label in options
        )
    )


@register.simple_tag
def timeline_links(links):
    """The lines of a timeline's SVG figure joining each film's two boxes (lore.timeline.Link), those of the
    films whose story is placed elsewhere than their release marked as moved. Each path is numbers only."""
    return SafeString(  # the class is fixed, the path is built of numbers by lore.timeline  # nosec B703
        "".join(
            f'<path class="orders__link{" orders__link--moved" if link.moved else ""}" d="{html.escape(link.path)}"/>'
            for link in links
        )
    )


@register.simple_tag
def timeline_boxes(boxes, width):
    """Films' boxes in a timeline's SVG figure (lore.timeline.FilmBox), one column: for each a link around its
    outline, its title lines and its year or status.

    A tag for the column rather than an included template, or a tag, per box: the timeline draws up to 48
    boxes per franchise, and an include each was a fifth of the page's work. The coordinates are written
    with the integer format, which refuses anything but a number, so only the text needs escaping.
    """
    return SafeString("".join(_timeline_box(box, width) for box in boxes))  # see _timeline_box  # nosec B703


def _timeline_box(box, width):
    film, text_x, escape_text = box.film, box.x + 10, html.escape
    lines = "".join(
        f'<text class="orders__title" x="{text_x:d}" y="{y:d}">{escape_text(line)}</text>'
        for line, y in box.line_positions
    )
    # Numbers by the integer format, text escaped.
    return (
        f'<a href="{escape_text(film.get_absolute_url())}" class="orders__box orders__box--{escape_text(film.kind)}'
        f' orders__box--{escape_text(film.status)}"><rect x="{box.x:d}" y="{box.y:d}" width="{width:d}"'
        f' height="{box.height:d}" rx="8"/>{lines}<text class="orders__meta" x="{text_x:d}" y="{box.meta_y:d}">'
        f"{escape_text(box.meta)}</text></a>"
    )


@register.simple_tag
def chronology_notes(boxes):
    """What a timeline says of where its films' stories fall, for the films that have a note: each film
    linking to it, then its note. A tag for the column rather than a loop in the template, which looked up
    each of up to 48 boxes' film and note to write a handful of lines."""
    return _html_join(
        '<p class="orders__note"><a href="{}">{}</a>: {}.</p>',
        (
            (box.film.get_absolute_url(), box.film.title, box.film.chronology_note)
            for box in boxes
            if box.film.chronology_note
        ),
    )


@register.simple_tag
def timeline_milestones(events):
    """A timeline's milestones of one year (lore.timeline.Milestone) as list items: for each its date at its
    precision, its title linking to the production note that dates it, or to the film for a release or a
    production status, and a line saying which.

    A tag for the year rather than markup in a loop: a timeline lists a release or status and the dated notes
    of each of up to 24 films per franchise (119 milestones at benchmark size), and rendering each through
    the loop's nodes and filters cost a sixth of the page's Python calls.
    """
    return _html_join(
        '<li class="milestone milestone--{}"><span class="milestone__date">{}</span>'
        '<a class="milestone__title" href="{}">{}</a><span class="milestone__meta">{}</span></li>',
        ((event.kind, fuzzy_date(event.date, event.precision), *_milestone_link_and_meta(event)) for event in events),
    )


def _milestone_link_and_meta(event):
    """Where a milestone's title links, its title, and the line under it."""
    film_url = event.film.get_absolute_url()
    if not event.note:
        return film_url, event.title, "Release" if event.kind == "release" else "Production status"
    speaker = event.note.speaker_name
    meta = _html('{}<a href="{}">{}</a>', f"{speaker} on " if speaker else "", film_url, event.film.title)
    return event.note.get_absolute_url(), event.title, meta


@register.simple_tag
def json_ld(data):
    """A schema.org JSON-LD block whose user text cannot close the script element.

    Compact, not indented: only without `indent` does the json module use its C encoder, and a film's
    block (its cast and crew) cost the page some 1,900 calls of the pure-Python one.
    """
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_SCRIPT_ESCAPES)
    return SafeString(f'<script type="application/ld+json">{payload}</script>')  # escaped above  # nosec B703
