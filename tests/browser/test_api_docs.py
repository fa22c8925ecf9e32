"""The API docs in Chromium: Swagger UI loads from the site's own files under its CSP and can call the API."""

import pytest
from playwright.sync_api import expect


@pytest.mark.browser
def test_swagger_ui_renders_every_resource_and_tries_a_request_without_csp_errors(live_lore, page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    outside = []
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith(live_lore) else None)

    page.goto(live_lore + "/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Lore API")
    films = page.locator(".opblock-summary-path", has_text="/api/v1/films/{slug}/")
    expect(films).to_be_visible()

    films.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_placeholder("slug").fill("ballerina")
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".responses-wrapper .live-responses-table")).to_contain_text("Ana de Armas")
    assert errors == []
    assert outside == []  # nothing from a CDN
