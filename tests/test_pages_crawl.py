"""A crawl from the home page: every internal link works, and every page has the site's fixed parts."""

from collections import deque
from urllib.parse import urldefrag, urljoin

from django.conf import settings

from tests.pages import page_text, parse

SKIP_PREFIXES = ("/api/", "/static/", f"/{settings.ADMIN_PATH}")


def crawl(client, start="/", limit=2000):
    seen, queue, pages = {start}, deque([start]), {}
    while queue:
        url = queue.popleft()
        response = client.get(url)
        pages[url] = response
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        for link in parse(response).links:
            if link.startswith(("http:", "https:", "//", "mailto:")):
                continue  # another site
            link = urldefrag(urljoin(url, link))[0]
            if link.startswith(SKIP_PREFIXES):
                continue
            if link not in seen:
                seen.add(link)
                queue.append(link)
        assert len(seen) < limit, "the crawl is not converging"
    return pages


def test_a_crawl_from_the_home_page_finds_no_broken_link_and_only_well_formed_pages(client, read_only_john_wick):
    pages = crawl(client)
    broken = {url: response.status_code for url, response in pages.items() if response.status_code >= 400}
    assert broken == {}
    # The crawl reached every kind of page, pagination included.
    reached = {"/films/ballerina/", "/people/erica-lee/", "/notes/not-rushed/", "/sources/ballerina-producer-article/"}
    assert reached <= set(pages)
    assert "/people/?page=2" in pages
    assert len(pages) > 100
    for url, response in pages.items():
        page = parse(response)
        assert len(page.h1s) == 1, url
        assert len(page.titles) == 1, url
        assert page.titles[0].endswith("· Lore") or page.titles[0].startswith("Lore:"), url
        assert 'aria-label="Breadcrumb"' in response.content.decode(), url
        assert page.meta.get("og:title") and page.meta.get("og:url"), url
        assert page.meta.get("description"), url


def test_detail_pages_link_to_their_history_with_the_last_edit_date(client, read_only_john_wick):
    for model, url in [
        ("film", "/films/ballerina/"),
        ("character", "/characters/eve-macarro/"),
        ("productionnote", "/notes/not-rushed/"),
        ("franchise", "/franchises/john-wick/"),
        ("source", "/sources/ballerina-producer-article/"),
    ]:
        response = client.get(url)
        assert "Last edited on" in page_text(response)
        assert f"/history/{model}/{url.rstrip('/').rsplit('/', 1)[1]}/" in parse(response).links
