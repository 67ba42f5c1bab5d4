"""The client's own consent link: e-mailed by their manager, opened without an account, one click to withdraw or
give; a forged or expired link is refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from rapport.consent import services
from rapport.consent.choices import ConsentState, PurposeCode, Source
from rapport.consent.models import ConsentLink, ConsentRecord
from rapport.consent.selectors import client_consent_states
from rapport.consent.tests.support import management, own_manager_of, person, token_of
from rapport.feedback.tokens import token_hash

pytestmark = pytest.mark.django_db

SURVEYS = PurposeCode.SATISFACTION_SURVEYS


def _sent_link(client, mailoutbox, actor=None) -> str:
    services.consent_link_send(client=client, actor=actor or own_manager_of(client))
    return token_of(mailoutbox[-1].body)


def test_the_link_is_emailed_in_the_clients_language_and_only_its_hash_is_stored(mailoutbox, settings):
    # given a Hungarian client
    settings.RAPPORT = {**settings.RAPPORT, "BASE_URL": "https://crm.example.com"}
    client = person(language="hu", email="eva@example.org")
    # when their manager e-mails the link
    token = _sent_link(client, mailoutbox)
    # then one e-mail to the client with the link, stored as a hash that expires in 30 days
    assert [m.to for m in mailoutbox] == [["eva@example.org"]]
    assert f"https://crm.example.com/consent/mine/{token}/" in mailoutbox[0].body
    link = ConsentLink.objects.get()
    assert (link.token_hash, link.language) == (token_hash(token), "hu")
    assert link.expires_at - link.created_at == datetime.timedelta(days=30)
    assert token not in {link.token_hash}


def test_a_client_without_email_gets_no_link(mailoutbox):
    client = person(email="")
    with pytest.raises(ValidationError) as refused:
        services.consent_link_send(client=client, actor=management())
    assert refused.value.code == "no_email"
    assert (ConsentLink.objects.count(), mailoutbox) == (0, [])


def test_the_client_withdraws_through_the_link_without_logging_in(client, mailoutbox):
    # given consent to surveys recorded by the manager, and the link sent
    customer = person()
    manager = own_manager_of(customer)
    services.consent_record(client=customer, purpose=SURVEYS, granted=True, source=Source.PHONE, actor=manager)
    token = _sent_link(customer, mailoutbox, manager)
    url = reverse("consent:mine", args=[token])
    # when the client opens it with no session
    page = client.get(url)
    # then their consents, never cached
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert page.context["states"][2].state == ConsentState.GIVEN
    # when they click withdraw
    answer = client.post(url, {"purpose": SURVEYS, "action": "withdraw"})
    # then withdrawn, recorded with source "client link" and no user
    assert answer.status_code == 200
    record = ConsentRecord.objects.filter(client=customer).order_by("-id").first()
    assert (record.purpose.code, record.granted, record.source, record.recorded_by) == (
        SURVEYS,
        False,
        "client_link",
        None,
    )
    assert {row.purpose.code: row.state for row in client_consent_states(client=customer)}[SURVEYS] == "withdrawn"
    # when they give it back with one click / then given again
    client.post(url, {"purpose": SURVEYS, "action": "give"})
    assert list(ConsentRecord.objects.filter(client=customer).values_list("granted", "source")) == [
        (True, "client_link"),
        (False, "client_link"),
        (True, "phone"),
    ]


@pytest.mark.parametrize("token", ["forged-token-0123456789", "x" * 201])
def test_a_forged_link_is_refused_with_404_and_changes_nothing(client, token):
    customer = person()
    assert client.get(reverse("consent:mine", args=[token])).status_code == 404
    answer = client.post(reverse("consent:mine", args=[token]), {"purpose": SURVEYS, "action": "withdraw"})
    assert answer.status_code == 404
    assert ConsentRecord.objects.filter(client=customer).count() == 0


def test_an_expired_link_is_refused_with_410_and_changes_nothing(client, mailoutbox):
    customer = person()
    token = _sent_link(customer, mailoutbox)
    ConsentLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    url = reverse("consent:mine", args=[token])
    assert client.get(url).status_code == 410
    assert client.post(url, {"purpose": SURVEYS, "action": "withdraw"}).status_code == 410
    with pytest.raises(ValidationError) as refused:
        services.consent_record_by_link(token=token, purpose=SURVEYS, granted=False)
    assert refused.value.code == "link_expired"
    assert ConsentRecord.objects.count() == 0


def test_a_tampered_token_is_refused_by_the_service():
    with pytest.raises(ValidationError) as refused:
        services.consent_record_by_link(token="nope", purpose=SURVEYS, granted=False)
    assert refused.value.code == "link_invalid"


def test_the_page_speaks_the_language_the_link_was_sent_in(client, mailoutbox):
    customer = person(language="hu")
    token = _sent_link(customer, mailoutbox)
    page = client.get(reverse("consent:mine", args=[token]))
    assert page["Content-Language"] == "hu"
    assert "Elégedettségi felmérések és értékelési kérések" in page.content.decode()
