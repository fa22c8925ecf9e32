"""Page URLs. Names follow `<model>-list` / `<model>-detail` so templates can build them from a record."""

from django.contrib.sitemaps import views as sitemaps
from django.urls import path

from lore import history, views
from lore.sitemaps import SITEMAPS

app_name = "lore"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("franchises/", views.FranchiseListView.as_view(), name="franchise-list"),
    path("franchises/<slug:slug>/", views.FranchiseDetailView.as_view(), name="franchise-detail"),
    path("films/", views.FilmListView.as_view(), name="film-list"),
    path("films/<slug:slug>/", views.FilmDetailView.as_view(), name="film-detail"),
    path("characters/", views.CharacterListView.as_view(), name="character-list"),
    path("characters/<slug:slug>/", views.CharacterDetailView.as_view(), name="character-detail"),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("locations/", views.LocationListView.as_view(), name="location-list"),
    path("locations/<slug:slug>/", views.LocationDetailView.as_view(), name="location-detail"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path("organizations/<slug:slug>/", views.OrganizationDetailView.as_view(), name="organization-detail"),
    path("notes/", views.ProductionNoteListView.as_view(), name="productionnote-list"),
    path("notes/<slug:slug>/", views.ProductionNoteDetailView.as_view(), name="productionnote-detail"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("search/", views.search, name="search"),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "lore:sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemaps.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("history/<str:model>/<slug:slug>/", history.HistoryView.as_view(), name="history"),
]
