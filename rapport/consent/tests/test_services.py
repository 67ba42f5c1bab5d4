"""Recording consent: exact states after giving, withdrawing and giving again; a new wording asks again; roles
that may not record change nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rapport.accounts.roles import Role
from rapport.consent import selectors, services
from rapport.consent.choices import ConsentState, PurposeCode, Source
from rapport.consent.models import ConsentPurpose, ConsentRecord, ConsentVersion
from rapport.consent.tests.support import management, own_manager_of, person
from rapport.core.testing import make_manager, make_user

pytestmark = pytest.mark.django_db

MARKETING = PurposeCode.MARKETING_EMAILS


def states(client) -> dict[str, tuple]:
    """Purpose code → (state, version number of the latest record or None, source or None)."""
    return {
        row.purpose.code: (
            row.state,
            row.record.version.number if row.record else None,
            row.record.source if row.record else None,
        )
        for row in selectors.client_consent_states(client=client)
    }


def test_the_seeded_purposes_each_have_a_first_wording_in_three_languages():
    # given the data migration / when the purposes are read
    rows = [
        (p.code, p.current_version.number, bool(p.current_version.text_hu), bool(p.current_version.text_ru))
        for p in selectors.purposes_with_wording()
    ]
    # then four purposes in order, each at version 1 with Hungarian and Russian text
    assert rows == [
        ("marketing_emails", 1, True, True),
        ("phone_calls", 1, True, True),
        ("satisfaction_surveys", 1, True, True),
        ("partner_sharing", 1, True, True),
    ]


def test_give_withdraw_and_give_again_leave_the_exact_states_and_keep_the_history():
    # given a client and their manager
    client = person()
    user = own_manager_of(client)
    # when the manager records consent given on the phone
    services.consent_record(client=client, purpose=MARKETING, granted=True, source=Source.PHONE, actor=user)
    # then marketing is given, the other purposes are not asked
    assert states(client) == {
        "marketing_emails": (ConsentState.GIVEN, 1, "phone"),
        "phone_calls": (ConsentState.NONE, None, None),
        "satisfaction_surveys": (ConsentState.NONE, None, None),
        "partner_sharing": (ConsentState.NONE, None, None),
    }
    assert selectors.has_consent(client, MARKETING) is True
    # when it is withdrawn in writing
    services.consent_record(client=client, purpose=MARKETING, granted=False, source=Source.WRITTEN, actor=user)
    # then withdrawn
    assert states(client)["marketing_emails"] == (ConsentState.WITHDRAWN, 1, "written")
    assert (selectors.has_consent(client, MARKETING), selectors.has_withdrawn(client, MARKETING)) == (False, True)
    # when given again in person
    services.consent_record(
        client=client, purpose=MARKETING, granted=True, source=Source.IN_PERSON, actor=user, note=" at the fair "
    )
    # then given again, and all three records are kept, newest first
    assert states(client)["marketing_emails"] == (ConsentState.GIVEN, 1, "in_person")
    assert selectors.has_consent(client, MARKETING) is True
    history = list(selectors.consent_history(user=user, client=client).values_list("granted", "source", "note"))
    assert history == [(True, "in_person", "at the fair"), (False, "written", ""), (True, "phone", "")]


def test_recording_the_state_that_already_holds_is_refused_and_writes_nothing():
    # given consent given
    client = person()
    boss = management()
    services.consent_record(client=client, purpose=MARKETING, granted=True, source=Source.PHONE, actor=boss)
    # when it is given again for the same wording / then refused with a code
    with pytest.raises(ValidationError) as given_again:
        services.consent_record(client=client, purpose=MARKETING, granted=True, source=Source.PHONE, actor=boss)
    assert given_again.value.code == "consent_unchanged"
    # when withdrawn twice / then the second is refused
    services.consent_record(client=client, purpose=MARKETING, granted=False, source=Source.PHONE, actor=boss)
    with pytest.raises(ValidationError) as withdrawn_again:
        services.consent_record(client=client, purpose=MARKETING, granted=False, source=Source.API, actor=boss)
    assert withdrawn_again.value.code == "consent_unchanged"
    assert ConsentRecord.objects.filter(client=client).count() == 2


def test_a_withdrawal_without_earlier_consent_is_recorded_as_an_objection():
    client = person()
    services.consent_record(
        client=client, purpose=PurposeCode.PHONE_CALLS, granted=False, source=Source.PHONE, actor=management()
    )
    assert states(client)["phone_calls"] == (ConsentState.WITHDRAWN, 1, "phone")


def test_a_new_wording_asks_again_and_the_old_consent_stays_for_the_old_wording():
    # given consent to version 1
    client = person()
    boss = management()
    old = services.consent_record(client=client, purpose=MARKETING, granted=True, source=Source.PHONE, actor=boss)
    purpose = ConsentPurpose.objects.get(code=MARKETING)
    # when Management publishes a new wording
    version = services.consent_version_publish(
        purpose=purpose, actor=boss, titles={"en": "Newsletters"}, texts={"en": "We send a monthly newsletter."}
    )
    # then version 2; the client's consent is for an earlier wording, which is no consent to the current one
    assert version.number == 2
    assert states(client)["marketing_emails"] == (ConsentState.OUTDATED, 1, "phone")
    assert (selectors.has_consent(client, MARKETING), selectors.has_withdrawn(client, MARKETING)) == (False, False)
    # and the old record still names version 1
    old.refresh_from_db()
    assert old.version.number == 1
    # when consent is given to the new wording / then it counts
    new = services.consent_record(client=client, purpose=MARKETING, granted=True, source=Source.WRITTEN, actor=boss)
    assert (new.version.number, selectors.has_consent(client, MARKETING)) == (2, True)
    assert states(client)["marketing_emails"] == (ConsentState.GIVEN, 2, "written")


def test_only_management_publishes_a_wording_and_english_is_required():
    purpose = ConsentPurpose.objects.get(code=MARKETING)
    manager = make_manager().user
    with pytest.raises(PermissionDenied):
        services.consent_version_publish(purpose=purpose, actor=manager, titles={"en": "X"}, texts={"en": "Y"})
    with pytest.raises(ValidationError) as empty:
        services.consent_version_publish(purpose=purpose, actor=management(), titles={"en": " "}, texts={"en": "Y"})
    assert empty.value.code == "wording_empty"
    assert list(ConsentVersion.objects.filter(purpose=purpose).values_list("number", flat=True)) == [1]


@pytest.mark.parametrize("role", [Role.HR, Role.PAYROLL, None])
def test_roles_that_may_not_record_change_nothing(role):
    # given a client and a user of a role that does not work with clients
    client = person()
    user = make_user(role) if role else make_user()
    # when they try to record / then refused, nothing written
    with pytest.raises(PermissionDenied):
        services.consent_record(client=client, purpose=MARKETING, granted=True, source=Source.PHONE, actor=user)
    with pytest.raises(PermissionDenied):
        services.consent_link_send(client=client, actor=user)
    assert ConsentRecord.objects.count() == 0


def test_a_manager_may_not_record_for_a_client_who_is_not_theirs():
    client = person()
    stranger = make_manager().user
    with pytest.raises(PermissionDenied):
        services.consent_record(client=client, purpose=MARKETING, granted=True, source=Source.PHONE, actor=stranger)
    assert ConsentRecord.objects.count() == 0


@pytest.mark.parametrize(
    ("purpose", "source", "code"),
    [
        ("no_such_purpose", Source.PHONE, "unknown_purpose"),
        (MARKETING, Source.CLIENT_LINK, "source_not_allowed"),
        (MARKETING, "carrier_pigeon", "source_not_allowed"),
    ],
)
def test_bad_input_is_refused_with_a_code_and_writes_nothing(purpose, source, code):
    client = person()
    with pytest.raises(ValidationError) as refused:
        services.consent_record(client=client, purpose=purpose, granted=True, source=source, actor=management())
    assert [e.code for errors in refused.value.error_dict.values() for e in errors] == [code]
    assert ConsentRecord.objects.count() == 0


def test_a_too_long_note_and_an_anonymised_client_are_refused():
    client = person()
    boss = management()
    with pytest.raises(ValidationError) as long_note:
        services.consent_record(
            client=client, purpose=MARKETING, granted=True, source=Source.PHONE, actor=boss, note="x" * 501
        )
    assert long_note.value.error_dict["note"][0].code == "note_too_long"
    type(client).objects.filter(pk=client.pk).update(anonymised_at="2026-01-01T00:00:00Z")
    with pytest.raises(ValidationError) as anonymised:
        services.consent_record(client=client, purpose=MARKETING, granted=True, source=Source.PHONE, actor=boss)
    assert anonymised.value.code == "client_anonymised"
    assert ConsentRecord.objects.count() == 0


def test_records_are_append_only():
    record = services.consent_record(
        client=person(), purpose=MARKETING, granted=True, source=Source.PHONE, actor=management()
    )
    record.granted = False
    with pytest.raises(ValueError, match="append-only"):
        record.save()
    assert ConsentRecord.objects.get().granted is True


def test_visibility_follows_the_client():
    # given a client with a record, their manager, another manager and HR
    client = person()
    own = own_manager_of(client)
    services.consent_record(client=client, purpose=MARKETING, granted=True, source=Source.PHONE, actor=own)
    other = make_manager().user
    hr = make_user(Role.HR)
    # then only Management and the client's manager see it
    assert ConsentRecord.objects.visible_to(management()).count() == 1
    assert ConsentRecord.objects.visible_to(own).count() == 1
    assert ConsentRecord.objects.visible_to(other).count() == 0
    assert ConsentRecord.objects.visible_to(hr).count() == 0
