"""The consent block of the client's page: current state per purpose, recording given or withdrawn (htmx), and
e-mailing the client their link; others are refused and nothing changes."""

import pytest
from django.urls import reverse

from rapport.accounts.roles import Role
from rapport.consent import services
from rapport.consent.choices import PurposeCode, Source
from rapport.consent.models import ConsentLink, ConsentRecord
from rapport.consent.tests.support import management, own_manager_of, person
from rapport.core.testing import make_manager, make_user

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_client_page_shows_the_state_per_purpose(client):
    # given consent to phone calls recorded by the manager
    customer = person()
    manager = own_manager_of(customer)
    services.consent_record(
        client=customer, purpose=PurposeCode.PHONE_CALLS, granted=True, source=Source.PHONE, actor=manager
    )
    client.force_login(manager)
    # when the manager opens the client's page
    page = client.get(reverse("clients:detail", args=[customer.pk]))
    # then the consent block lists every purpose with its state, and the buttons
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="consent"' in html
    assert html.count('class="actions consent-form"') == 4
    assert "On the phone ·" in html
    assert "E-mail the client their consent link" in html


def test_recording_through_htmx_answers_the_block_with_the_new_state(client):
    customer = person()
    manager = own_manager_of(customer)
    client.force_login(manager)
    answer = client.post(
        reverse("consent:record", args=[customer.pk]),
        {"purpose": PurposeCode.MARKETING_EMAILS, "action": "give", "source": "in_person", "note": "signed"},
        **HTMX,
    )
    assert answer.status_code == 200
    assert answer.templates[0].name == "consent/_client_consent.html"
    assert "Consent to Marketing e-mails recorded as given." in answer.content.decode()
    assert list(ConsentRecord.objects.values_list("purpose__code", "granted", "source", "recorded_by", "note")) == [
        ("marketing_emails", True, "in_person", manager.pk, "signed")
    ]


def test_a_refused_record_shows_the_error_and_writes_nothing(client):
    customer = person()
    client.force_login(management())
    answer = client.post(
        reverse("consent:record", args=[customer.pk]),
        {"purpose": PurposeCode.MARKETING_EMAILS, "action": "withdraw", "source": "client_link"},
        **HTMX,
    )
    assert answer.status_code == 200
    assert "Select a valid choice." in answer.content.decode()
    assert ConsentRecord.objects.count() == 0


def test_without_htmx_the_record_redirects_to_the_client_page(client):
    customer = person()
    client.force_login(management())
    answer = client.post(
        reverse("consent:record", args=[customer.pk]),
        {"purpose": PurposeCode.MARKETING_EMAILS, "action": "give", "source": "written"},
    )
    assert (answer.status_code, answer["Location"]) == (302, reverse("clients:detail", args=[customer.pk]))
    assert ConsentRecord.objects.count() == 1


@pytest.mark.parametrize("who", ["other manager", "hr"])
def test_users_who_do_not_see_the_client_get_404_and_nothing_changes(client, who, mailoutbox):
    customer = person()
    user = make_manager().user if who == "other manager" else make_user(Role.HR)
    client.force_login(user)
    record = client.post(
        reverse("consent:record", args=[customer.pk]),
        {"purpose": PurposeCode.MARKETING_EMAILS, "action": "give", "source": "phone"},
        **HTMX,
    )
    link = client.post(reverse("consent:send_link", args=[customer.pk]), **HTMX)
    assert (record.status_code, link.status_code) == (404, 404)
    assert (ConsentRecord.objects.count(), ConsentLink.objects.count(), mailoutbox) == (0, 0, [])


def test_sending_the_link_from_the_page(client, mailoutbox):
    customer = person(email="eva@example.org")
    client.force_login(management())
    answer = client.post(reverse("consent:send_link", args=[customer.pk]), **HTMX)
    assert "The consent link was sent to eva@example.org." in answer.content.decode()
    assert [m.to for m in mailoutbox] == [["eva@example.org"]]
