"""`manage.py export_lore <franchise-slug> --output FILE`: write one franchise as a lore file (docs/FORMAT.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lore.interchange.exporter import export_franchise, render
from lore.models import Franchise


class Command(BaseCommand):
    help = "Export one franchise as a lore file (see docs/FORMAT.md). Two exports of the same data are identical."

    def add_arguments(self, parser):
        parser.add_argument("franchise", help="The franchise's slug, e.g. john-wick.")
        parser.add_argument("--output", "-o", default="-", help="File to write; - (the default) for stdout.")

    def handle(self, *args, franchise, output, **options):
        try:
            text = render(export_franchise(slug=franchise))
        except Franchise.DoesNotExist:
            known = ", ".join(Franchise.objects.order_by("slug").values_list("slug", flat=True)) or "none yet"
            raise CommandError(f'No franchise has the slug "{franchise}". Known franchises: {known}.') from None
        if output == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        self.stderr.write(f"Wrote franchise {franchise} to {output}.")
