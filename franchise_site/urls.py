"""Top-level URLs: the pages, the API under /api/, and the admin at a configurable path."""

import os

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from lore import api
from lore.health import healthz

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/", include((api.urlpatterns, "api"))),
    path("", include("lore.urls")),
]

# The benchmark's bare view (bench/run.py): the ceiling each page's throughput is compared with.
if os.environ.get("LORE_BENCH_BARE_VIEW") == "1":
    from bench.bare import bare

    urlpatterns.insert(0, path("bench/bare/", bare))
