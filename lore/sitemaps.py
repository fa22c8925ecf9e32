"""sitemap.xml: every detail page, plus the list pages and the timeline."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from lore.models import Character, Film, Franchise, Location, Organization, Person, ProductionNote, Source


class RecordSitemap(Sitemap):
    """The detail pages of one model. Loads only the columns the URL and lastmod need."""

    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, record):
        return record.updated_at


class PageSitemap(Sitemap):
    """The pages that are not one record: home, the lists, the timeline."""

    priority = 0.8

    def items(self):
        lists = [f"lore:{model._meta.model_name}-list" for model in RECORD_MODELS]
        return ["lore:home", "lore:timeline", *lists]

    def location(self, name):
        return reverse(name)


RECORD_MODELS = (Franchise, Film, Character, Person, Location, Organization, ProductionNote, Source)

SITEMAPS = {
    "pages": PageSitemap(),
    **{model._meta.model_name: RecordSitemap(model) for model in RECORD_MODELS},
}
