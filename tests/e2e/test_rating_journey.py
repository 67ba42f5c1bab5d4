"""End to end: a Hungarian client rates their manager through the e-mailed link without logging in; the link then
shows it was used; Management sees the rating in the ratings table."""

import re

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from rapport.accounts.roles import Role
from rapport.core.testing import PASSWORD, make_client, make_manager, make_user
from rapport.feedback import services
from rapport.feedback.models import Rating
from rapport.feedback.tests.factories import make_resolved_case
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def hungarian(text: str) -> str:
    """``text`` as the Hungarian catalog has it (the English text until it is translated)."""
    with translation.override("hu"):
        return translation.gettext(text)


def test_client_rates_through_the_link_and_management_sees_it(browser, page, live_server, settings):
    # given a resolved case of a Hungarian client, and its rating e-mail sent with a link to this server
    settings.RAPPORT = {**settings.RAPPORT, "BASE_URL": live_server.url}
    make_user(Role.MANAGEMENT, username="boss")
    anna = make_manager(user=make_user(Role.CLIENT_MANAGER, username="anna", first_name="Anna", last_name="Kovács"))
    client = make_client(name="Pannon Gépgyártó Kft.", email="beszerzes@pannon.example", language="hu")
    case = make_resolved_case(client, anna, subject="Késik a szállítás")
    request = services.rating_request_for_case(case=case)
    mail.outbox.clear()  # the background send may already have run; send it here to read the link
    services.rating_request_send(request=request)
    link = re.search(r"http\S+/ratings/rate/\S+/", mail.outbox[-1].body).group(0)

    # when the client opens the link in a fresh browser, with no account
    guest = browser.new_context(locale="en-US")
    client_page = guest.new_page()
    client_page.set_default_timeout(15_000)
    response = client_page.goto(link)
    # then the page is in Hungarian and shows the case and the manager
    assert response.status == 200
    assert client_page.locator("html").get_attribute("lang") == "hu"
    expect(client_page.locator(".rate-about")).to_contain_text("Késik a szállítás")
    expect(client_page.locator(".rate-about")).to_contain_text("Anna Kovács")

    # when the client picks 4 stars, comments and sends
    client_page.check("input[name=stars][value='4']")
    expect(client_page.locator("label.star-option:has(input:checked)")).to_contain_text("4")
    client_page.fill("textarea[name=comment]", "Gyors és udvarias segítség.")
    client_page.click("button[type=submit]")
    # then a thank-you page in Hungarian, and the rating is Anna's
    expect(client_page.locator("h1")).to_have_text(hungarian("Thank you"))
    assert client_page.locator("html").get_attribute("lang") == "hu"
    assert list(Rating.objects.values_list("manager", "stars", "comment")) == [
        (anna.pk, 4, "Gyors és udvarias segítség.")
    ]

    # when the link is opened again / then it says it was used
    again = client_page.goto(link)
    assert again.status == 410
    expect(client_page.locator("h1")).to_have_text(hungarian("This link has already been used"))
    guest.close()

    # when Management opens the ratings table / then Anna's row shows the rating, smoothed (5·4 + 4) ÷ 6
    login(page, live_server.url, "boss", PASSWORD)
    page.goto(f"{live_server.url}/ratings/")
    row = page.locator("table.ratings-table tbody tr", has_text="Anna Kovács")
    expect(row.locator("td")).to_have_text(["Anna Kovács", "Partnership", "1", "4.00", "4.00"])
    # and her page lists the comment
    row.locator("a").click()
    expect(page.locator("#results")).to_contain_text("Gyors és udvarias segítség.")
    expect(page.locator("#results")).to_contain_text("Késik a szállítás")
