"""The timeline figure renders and fits a phone; screenshots of the main pages are kept as artifacts."""

import pytest
from playwright.sync_api import expect

PAGES = {"home": "/", "film": "/films/ballerina/", "timeline": "/timeline/", "search": "/search/?q=de+Armas"}


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_the_timeline_draws_both_orders_and_the_milestones(live_lore, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_lore + "/timeline/")
    figure = page.locator("svg.orders__svg")
    expect(figure).to_be_visible()
    box = figure.bounding_box()
    assert box["width"] > 300
    assert box["x"] + box["width"] <= width
    expect(figure.locator("a[href='/films/ballerina/']")).to_have_count(2)
    expect(page.locator(".milestones")).to_contain_text("Lee first read the script five years earlier")
    expect(page.locator(".milestones")).to_contain_text("Ballerina: in development, with no release date")
    # Legible on a phone: the figure's title text is drawn at 11 px or more.
    font_px = page.evaluate(
        "(() => { const t = document.querySelector('.orders__title'); return t.getBoundingClientRect().height; })()"
    )
    assert font_px >= 10


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_pages_fit_the_screen_and_are_saved_as_screenshots(live_lore, page, artifacts, width):
    page.set_viewport_size({"width": width, "height": 900})
    for name, path in PAGES.items():
        page.goto(live_lore + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways at {width} px"
        page.screenshot(path=artifacts / f"site-{name}-{width}.png", full_page=True)
        assert (artifacts / f"site-{name}-{width}.png").stat().st_size > 10_000
