"""The timeline page's data: each franchise's films in release order beside their in-universe order, and
the dated milestones of their making, laid out for an SVG figure a phone can read.

The page shows a few franchises at a time (the view pages through them), in four queries whatever their
number: how many franchises have films, a page of them with their film counts, their latest films, and the
dated production notes of those films. A franchise shows its latest TIMELINE_FILMS films in release order,
and each film its latest TIMELINE_NOTES dated notes, so the page stays readable (and its size bounded)
however many films a franchise has, or notes a film; the film list and the film's page have the rest.
"""

import textwrap
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import groupby
from typing import ClassVar

from lore.models import DatePrecision, Film, ProductionNote
from lore.querysets import DatedNote

# Figure geometry, in SVG user units. The view box is narrow so that text stays legible on a 375 px phone.
WIDTH = 360
BOX_WIDTH = 150
RIGHT_X = WIDTH - BOX_WIDTH
HEADER = 34
GAP = 10  # between two boxes of a column
TITLE_CHARS = 17  # characters per title line at the figure's font size
MAX_TITLE_LINES = 3
LINE_HEIGHT = 15
FIRST_BASELINE = 20
TIMELINE_FILMS = 24  # per franchise
TIMELINE_NOTES = 8  # per film: its latest dated notes; the film's page lists them all
# What get_status_display() answers, looked up directly: Django rebuilds the field's choices as a dict on each
# call, and the timeline asks twice per film.
STATUS_LABELS = dict(Film.Status.choices)


@dataclass
class FilmBox:
    film: Film
    x: int
    y: int
    height: int
    lines: tuple
    meta: str

    @property
    def center_y(self):
        return self.y + self.height // 2

    @property
    def meta_y(self):
        return self.y + FIRST_BASELINE + LINE_HEIGHT * len(self.lines)

    @property
    def line_positions(self):
        return [(line, self.y + FIRST_BASELINE + LINE_HEIGHT * i) for i, line in enumerate(self.lines)]


@dataclass
class Link:
    film: Film
    path: str
    moved: bool


@dataclass
class Milestone:
    date: object
    precision: str
    kind: str  # "release", "status" or "note"
    title: str
    film: Film
    note: DatedNote | None = None


@dataclass
class FranchiseTimeline:
    franchise: object
    release: list = field(default_factory=list)
    story: list = field(default_factory=list)
    links: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)
    milestones: list = field(default_factory=list)
    more_notes: list = field(default_factory=list)  # films with more dated notes than the milestones show
    notes_per_film: ClassVar[int] = TIMELINE_NOTES
    height: int = HEADER
    box_height: int = 0
    film_count: int = 0  # the franchise's films in all, of which `release` shows the latest

    @property
    def capped(self):
        return self.film_count > len(self.release)

    @cached_property
    def years(self):
        """Milestones grouped by year, for the vertical timeline (the template asks twice)."""
        return [(year, list(events)) for year, events in groupby(self.milestones, key=lambda m: m.date.year)]

    @property
    def box_width(self):
        return BOX_WIDTH

    @property
    def width(self):
        return WIDTH

    @property
    def right_center_x(self):
        return RIGHT_X + BOX_WIDTH // 2

    @property
    def left_center_x(self):
        return BOX_WIDTH // 2


# Every request lays out the same titles again, and textwrap is slow: caching each title's lines took the
# timeline from 44.6 to 39.3 million instructions per request. The lines depend on the title alone; the
# cache is bounded, since titles come and go with edits.
@lru_cache(maxsize=4096)
def _title_lines(title):
    lines = textwrap.wrap(title, TITLE_CHARS) or [title]
    if len(lines) > MAX_TITLE_LINES:
        rest = " ".join(lines[MAX_TITLE_LINES - 1 :])
        lines = [*lines[: MAX_TITLE_LINES - 1], textwrap.shorten(rest, TITLE_CHARS, placeholder="…")]
    return tuple(lines)


def _meta(film):
    if film.status == Film.Status.RELEASED and film.release_date:
        return str(film.release_date.year)
    return STATUS_LABELS.get(film.status, film.status)


def _column(films, x, box_height):
    return [
        FilmBox(film, x, HEADER + row * (box_height + GAP), box_height, _title_lines(film.title), _meta(film))
        for row, film in enumerate(films)
    ]


def _milestones(films, notes):
    events = []
    for film in films:
        if film.status == Film.Status.RELEASED and film.release_date:
            events.append(Milestone(film.release_date, DatePrecision.DAY, "release", f"{film.title} released", film))
        elif film.status_as_of:
            status = STATUS_LABELS.get(film.status, film.status).lower()
            undated = "" if film.release_date else ", with no release date"
            title = f"{film.title}: {status}{undated}"
            events.append(Milestone(film.status_as_of, DatePrecision.MONTH, "status", title, film))
    for note in notes:
        events.append(Milestone(note.occurred_on, note.occurred_precision, "note", note.headline, note.film, note))
    order = {"release": 0, "note": 1, "status": 2}
    return sorted(events, key=lambda event: (event.date, order[event.kind]))


def _franchise_timeline(franchise, films, notes):
    # Every box is as tall as the longest title needs, so the two columns' rows line up.
    lines = max(len(_title_lines(film.title)) for film in films)
    timeline = FranchiseTimeline(
        franchise=franchise,
        box_height=FIRST_BASELINE + LINE_HEIGHT * lines + 12,
        film_count=franchise.film_count,
    )
    timeline.release = _column(films, 0, timeline.box_height)
    placed = sorted((f for f in films if f.chronology_order is not None), key=lambda f: (f.chronology_order, f.title))
    timeline.story = _column(placed, RIGHT_X, timeline.box_height)
    timeline.unplaced = [film for film in films if film.chronology_order is None]
    story_rows = {box.film.pk: box for box in timeline.story}
    for left in timeline.release:
        right = story_rows.get(left.film.pk)
        if right is None:
            continue
        y1, y2, x1, x2 = left.center_y, right.center_y, BOX_WIDTH, RIGHT_X
        middle = (x1 + x2) // 2
        path = f"M{x1},{y1} C{middle},{y1} {middle},{y2} {x2},{y2}"
        timeline.links.append(Link(film=left.film, path=path, moved=y1 != y2))
    rows = max(len(timeline.release), len(timeline.story), 1)
    timeline.height = HEADER + rows * (timeline.box_height + GAP)
    notes, timeline.more_notes = _latest_notes(films, notes)
    timeline.milestones = _milestones(films, notes)
    return timeline


def _latest_notes(films, notes):
    """The latest TIMELINE_NOTES of each film's notes (which hold at most one more, oldest first), and the
    films that had that one more."""
    by_film = {}
    for note in notes:
        by_film.setdefault(note.film_id, []).append(note)
    over = [film_notes for film_notes in by_film.values() if len(film_notes) > TIMELINE_NOTES]
    oldest = {film_notes[0].pk for film_notes in over}
    more = {film_notes[0].film_id for film_notes in over}
    return [note for note in notes if note.pk not in oldest], [film for film in films if film.pk in more]


def build_timeline(franchises):
    """One FranchiseTimeline per franchise, in the given order, from franchises that have films and come
    from Franchise.objects.with_latest_films(TIMELINE_FILMS)."""
    franchises = [franchise for franchise in franchises if franchise.latest_films]
    shown = [film for franchise in franchises for film in franchise.latest_films]
    notes_by_franchise = {}
    for note in ProductionNote.objects.milestones(shown, TIMELINE_NOTES):
        notes_by_franchise.setdefault(note.film.franchise_id, []).append(note)
    return [
        _franchise_timeline(franchise, franchise.latest_films, notes_by_franchise.get(franchise.pk, []))
        for franchise in franchises
    ]
