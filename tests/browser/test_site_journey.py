"""A visitor answers the article's questions from the site alone, in Chromium, with the mouse and keyboard."""

import re

import pytest
from playwright.sync_api import expect


@pytest.fixture
def console_errors(page):
    """Errors the browser reports, such as a Content-Security-Policy refusal of an inline style or script."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


@pytest.mark.browser
def test_a_visitor_searches_for_de_armas_then_follows_ballerina_to_erica_lee(live_lore, page, console_errors):
    page.goto(live_lore + "/")
    page.get_by_role("searchbox", name="Search Lore").fill("de Armas")
    page.get_by_role("searchbox", name="Search Lore").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=de\+Armas$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Search results for “de Armas”")

    page.locator("#results-film").get_by_role("link", name="Ballerina").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ballerina")
    main = page.locator("main")
    expect(main.locator(".cast li").first).to_have_text(re.compile(r"Ana de Armas\s+as\s+Eve Macarro"))
    expect(page.locator(".infobox")).to_contain_text("Europe")

    page.locator(".infobox").get_by_role("link", name="Erica Lee").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erica Lee")
    expect(main).to_contain_text("It's a European location, so we're always trying to push the envelope.")
    expect(main).to_contain_text("John Wick Producer Reveals What Sets Ballerina Apart From Franchise")
    assert console_errors == []


@pytest.mark.browser
def test_the_site_can_be_used_from_the_keyboard(live_lore, page):
    page.goto(live_lore + "/films/ballerina/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # The next Tab lands inside the page's content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


@pytest.mark.browser
def test_a_list_can_be_filtered_and_sorted_without_javascript_errors(live_lore, page, console_errors):
    page.goto(live_lore + "/characters/")
    page.get_by_label("Appears in").select_option(label="Ballerina")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"film=ballerina"))
    expect(page.locator("main")).to_contain_text("Eve Macarro")
    expect(page.locator("main")).not_to_contain_text("Viggo Tarasov")
    assert console_errors == []
