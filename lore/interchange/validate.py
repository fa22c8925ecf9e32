"""Everything a lore file is checked for before the import writes: JSON syntax, the schema, duplicate records,
references that resolve, and slugs that another franchise already uses.

Each problem names where it is (a path such as `films[2].spun_off_from`) and the value found there. A record
with a problem is set aside, so the checks after it (and the importer's model checks) still run on the rest
and one pass reports every problem in the file.
"""

import difflib
import functools
import json
from dataclasses import dataclass, field
from decimal import Decimal

from jsonschema import Draft202012Validator

from lore.interchange import format as fmt

_NO_VALUE = object()
_TYPE_NAMES = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "array": "a list",
    "object": "an object",
    "null": "null",
    "boolean": "true or false",
}
# Fields whose value points at a record of the same section: a chain of them must not loop.
SELF_REFERENCES = (("sources", "relays"), ("films", "spun_off_from"), ("locations", "parent"))
_SECTION_RANK = {name: rank for rank, name in enumerate(["format", "version", *fmt.BY_NAME])}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where (a path into the document), what, and the value found there."""

    where: tuple = ()
    message: str = ""
    value: object = _NO_VALUE

    @property
    def path(self):
        return format_path(self.where)

    def sort_key(self):
        return tuple(
            (0, _SECTION_RANK.get(part, 99), part) if isinstance(part, str) else (1, part, "") for part in self.where
        )

    def __str__(self):
        text = f"{self.path}: {self.message}" if self.where else self.message
        if self.value is not _NO_VALUE:
            value = self.value
            shown = str(value) if isinstance(value, Decimal) else json.dumps(value, default=str, ensure_ascii=False)
            text += f" (found {shown if len(shown) <= 80 else shown[:77] + '...'})"
        return text


class ImportRefused(Exception):
    """The file has problems; nothing was written. `problems` lists them all, in file order."""

    def __init__(self, problems):
        self.problems = sorted(problems, key=Problem.sort_key)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''}: " + "; ".join(map(str, self.problems[:3])))


def format_path(where):
    """("films", 2, "spun_off_from") -> "films[2].spun_off_from"."""
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def parse(data):
    """The document in `data` (bytes or text), or ImportRefused naming the line and column of a syntax error."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            message = f"The file is not UTF-8 text (bad byte at offset {error.start})."
            raise ImportRefused([Problem(message=message)]) from None
    try:
        return json.loads(data, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ImportRefused([Problem(message=f"Not valid JSON at {where}: {error.msg}.")]) from None
    except _NotJSON as error:
        raise ImportRefused([Problem(message=f"Not valid JSON: {error} is not a JSON value.")]) from None


class _NotJSON(ValueError):
    pass


def _reject_constant(name):
    raise _NotJSON(name)  # Python's json accepts NaN and Infinity; JSON does not.


@dataclass
class Plan:
    """A checked document: its problems, the records set aside, and where each record key first appears."""

    document: dict
    problems: list = field(default_factory=list)
    bad: set = field(default_factory=set)
    keys: dict = field(default_factory=dict)
    fatal: bool = False

    @property
    def franchise_slug(self):
        return self.document["franchise"]["slug"]

    def records(self, section):
        """(index, record) for each record of the section that passed every check so far."""
        for index, record in enumerate(self.document.get(section.name, [])):
            if (section.name, index) not in self.bad:
                yield index, record

    def refuse(self, where, message, value=_NO_VALUE):
        self.problems.append(Problem(tuple(where), message, value))
        if len(where) >= 2 and where[0] in fmt.BY_NAME and isinstance(where[1], int):
            self.bad.add((where[0], where[1]))


def check(document):
    """Check a parsed document without writing anything; the returned Plan lists the problems found."""
    plan = Plan(document if isinstance(document, dict) else {})
    if not _check_header(plan, document) or not _check_schema(plan):
        plan.fatal = True
        return plan
    for section in fmt.LIST_SECTIONS:
        _check_duplicates(plan, section)
    _check_references(plan)
    _check_citations(plan)
    _check_loops(plan)
    _check_clashes(plan)
    return plan


def _check_header(plan, document):
    if not isinstance(document, dict):
        plan.refuse((), "A lore file is a JSON object with format, version and franchise.")
        return False
    if document.get("format") != fmt.FORMAT:
        plan.refuse(("format",), f'must be "{fmt.FORMAT}": this does not look like a lore file', document.get("format"))
        return False
    if document.get("version") != fmt.VERSION:
        plan.refuse(("version",), f"this Lore reads format version {fmt.VERSION} only", document.get("version"))
        return False
    return True


@functools.cache
def _validator():
    return Draft202012Validator(fmt.json_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _check_schema(plan):
    """Schema errors, one per place; False when the franchise or the file's outline is wrong."""
    seen, outline_ok = set(), True
    for error in _validator().iter_errors(plan.document):
        for where, message, value in _explain(error):
            if where in seen:
                continue
            seen.add(where)
            plan.refuse(where, message, value)
            if len(where) < 2 or where[0] == "franchise" or not isinstance(where[1], int):
                outline_ok = False
    return outline_ok


def _explain(error):
    """Turn one jsonschema error into (where, message, value) triples a person can act on."""
    where, kind, instance = tuple(error.absolute_path), error.validator, error.instance
    if kind == "required":
        return [(where + (name,), "is required but missing", _NO_VALUE) for name in _missing(error)]
    if kind == "additionalProperties":
        known = list(error.schema["properties"])
        return [
            (where + (name,), "is not a field of this record" + _did_you_mean(name, known), _NO_VALUE)
            for name in instance
            if name not in known
        ]
    if kind == "oneOf" and isinstance(instance, dict):
        named = [name for name in fmt.TARGET_SECTION if name in instance]
        options = ", ".join(fmt.TARGET_SECTION)
        if named:
            return [(where, f"names {len(named)} cited records ({', '.join(named)}); name exactly one", _NO_VALUE)]
        return [(where, f"names no cited record; name exactly one of {options}", _NO_VALUE)]
    return [(where, _MESSAGES.get(kind, lambda e: e.message)(error), instance)]


def _missing(error):
    return [name for name in error.validator_value if name not in error.instance]


def _did_you_mean(name, known):
    close = difflib.get_close_matches(name, known, n=1)
    return f'; did you mean "{close[0]}"?' if close else ""


def _expected_type(error):
    types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    return "must be " + " or ".join(_TYPE_NAMES.get(name, name) for name in types)


def _pattern(error):
    if error.validator_value == fmt.SLUG_PATTERN:
        return "must be a slug: letters, digits, hyphens and underscores only"
    if "\\d{4}" in error.validator_value:
        return "must be a date written YYYY-MM-DD"
    return "must not be blank"


_MESSAGES = {
    "type": _expected_type,
    "enum": lambda e: "must be one of " + ", ".join(map(str, e.validator_value)),
    "const": lambda e: f"must be {json.dumps(e.validator_value)}",
    "format": lambda e: "must be a real date written YYYY-MM-DD",
    "pattern": _pattern,
    "minLength": lambda e: "must not be empty",
    "maxLength": lambda e: f"is longer than {e.validator_value} characters",
    "minimum": lambda e: f"must be at least {e.validator_value}",
    "maximum": lambda e: f"must be at most {e.validator_value}",
    "uniqueItems": lambda e: "lists the same slug more than once",
}


def key_of(section, record):
    """The record's identity within its section (slug, or natural key), or None if it is malformed."""
    if section is fmt.CITATIONS:
        return _citation_key(record)
    values = tuple(record.get(name) for name in section.key)
    nullable = {name for name in section.key if name not in section.required}
    if all(isinstance(v, str) or (v is None and name in nullable) for name, v in zip(section.key, values, strict=True)):
        return values[0] if section.key == ("slug",) else values
    return None


def _citation_key(record):
    named = [name for name in fmt.TARGET_SECTION if name in record]
    if len(named) != 1 or not isinstance(record.get("source"), str):
        return None
    kind = named[0]
    if kind in fmt.TARGET_KEYS:
        target = key_of(fmt.BY_NAME[fmt.TARGET_SECTION[kind]], record[kind] if isinstance(record[kind], dict) else {})
    else:
        target = record[kind] if isinstance(record[kind], str) else None
    return None if target is None else (record["source"], kind, target)


def _describe_key(section):
    if section is fmt.CITATIONS:
        return "the same source citing the same record"
    return f"the same {', '.join(section.key)}" if len(section.key) > 1 else "the same slug"


def _check_duplicates(plan, section):
    """Index every record by key, set-aside ones too, so references to them don't read as dangling."""
    keys = plan.keys.setdefault(section.name, {})
    for index, record in enumerate(plan.document.get(section.name, [])):
        key = key_of(section, record) if isinstance(record, dict) else None
        if key is None:
            continue
        if key in keys:
            where = (section.name, index, "slug") if section.key == ("slug",) else (section.name, index)
            first = format_path((section.name, keys[key]))
            plan.refuse(where, f"duplicate: {first} has {_describe_key(section)}", key)
        else:
            keys[key] = index


def _existing_slugs(section, slugs):
    """Which of `slugs` name a record of a site-wide section already in the database."""
    found = set()
    slugs = sorted(slugs)
    for start in range(0, len(slugs), 500):
        chunk = slugs[start : start + 500]
        found.update(section.model.objects.filter(slug__in=chunk).values_list("slug", flat=True))
    return found


def _reference_fields(section):
    """(field, target section) for each field of the section that holds slugs of other records."""
    if section is fmt.CITATIONS:
        targets = [(kind, fmt.TARGET_SECTION[kind]) for kind in fmt.SLUG_TARGETS if kind != "franchise"]
        return [("source", "sources"), *targets]
    return [(name, section.target(name)) for name in section.fields if section.target(name)]


def references(plan):
    """(where, target section, slug) for every slug reference in the records still in play."""
    for section in fmt.LIST_SECTIONS:
        fields = _reference_fields(section)
        for index, record in plan.records(section):
            for name, target in fields:
                value = record.get(name)
                if isinstance(value, list):
                    for position, slug in enumerate(value):
                        yield (section.name, index, name, position), target, slug
                elif value is not None:
                    yield (section.name, index, name), target, value


def _check_references(plan):
    found = list(references(plan))
    in_database = {}
    for section in (fmt.SOURCES, fmt.PEOPLE):
        wanted = {slug for _, target, slug in found if target == section.name}
        in_database[section.name] = _existing_slugs(section, wanted - plan.keys[section.name].keys())
    for where, target, slug in found:
        if slug in plan.keys.get(target, ()) or slug in in_database.get(target, ()):
            continue
        section = fmt.BY_NAME[target]
        place = "in this file or in the database" if section.shared else "in this file"
        plan.refuse(where, f"no {section.noun} has this slug {place}", slug)


def _check_citations(plan):
    """Citation targets that are not a plain slug: the franchise itself, a credit, an appearance."""
    for index, record in plan.records(fmt.CITATIONS):
        if "franchise" in record and record["franchise"] != plan.franchise_slug:
            message = f'a file can only cite its own franchise, "{plan.franchise_slug}"'
            plan.refuse(("citations", index, "franchise"), message, record["franchise"])
        for kind, section_name in (("credit", "credits"), ("appearance", "appearances")):
            if kind in record:
                key = key_of(fmt.BY_NAME[section_name], record[kind])
                if key not in plan.keys[section_name]:
                    plan.refuse(("citations", index, kind), f"no such {kind} among this file's {section_name}", key)


def _check_loops(plan):
    for section_name, field_name in SELF_REFERENCES:
        section = fmt.BY_NAME[section_name]
        index_of, parent = {}, {}
        for index, record in plan.records(section):
            index_of[record["slug"]] = index
            parent[record["slug"]] = record.get(field_name)
        done = set()
        for start in parent:
            chain, slug = [], start
            while slug in parent and slug not in done and slug not in chain:
                chain.append(slug)
                slug = parent[slug]
            done.update(chain)
            if slug not in chain:
                continue
            loop = chain[chain.index(slug) :]
            first = min(loop, key=index_of.get)
            loop = loop[loop.index(first) :] + loop[: loop.index(first)]
            text = " → ".join([*loop, first])
            plan.refuse((section_name, index_of[first], field_name), f"makes a loop: {text}", parent[first])
            plan.bad.update((section_name, index_of[member]) for member in loop)


# How each franchise-owned section reaches its franchise, for finding slugs another franchise uses.
_FRANCHISE_PATH = {
    "films": "franchise",
    "organizations": "franchise",
    "locations": "franchise",
    "characters": "franchise",
    "production_notes": "film__franchise",
}


def _check_clashes(plan):
    """Slugs are unique per kind site-wide: refuse one that another franchise's record already has."""
    for section_name, path in _FRANCHISE_PATH.items():
        section = fmt.BY_NAME[section_name]
        wanted = plan.keys[section_name]
        slugs = sorted(wanted)
        for start in range(0, len(slugs), 500):
            clashes = (
                section.model.objects.filter(slug__in=slugs[start : start + 500])
                .exclude(**{f"{path}__slug": plan.franchise_slug})
                .values_list("slug", f"{path}__name", f"{path}__slug")
            )
            for slug, other_name, other_slug in clashes:
                suggestion = _free_slug(plan, section, slug)
                message = (
                    f'is already the slug of a {section.noun} of another franchise, {other_name} ("{other_slug}"); '
                    f'slugs are unique across franchises. Rename it, for example to "{suggestion}"'
                )
                plan.refuse((section_name, wanted[slug], "slug"), message, slug)


def _free_slug(plan, section, slug):
    """`<franchise>-<slug>` (with -2, -3... if needed): free in the database and in the file."""
    base = f"{plan.franchise_slug}-{slug}"[:190]
    candidate, number = base, 1
    while candidate in plan.keys[section.name] or section.model.objects.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate
