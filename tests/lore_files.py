"""Helpers for the import/export tests: run the commands, and take the database's picture to compare."""

import io
import json

from django.core import serializers
from django.core.management import call_command
from django.test import override_settings

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

LORE_MODELS = [
    Franchise,
    Source,
    Person,
    Film,
    Organization,
    Location,
    Character,
    Credit,
    Appearance,
    ProductionNote,
    Citation,
]


def export_text(slug):
    """What `manage.py export_lore <slug>` prints."""
    out = io.StringIO()
    call_command("export_lore", slug, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def import_file(path, *args):
    """Run `manage.py import_lore <path>`; returns its output. Raises CommandError when refused."""
    out = io.StringIO()
    call_command("import_lore", str(path), *args, stdout=out, stderr=out)
    return out.getvalue()


def write_lore(tmp_path, document, name="franchise.lore.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def snapshot():
    """Every lore row by natural key (without its timestamp), and how many history rows each model has."""
    rows = {}
    for model in LORE_MODELS:
        data = json.loads(
            serializers.serialize(
                "json", model.objects.all(), use_natural_foreign_keys=True, use_natural_primary_keys=True
            )
        )
        for row in data:
            row.pop("pk", None)
            row["fields"].pop("updated_at", None)
        rows[model.__name__] = sorted(json.dumps(row, sort_keys=True) for row in data)
        rows[f"{model.__name__} history"] = model.history.count()
    return rows


def counts():
    return {model.__name__: model.objects.count() for model in LORE_MODELS}


@override_settings(SIMPLE_HISTORY_ENABLED=False)  # deleting without recording it takes half the time
def empty_database():
    """Delete every lore record, leaving the database as a fresh `migrate` does."""
    Citation.objects.all().delete()
    ProductionNote.objects.all().delete()
    Appearance.objects.all().delete()
    Credit.objects.all().delete()
    Character.objects.all().delete()
    Location.objects.update(parent=None)
    Location.objects.all().delete()
    Organization.objects.all().delete()
    Film.objects.update(spun_off_from=None)
    Film.objects.all().delete()
    Franchise.objects.all().delete()
    Person.objects.all().delete()
    Source.objects.update(relays=None)
    Source.objects.all().delete()
    assert not any(counts().values())
