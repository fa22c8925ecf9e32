"""axe-core finds no serious or critical WCAG 2.1 A/AA violations, in light and in dark colours."""

import pytest

PAGES = ["/", "/films/ballerina/", "/characters/eve-macarro/", "/search/?q=de+Armas", "/timeline/", "/search/?q=zzzz"]


@pytest.fixture
def axe_page(browser, live_lore, axe_source):
    """A page that may inject axe-core: the site's Content-Security-Policy rightly refuses inline scripts."""
    pages = []

    def open_page(path, color_scheme):
        context = browser.new_context(bypass_csp=True, color_scheme=color_scheme)
        page = context.new_page()
        pages.append(context)
        page.goto(live_lore + path)
        page.add_script_tag(content=axe_source)
        return page

    yield open_page
    for context in pages:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_pages_have_no_serious_accessibility_violations(axe_page, color_scheme):
    problems = {}
    for path in PAGES:
        page = axe_page(path, color_scheme)
        result = page.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
            "'best-practice']}})"
        )
        assert result["passes"], "axe did not run"
        serious = [
            f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes, "
            f"e.g. {violation['nodes'][0]['html'][:120]})"
            for violation in result["violations"]
            if violation["impact"] in {"serious", "critical"}
        ]
        if serious:
            problems[path] = serious
    assert problems == {}
