"""Consent records in subject access and erasure: exported; kept on erasure as evidence with the note blanked;
the client's links stop working."""

import pytest
from django.utils import timezone

from rapport.consent import services
from rapport.consent.choices import LinkState, PurposeCode, Source
from rapport.consent.models import ConsentLink, ConsentRecord
from rapport.consent.tests.support import management, person, token_of
from rapport.privacy import services as privacy

pytestmark = pytest.mark.django_db


def test_the_export_contains_the_records_and_links_without_the_token_hash(mailoutbox):
    # given consent given then withdrawn, and a link sent
    customer = person()
    boss = management()
    services.consent_record(
        client=customer, purpose=PurposeCode.MARKETING_EMAILS, granted=True, source=Source.PHONE, actor=boss
    )
    services.consent_record(
        client=customer,
        purpose=PurposeCode.MARKETING_EMAILS,
        granted=False,
        source=Source.WRITTEN,
        actor=boss,
        note="letter of 3 May",
    )
    link = services.consent_link_send(client=customer, actor=boss)
    # when the client's data is exported
    data = privacy.export_client(client=customer, actor=boss)["data"]["consent"]
    # then both records, oldest first, and the link's dates
    records = [{k: r[k] for k in ("purpose", "version", "granted", "source", "note")} for r in data["ConsentRecord"]]
    assert records == [
        {"purpose": "marketing_emails", "version": 1, "granted": True, "source": "phone", "note": ""},
        {"purpose": "marketing_emails", "version": 1, "granted": False, "source": "written", "note": "letter of 3 May"},
    ]
    assert data["ConsentRecord"][0]["recorded_by"] == boss.display_name
    assert data["ConsentLink"] == [
        {"created_at": link.created_at.isoformat(), "expires_at": link.expires_at.isoformat()}
    ]


def test_erasure_keeps_the_records_blanks_the_note_and_ends_the_links(mailoutbox):
    customer = person()
    boss = management()
    services.consent_record(
        client=customer, purpose=PurposeCode.PHONE_CALLS, granted=False, source=Source.PHONE, actor=boss, note="Eva"
    )
    services.consent_link_send(client=customer, actor=boss)
    token = token_of(mailoutbox[-1].body)
    # when the client is erased
    privacy.erase_client(client=customer, actor=boss)
    # then the record stays, note blanked; the link no longer works
    assert list(ConsentRecord.objects.values_list("client", "granted", "note")) == [(customer.pk, False, "")]
    assert ConsentLink.objects.get().expires_at <= timezone.now()
    assert services.link_lookup(token)[0] == LinkState.EXPIRED
