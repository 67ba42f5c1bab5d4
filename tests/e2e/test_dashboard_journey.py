"""End to end: Management reads the dashboard, narrows it, follows a figure to the list behind it and downloads an
export; every dashboard (Management's and a manager's day) opens in each language with no untranslated text and
no console error."""

import datetime
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from playwright.sync_api import expect

from rapport.accounts.roles import Role
from rapport.clients.choices import Motivation
from rapport.compensation.tests.support import build_world
from rapport.core.testing import PASSWORD, make_client, make_interaction, make_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Text nodes of the page, one string each (scripts and styles left out).
TEXT_NODES = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    // the language switcher names each language in its own language, on purpose
    if (parent && !["SCRIPT", "STYLE"].includes(parent.tagName) && !parent.closest("#language")) {
      const text = walker.currentNode.textContent.replace(/\\s+/g, " ").trim();
      if (text) texts.push(text);
    }
  }
  return texts;
}"""


def english_messages(language: str) -> set[str]:
    """The catalogue's English messages, without a placeholder, that are not spelled the same in ``language``
    (untranslated, fuzzy, or translated differently): if one shows on a page in that language, it was left
    untranslated."""
    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"))
    return {
        entry.msgid
        for entry in catalogue
        if entry.msgstr and entry.msgstr != entry.msgid and not re.search(r"%|\{", entry.msgid) and len(entry.msgid) > 3
    }


def watch_console(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def switch_language(page, code: str) -> None:
    with page.expect_navigation():
        page.select_option("#language", code)


def untranslated(page, language: str) -> set[str]:
    return set(page.evaluate(TEXT_NODES)) & english_messages(language)


@pytest.fixture
def world():
    management = make_user(Role.MANAGEMENT, username="boss", first_name="Borbála", last_name="Főnök")
    world = build_world(management)
    # an active legal entity without a manager, and a note on Alfa
    make_client(name="Omega Zrt.", motivation=Motivation.DECISION)
    make_interaction(world.alfa, world.anna, occurred_at=datetime.datetime.now(datetime.UTC))
    return world


def test_management_reads_narrows_follows_and_exports(page, live_server, world):
    url = live_server.url
    errors = watch_console(page)
    # given Management logged in; when they open the dashboard from the menu
    login(page, url, "boss", PASSWORD)
    page.click("nav.mainnav >> text=Dashboard")
    expect(page.locator("h1")).to_have_text("Dashboard")
    # then the portfolio shows the two legal entities that need a manager (Gamma, won but not yet placed, and
    # Omega), and the load chart has a text alternative
    base = page.locator("#table-portfolio")
    row = base.locator("tr", has_text="Legal entities without a personal manager")
    expect(row.locator("td").first).to_have_text("2")
    expect(page.locator("svg.load-chart title").first).to_have_text("Clients against capacity per personal manager")

    # when they narrow the period to January 2026
    page.fill("#id_from", "2026-01")
    page.fill("#id_to", "2026-01")
    page.click("form.filters >> text=Show")
    # then January's payroll and acquisition are shown
    expect(page.locator(".period-line")).to_contain_text("Period: 2026-01 to 2026-01.")
    pay = page.locator("#table-pay tbody tr")
    expect(pay).to_have_count(1)
    expect(pay.first).to_contain_text("926,200")
    acquirers = page.locator("#table-acquirers tbody tr")
    expect(acquirers.first).to_contain_text("Anna Kovács")

    # when they download the acquisitions per manager as CSV
    with page.expect_download() as download_info:
        page.locator("#table-acquirers >> text=CSV").click()
    download = download_info.value
    assert download.suggested_filename == "rapport-acquirers-2026-01-2026-01.csv"
    lines = Path(download.path()).read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["Manager,Clients won,VIP when won", "Anna Kovács,1,0"]

    # when they go back to the whole half-year and follow the figure of legal entities without a manager
    page.goto(f"{url}/dashboard/")
    page.locator("#table-portfolio tr", has_text="Legal entities without a personal manager").locator("a").click()
    # then the client list shows exactly those clients
    expect(page.locator("h1")).to_have_text("Clients")
    expect(page.locator("#results tbody tr")).to_have_count(2)
    expect(page.locator("#results tbody")).to_contain_text("Gamma Kft.")
    expect(page.locator("#results tbody")).to_contain_text("Omega Zrt.")
    # when they export that list, the file holds the same two clients
    with page.expect_download() as download_info:
        page.locator("#results .list-exports >> text=CSV").click()
    exported = Path(download_info.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[1] for line in exported] == ["Name", "Gamma Kft.", "Omega Zrt."]
    assert errors == []


@pytest.mark.parametrize("language", ["hu", "ru"])
def test_every_dashboard_is_translated_and_error_free(page, live_server, world, language):
    url = live_server.url
    errors = watch_console(page)
    # Management's dashboard
    login(page, url, "boss", PASSWORD)
    page.goto(f"{url}/dashboard/?from=2026-01&to=2026-01")
    switch_language(page, language)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#portfolio")).to_be_visible()
    assert untranslated(page, language) == set()
    page.context.clear_cookies()
    # a manager's day
    login(page, url, "anna", PASSWORD)
    page.goto(f"{url}/cases/workspace/")
    switch_language(page, language)
    expect(page.locator("#my-portfolio")).to_be_visible()
    expect(page.locator("#my-ratings-summary")).to_be_visible()
    assert untranslated(page, language) == set()
    assert errors == []
