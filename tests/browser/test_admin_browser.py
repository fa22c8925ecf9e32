"""An editor signs in to admin in Chromium, corrects a character's summary, and sees it on the public page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lore.models import Character
from tests.admin_helpers import make_editor

PASSWORD = "a long editor passphrase"  # noqa: S105 - a throwaway account in the test database


@pytest.mark.browser
def test_an_editor_logs_in_edits_a_summary_and_sees_it_on_the_character_page(live_lore, page):
    editor = make_editor("winnie")
    editor.set_password(PASSWORD)
    editor.save()
    character = Character.objects.order_by("name").first()
    summary = f"{character.name}: corrected in the browser test."

    page.goto(live_lore + reverse("admin:login"))
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Edit the knowledge base")).to_be_visible()

    page.goto(live_lore + reverse("admin:lore_character_change", args=[character.pk]))
    page.locator("#id_summary").fill(summary)
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(live_lore + character.get_absolute_url())
    expect(page.locator("main")).to_contain_text(summary)
    page.get_by_role("link", name="page history").click()
    expect(page.locator("main")).to_contain_text(summary)
    expect(page.locator("main")).to_contain_text(editor.username)
