"""Template helpers for the pages: dates at their known precision, search highlighting, select options, JSON-LD."""

import html
import json
import re

from django import template
from django.utils.dateformat import format as format_date
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

_DATE_FORMATS = {"day": "j F Y", "month": "F Y", "year": "Y"}

# JSON inside <script> must not contain "</script>" or "<!--": escape the characters that could form them.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def fuzzy_date(value, precision="day"):
    """A date written only as precisely as it is known: "2018", "March 2023" or "24 March 2023"."""
    if not value:
        return ""
    return format_date(value, _DATE_FORMATS.get(precision, _DATE_FORMATS["day"]))


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
    return mark_safe(  # noqa: S308 - every part is escaped  # nosec B308 B703
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
    franchise = format_html(' <span class="tag">{}</span>', hit.franchise) if hit.franchise else ""
    shows_snippet = hit.snippet and hit.snippet != hit.title
    snippet = (
        format_html('<p class="search-results__snippet">{}</p>', highlight(hit.snippet, query)) if shows_snippet else ""
    )
    return format_html(
        '<li><a class="search-results__title" href="{}">{}</a>{}{}</li>',
        hit.url,
        highlight(hit.title, query),
        franchise,
        snippet,
    )


@register.simple_tag
def select_options(options, selected):
    """The <option>s of a select, from (value, label) pairs, marking the one whose value is `selected`.

    One tag rather than a loop in the template: a list page's filters offer up to a hundred records each,
    and rendering those options node by node was a third of the page's work.
    """
    return mark_safe(  # noqa: S308 - every value and label is escaped  # nosec B308 B703
        "".join(
            f'<option value="{escape(value)}"{" selected" if value == selected else ""}>{escape(label)}</option>'
            for value, label in options
        )
    )


@register.simple_tag
def timeline_box(box, width):
    """One film's box in a timeline's SVG figure (a lore.timeline.FilmBox): a link around its outline, its
    title lines and its year or status.

    A tag rather than an included template: the timeline draws up to 48 boxes per franchise, and rendering
    each through an include was a fifth of the page's work.
    """
    film, text_x = box.film, box.x + 10
    return format_html(
        '<a href="{}" class="orders__box orders__box--{} orders__box--{}">'
        '<rect x="{}" y="{}" width="{}" height="{}" rx="8"/>{}<text class="orders__meta" x="{}" y="{}">{}</text></a>',
        film.get_absolute_url(),
        film.kind,
        film.status,
        box.x,
        box.y,
        width,
        box.height,
        format_html_join(
            "",
            '<text class="orders__title" x="{}" y="{}">{}</text>',
            ((text_x, y, line) for line, y in box.line_positions),
        ),
        text_x,
        box.meta_y,
        box.meta,
    )


@register.simple_tag
def json_ld(data):
    """A schema.org JSON-LD block whose user text cannot close the script element."""
    payload = json.dumps(data, ensure_ascii=False, indent=1).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 - escaped above  # nosec B308 B703
