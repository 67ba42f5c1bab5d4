"""API of consent: purposes, a client's states and history, recording; out-of-scope clients are 404 and denied
roles change nothing."""

import pytest
from rest_framework.test import APIClient

from rapport.accounts.roles import Role
from rapport.consent import services
from rapport.consent.choices import PurposeCode, Source
from rapport.consent.models import ConsentRecord
from rapport.consent.tests.support import management, own_manager_of, person
from rapport.core.testing import make_manager, make_user

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_purposes_list_the_current_wording():
    answer = api(make_manager().user).get("/api/v1/consent-purposes/")
    assert answer.status_code == 200
    assert [(p["code"], p["current_version"]["number"]) for p in answer.json()] == [
        ("marketing_emails", 1),
        ("phone_calls", 1),
        ("satisfaction_surveys", 1),
        ("partner_sharing", 1),
    ]
    assert answer.json()[0]["current_version"]["title"] == "Marketing e-mails"


def test_recording_and_reading_a_clients_consents():
    # given a client and their manager
    customer = person()
    manager = own_manager_of(customer)
    # when the manager records consent by the API (source defaults to "api")
    answer = api(manager).post(
        f"/api/v1/clients/{customer.pk}/consents/", {"purpose": "marketing_emails", "granted": True}, format="json"
    )
    # then 201 with the record
    assert answer.status_code == 201
    body = answer.json()
    assert {k: body[k] for k in ("purpose", "version", "granted", "source", "recorded_by", "note")} == {
        "purpose": "marketing_emails",
        "version": 1,
        "granted": True,
        "source": "api",
        "recorded_by": manager.pk,
        "note": "",
    }
    # and the states show it
    states = api(manager).get(f"/api/v1/clients/{customer.pk}/consents/").json()
    assert [(s["purpose"], s["state"], s["current_version"]) for s in states] == [
        ("marketing_emails", "given", 1),
        ("phone_calls", "none", 1),
        ("satisfaction_surveys", "none", 1),
        ("partner_sharing", "none", 1),
    ]
    assert states[0]["record"]["id"] == body["id"]
    # and the history lists the record
    history = api(manager).get(f"/api/v1/clients/{customer.pk}/consent-records/").json()
    assert [(r["purpose"], r["granted"]) for r in history["results"]] == [("marketing_emails", True)]


def test_the_state_that_already_holds_answers_400_with_a_code():
    customer = person()
    boss = management()
    services.consent_record(
        client=customer, purpose=PurposeCode.PHONE_CALLS, granted=False, source=Source.PHONE, actor=boss
    )
    answer = api(boss).post(
        f"/api/v1/clients/{customer.pk}/consents/",
        {"purpose": "phone_calls", "granted": False, "source": "written"},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "non_field_errors": [{"message": "Consent is already withdrawn.", "code": "consent_unchanged"}]
    }
    assert ConsentRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"purpose": "nope", "granted": True}, "purpose", "does_not_exist"),
        ({"purpose": "phone_calls", "granted": True, "source": "client_link"}, "source", "invalid_choice"),
        ({"purpose": "phone_calls"}, "granted", "required"),
        ({"purpose": "phone_calls", "granted": True, "at": "2020-01-01"}, "at", "unknown_field"),
    ],
)
def test_bad_input_answers_400_with_codes_and_writes_nothing(payload, field, code):
    customer = person()
    answer = api(management()).post(f"/api/v1/clients/{customer.pk}/consents/", payload, format="json")
    assert answer.status_code == 400
    assert [e["code"] for e in answer.json()[field]] == [code]
    assert ConsentRecord.objects.count() == 0


@pytest.mark.parametrize("who", ["other manager", "hr", "payroll"])
def test_users_who_do_not_see_the_client_get_404_and_nothing_changes(who):
    customer = person()
    user = {"other manager": lambda: make_manager().user, "hr": lambda: make_user(Role.HR)}.get(
        who, lambda: make_user(Role.PAYROLL)
    )()
    caller = api(user)
    assert caller.get(f"/api/v1/clients/{customer.pk}/consents/").status_code == 404
    assert caller.get(f"/api/v1/clients/{customer.pk}/consent-records/").status_code == 404
    answer = caller.post(
        f"/api/v1/clients/{customer.pk}/consents/", {"purpose": "phone_calls", "granted": True}, format="json"
    )
    assert answer.status_code == 404
    assert ConsentRecord.objects.count() == 0


def test_anonymous_callers_are_refused():
    customer = person()
    assert APIClient().get(f"/api/v1/clients/{customer.pk}/consents/").status_code in (401, 403)


def test_the_states_take_the_same_queries_however_many_records(django_assert_num_queries):
    # given a client with a long history on every purpose
    customer = person()
    boss = management()
    for granted in (True, False, True, False, True):
        for code in PurposeCode.values:
            services.consent_record(client=customer, purpose=code, granted=granted, source=Source.PHONE, actor=boss)
    caller = api(boss)
    # when the states are read / then four queries, however long the history: the client, the records, the
    # purposes and their wording
    with django_assert_num_queries(4):
        answer = caller.get(f"/api/v1/clients/{customer.pk}/consents/")
    assert [s["state"] for s in answer.json()] == ["given"] * 4
