"""Helpers for the page tests: read a rendered page the way a visitor sees it (text, links, headings,
JSON-LD), and the query budget of a list page."""

import json
import re
from html import unescape
from html.parser import HTMLParser

from django.db import connection


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.h1s, self.json_ld, self.meta, self.titles = [], [], [], {}, []
        self._open = None  # ("h1" | "title" | "ld", collected text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta[attrs.get("property") or attrs.get("name")] = attrs.get("content", "")
        elif tag == "h1" or tag == "title":
            self._open = (tag, [])
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._open = ("ld", [])

    def handle_endtag(self, tag):
        if self._open and tag in {"h1", "title", "script"}:
            kind, parts = self._open
            text = "".join(parts)
            if kind == "h1":
                self.h1s.append(" ".join(text.split()))
            elif kind == "title":
                self.titles.append(" ".join(text.split()))
            else:
                self.json_ld.append(json.loads(text))
            self._open = None

    def handle_data(self, data):
        if self._open:
            self._open[1].append(data)


def parse(response):
    page = _Page()
    page.feed(response.content.decode())
    return page


def page_text(response):
    """The page's visible words with tags removed and whitespace collapsed, e.g. "Ana de Armas as Eve"."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    return re.sub(r" ([,.;:!?)])", r"\1", text)


def list_queries(n):
    """A list page's query budget: `n`, plus on PostgreSQL the planner estimate lore.paging reads before
    deciding whether to count an unfiltered table exactly."""
    return n + (connection.vendor == "postgresql")
