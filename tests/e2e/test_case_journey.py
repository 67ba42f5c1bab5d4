"""End to end: a client manager opens a case from the client's page, acknowledges it with a problem statement and
resolves it; the client gets the rating e-mail and rates the manager through the link, without an account."""

import re

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from rapport.accounts.roles import Role
from rapport.cases.models import Case
from rapport.core.testing import PASSWORD, make_assignment, make_client, make_manager, make_user
from rapport.feedback.models import Rating
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def hungarian(text: str) -> str:
    """``text`` as the Hungarian catalog has it (the English text until it is translated)."""
    with translation.override("hu"):
        return translation.gettext(text)


def test_manager_resolves_a_case_and_the_client_rates_them(browser, page, live_server, settings):
    # given Anna, personal manager of a Hungarian client with an e-mail address; links point at this server
    settings.RAPPORT = {**settings.RAPPORT, "BASE_URL": live_server.url}
    anna = make_manager(user=make_user(Role.CLIENT_MANAGER, username="anna", first_name="Anna", last_name="Kovács"))
    client = make_client(name="Pannon Gépgyártó Kft.", email="beszerzes@pannon.example", language="hu")
    make_assignment(client, anna)
    url = live_server.url

    # when Anna logs in, opens the client and opens a case from its page
    login(page, url, "anna", PASSWORD)
    page.click("text=Pannon Gépgyártó Kft.")
    page.click("#open-case")
    page.fill("#id_subject", "Késik a szállítás")
    page.fill("#id_description", "The March delivery is a week late.")
    page.select_option("#id_category", "request")
    page.select_option("#id_priority", "normal")
    page.click("button:has-text('Open the case')")
    # then the case is hers and new
    expect(page.locator("#case-status")).to_have_text("New")
    expect(page.locator("#case-handler")).to_have_text("Anna Kovács")
    expect(page.locator(".message.success")).to_contain_text("Case opened and given to Anna Kovács")
    case = Case.objects.get()
    assert (case.client, case.handler, case.status) == (client, anna, "new")

    # when she acknowledges it with the problem in her own words
    page.fill("#id_acknowledge-problem_statement", "The carrier missed the pickup; the client needs a new date.")
    page.click("#form-acknowledge button[type=submit]")
    # then it is acknowledged and the statement shows
    expect(page.locator("#case-status")).to_have_text("Acknowledged")
    expect(page.locator("#problem-statement")).to_have_text(
        "The carrier missed the pickup; the client needs a new date."
    )

    # when she resolves it with the resolution
    page.fill("#id_resolve-resolution", "New pickup booked; delivered on Friday.")
    page.click("#form-resolve button[type=submit]")
    # then it is resolved by her and the timeline shows the rating request
    expect(page.locator("#case-status")).to_have_text("Resolved")
    expect(page.locator("#timeline")).to_contain_text("Rating requested")
    case.refresh_from_db()
    assert (case.status, case.resolved_by, case.resolution) == (
        "resolved",
        anna,
        "New pickup booked; delivered on Friday.",
    )

    # and the client got the rating e-mail with a link
    messages = [m for m in mail.outbox if m.to == ["beszerzes@pannon.example"]]
    assert len(messages) == 1
    link = re.search(r"http\S+/ratings/rate/\S+/", messages[0].body).group(0)
    assert link.startswith(f"{url}/ratings/rate/")

    # when the client opens the link in a fresh browser, without an account, and gives 5 stars with a comment
    guest = browser.new_context(locale="en-US")
    try:
        client_page = guest.new_page()
        client_page.set_default_timeout(15_000)
        response = client_page.goto(link)
        assert response.status == 200
        client_page.check('input[name="stars"][value="5"]')
        client_page.fill('textarea[name="comment"]', "Gyors és udvarias segítség.")
        client_page.click("button[type=submit]")
        # then a thank-you page in the client's language
        expect(client_page.locator("h1")).to_have_text(hungarian("Thank you"))
        assert client_page.locator("html").get_attribute("lang") == "hu"
    finally:
        guest.close()

    # and the rating is stored for Anna, about this case
    rating = Rating.objects.select_related("request").get()
    assert (rating.manager, rating.client, rating.stars, rating.comment, rating.request.case) == (
        anna,
        client,
        5,
        "Gyors és udvarias segítség.",
        case,
    )
