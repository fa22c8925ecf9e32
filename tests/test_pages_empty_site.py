"""A new, empty Lore: every page still renders and says there is nothing yet."""

import pytest

from tests.pages import page_text


@pytest.mark.parametrize(
    "url, says",
    [
        ("/", "No films yet"),
        ("/timeline/", "No films yet"),
        ("/films/", "There are no films yet."),
        ("/notes/", "There are no production notes yet."),
        ("/search/?q=anything", "Nothing on Lore matches “anything”"),
    ],
)
def test_pages_render_on_an_empty_site(client, db, url, says):
    response = client.get(url)
    assert response.status_code == 200
    assert says in page_text(response)


def test_a_filtered_list_with_no_match_offers_the_whole_list(client, world):
    world(1)
    text = page_text(client.get("/films/?status=announced"))
    assert "No films match these filters. See them all." in text
