"""Consent in the admin: a new wording is published through the service; records are read-only."""

import pytest
from django.test import Client as Browser

from rapport.accounts.roles import Role
from rapport.consent import services
from rapport.consent.choices import PurposeCode, Source
from rapport.consent.models import ConsentPurpose, ConsentRecord, ConsentVersion
from rapport.consent.tests.support import management, person
from rapport.core.testing import make_user

pytestmark = pytest.mark.django_db


def test_admin_publishes_a_new_wording_as_the_next_version():
    # given the Admin in the admin site
    browser = Browser()
    browser.force_login(make_user(Role.ADMIN, is_staff=True))
    purpose = ConsentPurpose.objects.get(code=PurposeCode.PHONE_CALLS)
    # when a wording is added for phone calls
    answer = browser.post(
        "/admin/consent/consentversion/add/",
        {"purpose": purpose.pk, "title_en": "Calls", "text_en": "We may call you.", "title_hu": "Hívások"},
    )
    # then it is version 2, published now, and the first stays as it was
    assert answer.status_code == 302
    assert list(ConsentVersion.objects.filter(purpose=purpose).values_list("number", "title_en", "title_hu")) == [
        (2, "Calls", "Hívások"),
        (1, "Phone calls", "Telefonhívások"),
    ]


def test_records_cannot_be_changed_or_deleted_in_the_admin():
    record = services.consent_record(
        client=person(), purpose=PurposeCode.PHONE_CALLS, granted=True, source=Source.PHONE, actor=management()
    )
    browser = Browser()
    browser.force_login(make_user(Role.ADMIN, is_staff=True))
    assert browser.post(f"/admin/consent/consentrecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert browser.get(f"/admin/consent/consentrecord/{record.pk}/change/").status_code == 200
    assert ConsentRecord.objects.count() == 1
