"""`manage.py import_lore FILE [--dry-run]`: add or update one franchise from a lore file (docs/FORMAT.md)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lore.interchange.importer import import_franchise
from lore.interchange.validate import ImportRefused


class Command(BaseCommand):
    help = (
        "Import one franchise from a lore file (see docs/FORMAT.md). The whole file is checked first and written "
        "in one transaction: any problem is reported and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The lore file; - for stdin.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report what would change, writing nothing."
        )

    def handle(self, *args, file, dry_run, **options):
        name = "stdin" if file == "-" else Path(file).name
        try:
            data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            result = import_franchise(data=data, filename=name, dry_run=dry_run)
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(f"{name}: {problem}")
            count = len(refused.problems)
            raise CommandError(f"{name}: {count} problem{'s' if count != 1 else ''}; nothing was imported.") from None
        verb = "Checked (dry run, nothing written)" if dry_run else "Imported"
        self.stdout.write(f"{verb} franchise {result.franchise} from {name}:")
        for line in result.lines():
            self.stdout.write(f"  {line}")
