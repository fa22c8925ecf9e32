"""Import a lore file: check all of it, then write it in one transaction, or write nothing.

The file is the whole franchise. Each record is created, or updated in place when its slug (or natural key)
already belongs to this franchise; records of the franchise that the file no longer lists are deleted.
People and sources are shared by every franchise: they are created or updated, never deleted. Other
franchises are never touched. Records whose values already match are not saved again, so re-importing a
file writes nothing and adds no history. Every save and delete carries the history reason
"import_lore <file name>".
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, router, transaction
from django.db.models import CheckConstraint, ProtectedError, Q, UniqueConstraint

from lore.interchange import format as fmt
from lore.interchange.scope import citation_key, citations, franchise_citations
from lore.interchange.validate import ImportRefused, Problem, check, key_of, parse, references
from lore.models import Appearance, Credit, Franchise

# The sections written record by record after the franchise, each after the ones it refers to.
WRITE_ORDER = (
    fmt.SOURCES,
    fmt.PEOPLE,
    fmt.FILMS,
    fmt.ORGANIZATIONS,
    fmt.LOCATIONS,
    fmt.CHARACTERS,
    fmt.CREDITS,
    fmt.APPEARANCES,
    fmt.PRODUCTION_NOTES,
    fmt.CITATIONS,
)
_SELF_REFERENCE = {"sources": "relays", "films": "spun_off_from", "locations": "parent"}
_HAS_FRANCHISE = ("films", "organizations", "locations", "characters")
_REASON_LENGTH = 100  # django-simple-history's history_change_reason column
# The fields that identify a record of each section; a citation's are its source and whichever target it sets.
_KEY_FIELDS = {"citations": ("source", *fmt.TARGET_SECTION)}


@dataclass
class ImportResult:
    franchise: str
    counts: dict
    dry_run: bool = False

    def lines(self):
        """One line per kind of record: how many were created, updated, left unchanged and deleted."""
        lines = []
        for section in fmt.SECTIONS:
            count = self.counts.get(section.name)
            if count:
                parts = [
                    f"{count[what]} {what}" for what in ("created", "updated", "unchanged", "deleted") if count[what]
                ]
                lines.append(f"{section.name}: {', '.join(parts)}")
        return lines


def import_franchise(*, data, filename, dry_run=False):
    """Import one lore file (bytes or text). Returns an ImportResult, or raises ImportRefused having written
    nothing. With dry_run, everything is checked and counted, then rolled back."""
    plan = check(parse(data))
    if plan.fatal:
        raise ImportRefused(plan.problems)
    writer = _Writer(plan, reason=f"import_lore {filename}"[:_REASON_LENGTH])
    try:
        with transaction.atomic():
            writer.write()
            problems = plan.problems + writer.problems
            if problems:
                raise ImportRefused(problems)  # leaving the block this way rolls everything back
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as error:  # someone else wrote a clashing row since check() looked
        raise ImportRefused([Problem(message=f"The database refused the import: {error}")]) from error
    return ImportResult(franchise=plan.franchise_slug, counts=dict(writer.counts), dry_run=dry_run)


def validate_model(instance, *, key_fields=()):
    """Django's full_clean(), less the database reads this import has made redundant.

    Foreign keys point at rows this transaction has just written or loaded (check() resolved every
    reference), so they are not looked up again; on a site with read replicas those reads would go to a
    replica, which cannot see this transaction's rows. Slugs were checked against the file and the other
    franchises, and unique constraints on `key_fields` hold because the file has no duplicate keys and a key
    that exists is updated in place. Field validation, the model's clean() and every other constraint
    (release order per franchise, an actor credit names a character...) still run.
    """
    relations = [field.name for field in instance._meta.concrete_fields if field.is_relation]
    errors = {}
    for step in (lambda: instance.clean_fields(exclude=relations), instance.clean):
        try:
            step()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    for constraint in instance._meta.constraints:
        if isinstance(constraint, UniqueConstraint) and set(constraint.fields) <= set(key_fields):
            continue
        try:
            _validate_constraint(constraint, instance, exclude=set(errors) - {NON_FIELD_ERRORS})
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


class _Unsure(Exception):
    pass


def _validate_constraint(constraint, instance, *, exclude):
    """CheckConstraint.validate() runs a query per record; conditions made only of equality and isnull
    lookups (all of Lore's) are decided here instead, with SQL's rule that an unknown result passes."""
    if isinstance(constraint, CheckConstraint):
        try:
            if _truth(constraint.condition, instance) is False:
                raise ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
            return
        except _Unsure:
            pass
    constraint.validate(type(instance), instance, exclude=exclude)


def _truth(condition, instance):
    """True, False or None (SQL's unknown) for a Q of `field`, `field__exact` and `field__isnull` lookups."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_truth(child, instance))
            continue
        if not isinstance(child, tuple):
            raise _Unsure
        lookup, expected = child
        name, _, kind = lookup.partition("__")
        field = instance._meta.get_field(name)
        actual = getattr(instance, field.attname)
        if kind == "isnull":
            results.append((actual is None) == expected)
        elif kind in ("", "exact") and not field.is_relation:
            results.append(None if actual is None or expected is None else actual == expected)
        else:
            raise _Unsure
    if condition.connector == Q.AND:
        result = False if False in results else None if None in results else True
    elif condition.connector == Q.OR:
        result = True if True in results else None if None in results else False
    else:
        raise _Unsure
    return (None if result is None else not result) if condition.negated else result


class _Writer:
    def __init__(self, plan, *, reason):
        self.plan, self.reason = plan, reason
        self.problems = []
        self.counts = defaultdict(Counter)
        self.saved = defaultdict(dict)  # section -> key -> instance now in the database, for references
        # Read from the database written to: a read replica would not see this transaction's own rows.
        self.db = router.db_for_write(Franchise)

    def write(self):
        self.franchise = self._write_franchise()
        if self.franchise is None:
            return
        self.existing = self._load_existing()
        self._free_release_orders()
        for section in WRITE_ORDER:
            self._write_section(section)
        if not self.plan.problems and not self.problems:
            self._delete_absent()

    def _write_franchise(self):
        record = self.plan.document["franchise"]
        values = {name: record.get(name, fmt.FRANCHISE.default(name)) for name in fmt.FRANCHISE.fields}
        existing = Franchise.objects.using(self.db).filter(slug=record["slug"]).first()
        return self._save(fmt.FRANCHISE, None, record, existing, values, {})

    def _load_existing(self):
        """The records this import may update, by key: this franchise's, and the shared ones it names."""
        existing = {}
        for section in (fmt.SOURCES, fmt.PEOPLE):
            named = set(self.plan.keys[section.name]) | {
                slug for _, target, slug in references(self.plan) if target == section.name
            }
            rows = {}
            named = sorted(named)
            for start in range(0, len(named), 500):
                rows.update(
                    {
                        row.slug: row
                        for row in section.model.objects.using(self.db).filter(slug__in=named[start : start + 500])
                    }
                )
            existing[section.name] = rows
            self.saved[section.name].update(rows)
        franchise = self.franchise
        for name, links in (("films", ()), ("organizations", ("films",)), ("locations", ("films",))):
            rows = fmt.BY_NAME[name].model.objects.using(self.db).filter(franchise=franchise).prefetch_related(*links)
            existing[name] = {row.slug: row for row in rows}
        characters = (
            fmt.CHARACTERS.model.objects.using(self.db).filter(franchise=franchise).prefetch_related("organizations")
        )
        existing["characters"] = {row.slug: row for row in characters}
        notes = fmt.PRODUCTION_NOTES.model.objects.using(self.db).filter(film__franchise=franchise)
        existing["production_notes"] = {row.slug: row for row in notes}
        credits = (
            Credit.objects.using(self.db)
            .filter(film__franchise=franchise)
            .select_related("film", "person", "character")
        )
        existing["credits"] = {row.natural_key(): row for row in credits}
        appearances = (
            Appearance.objects.using(self.db).filter(film__franchise=franchise).select_related("film", "character")
        )
        existing["appearances"] = {row.natural_key(): row for row in appearances}
        cited_people = [record["person"] for _, record in self.plan.records(fmt.CITATIONS) if "person" in record]
        rows = citations(franchise_citations(franchise) | Q(person__slug__in=cited_people)).using(self.db)
        existing["citations"] = {citation_key(row): row for row in rows}
        return existing

    def _free_release_orders(self):
        """Release orders are unique per franchise: clear those about to move, so films can swap places."""
        films = [record for record in self.plan.document.get("films", []) if isinstance(record, dict)]
        wanted = {record.get("slug"): record.get("release_order") for record in films}
        moving = [
            film
            for film in self.existing["films"].values()
            if film.release_order is not None and wanted.get(film.slug) != film.release_order
        ]
        fmt.FILMS.model.objects.using(self.db).filter(pk__in=[film.pk for film in moving]).update(release_order=None)
        for film in moving:
            film.release_order = None

    def _write_section(self, section):
        records = list(self.plan.records(section))
        if section.name in _SELF_REFERENCE:
            records = _parents_first(records, _SELF_REFERENCE[section.name])
        for index, record in records:
            key = key_of(section, record)
            values, links = self._values(section, record)
            if values is None:
                continue  # it refers to a record that could not be written, which is reported already
            instance = self._save(section, index, record, self.existing[section.name].get(key), values, links)
            if instance is not None:
                self.saved[section.name][key] = instance

    def _values(self, section, record):
        """The record's model field values, with references resolved; (None, None) if one is unresolved."""
        if section is fmt.CITATIONS:
            return self._citation_values(record)
        values, links = {}, {}
        if section.name in _HAS_FRANCHISE:
            values["franchise"] = self.franchise
        for name in section.fields:
            field = section.field(name)
            raw = record.get(name, section.default(name))
            if field.many_to_many:
                targets = [self.saved[section.target(name)].get(slug) for slug in raw]
                if None in targets:
                    return None, None
                links[name] = targets
            elif field.is_relation and raw is not None:
                values[name] = self.saved[section.target(name)].get(raw)
                if values[name] is None:
                    return None, None
            else:
                values[name] = fmt.to_python(field, raw)
        return values, links

    def _citation_values(self, record):
        source, kind, target_key = key_of(fmt.CITATIONS, record)
        target = self.franchise if kind == "franchise" else self.saved[fmt.TARGET_SECTION[kind]].get(target_key)
        source = self.saved["sources"].get(source)
        if source is None or target is None:
            return None, None
        values = {"source": source, "claim": record.get("claim", ""), **dict.fromkeys(fmt.TARGET_SECTION)}
        values[kind] = target
        return values, {}

    def _save(self, section, index, record, instance, values, links):
        """Create or update one record if anything differs; returns it, or None if the model refused it."""
        created = instance is None
        if created:
            instance = section.model()
        changed = created or any(_differs(instance, name, value) for name, value in values.items())
        for name, value in values.items():
            setattr(instance, name, value)
        if changed:
            try:
                validate_model(instance, key_fields=_KEY_FIELDS.get(section.name, section.key))
            except ValidationError as error:
                self._refuse(section, index, record, error)
                return None
            instance._change_reason = self.reason
            instance.save()
        for name, targets in links.items():
            manager = getattr(instance, name)
            if {target.pk for target in targets} != ({row.pk for row in manager.all()} if not created else set()):
                instance._change_reason = self.reason
                manager.set(targets)
                changed = True
        self.counts[section.name]["created" if created else "updated" if changed else "unchanged"] += 1
        return instance

    def _refuse(self, section, index, record, error):
        """Report a model's ValidationError at the fields it names, or at the record with its key."""
        base = (section.name,) if index is None else (section.name, index)
        key = key_of(section, record)
        label = key if isinstance(key, str) else " / ".join(str(part) for part in key if part is not None)
        for name, messages in error.message_dict.items():
            for message in messages:
                if name in section.fields:
                    self.problems.append(Problem(base + (name,), message.rstrip("."), record.get(name)))
                else:
                    self.problems.append(Problem(base, f'{section.noun} "{label}": {message.rstrip(".")}'))

    def _delete_absent(self):
        """Delete this franchise's records that the file no longer lists, dependents first."""
        in_file = self.plan.keys
        scope = citations(franchise_citations(self.franchise)).using(self.db)
        self._delete(fmt.CITATIONS, [row for row in scope if citation_key(row) not in in_file["citations"]])
        for section in reversed(WRITE_ORDER[2:-1]):
            absent = [row for key, row in self.existing[section.name].items() if key not in in_file[section.name]]
            if section.name in _SELF_REFERENCE:
                absent = _children_first(absent, _SELF_REFERENCE[section.name] + "_id")
            self._delete(section, absent)

    def _delete(self, section, rows):
        for row in rows:
            row._change_reason = self.reason
            try:
                row.delete()
            except ProtectedError as error:
                users = ", ".join(sorted(str(obj) for obj in error.protected_objects)[:5])
                message = f'cannot delete {section.noun} "{row}", which the file no longer lists: {users} refer to it'
                self.problems.append(Problem((section.name,), message))
                continue
            self.counts[section.name]["deleted"] += 1


def _differs(instance, name, value):
    field = instance._meta.get_field(name)
    if field.is_relation:
        return getattr(instance, field.attname) != (value.pk if value is not None else None)
    return getattr(instance, name) != value


def _parents_first(records, field_name):
    """Order (index, record) pairs so a record comes after the one its `field_name` names."""
    by_slug = {record["slug"]: (index, record) for index, record in records}
    ordered, placed = [], set()
    for slug in by_slug:
        chain = []
        while slug in by_slug and slug not in placed:  # check() refused loops, so this ends
            placed.add(slug)
            chain.append(slug)
            slug = by_slug[slug][1].get(field_name)
        ordered.extend(by_slug[member] for member in reversed(chain))
    return ordered


def _children_first(rows, parent_attname):
    by_pk = {row.pk: row for row in rows}

    def depth(row):
        level, seen = 0, set()
        while getattr(row, parent_attname) in by_pk and row.pk not in seen:
            seen.add(row.pk)
            row, level = by_pk[getattr(row, parent_attname)], level + 1
        return level

    return sorted(rows, key=depth, reverse=True)
