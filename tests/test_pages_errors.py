"""The 404 and 500 pages, robots.txt and sitemap.xml."""

import re

import pytest
from django.test import RequestFactory
from django.urls import include, path
from django.views.defaults import server_error

from lore.models import Character, Film, Franchise, Location, Organization, Person, ProductionNote, Source
from tests.pages import page_text, parse


def broken_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", broken_view), path("", include("lore.urls"))]


def test_unknown_page_shows_the_404_page_in_the_site_look(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = parse(response)
    assert page.h1s == ["Page not found"]
    assert "lore/site.css" in response.content.decode()
    assert "Search Lore instead" in page_text(response)


def test_500_page_renders_without_the_database_or_a_request_context():
    # No db fixture: pytest-django makes any query here fail the test.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Something went wrong</h1>" in html
    assert "lore/site.css" in html


@pytest.mark.urls("tests.test_pages_errors")
def test_a_failing_page_shows_the_500_page(client, db):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_sitemap_lists_every_detail_page(client, john_wick):
    index = client.get("/sitemap.xml").content.decode()
    sections = re.findall(r"<loc>http://testserver(/sitemap-\w+\.xml)</loc>", index)
    assert len(sections) == 9
    xml = "".join(client.get(section).content.decode() for section in sections)
    for model in (Franchise, Film, Character, Person, Location, Organization, ProductionNote, Source):
        for record in model.objects.all():
            assert f"<loc>http://testserver{record.get_absolute_url()}</loc>" in xml
    assert "<loc>http://testserver/timeline/</loc>" in xml
    assert "<lastmod>" in xml
