"""Subject access (``export_client``) and erasure (``erase_client``) over every app's personal data."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.forms.models import model_to_dict

from rapport.accounts.roles import Role
from rapport.cases.models import Case, Interaction
from rapport.clients.models import Client
from rapport.core.testing import make_assignment, make_manager, make_user
from rapport.privacy.services import erase_client, erasure_plan, export_client
from rapport.privacy.tests.support import (
    EMAIL,
    FORMER_NAME,
    NAME,
    PHONE,
    STORED_PHONE,
    make_person,
    spread_personal_data,
)

pytestmark = pytest.mark.django_db(transaction=False)

SECRETS = (NAME, FORMER_NAME, EMAIL, PHONE, STORED_PHONE, "Quixwell")


def dump_text() -> str:
    """Every row of every table as one lower-cased text (binary columns decoded)."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from introspection)
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "ignore")
                    parts.append(str(value))
    return "\n".join(parts).lower()


def snapshot(client: Client) -> tuple:
    stored = Client.objects.get(pk=client.pk)
    return (
        model_to_dict(stored),
        stored.history.count(),
        list(Case.objects.filter(client=stored).values_list("subject", "description")),
        list(Interaction.objects.filter(client=stored).values_list("summary", "outcome")),
    )


def test_export_holds_the_clients_data_from_every_app_history_included():
    # given a client whose data is spread over the apps
    client = make_person()
    made = spread_personal_data(client)

    # when Management exports it
    export = export_client(client=client, actor=make_user(Role.MANAGEMENT))

    # then every app's rows are there, values as text, history included
    data = export["data"]
    assert export["client"] == str(client.pk)
    assert data["clients"]["Client"][0]["name"] == NAME
    assert data["clients"]["Client"][0]["email"] == EMAIL
    assert [row["name"] for row in data["clients"]["HistoricalClient"]] == [FORMER_NAME, NAME]
    assert data["cases"]["Case"][0]["subject"] == f"{NAME} cannot log in"
    assert data["cases"]["HistoricalCase"][0]["description"] == f"{NAME} called from {PHONE}."
    assert data["cases"]["Interaction"][0]["summary"] == f"Met {NAME}"
    assert data["feedback"]["Rating"][0]["comment"] == f"Thanks, {NAME} here"
    assert data["feedback"]["RatingRequest"][0]["email"] == EMAIL
    assert data["pipeline"]["Opportunity"][0]["title"] == f"{NAME} renewal"
    assert data["hiring"]["ClientBaseEntry"][0]["id"] == str(made["entry"].pk)
    assert data["dataio"]["ImportJob"][0]["lines_mentioning_client"] == [
        ["name", "email", "phone"],
        [NAME, EMAIL, PHONE],
    ]
    assert data["dataio"]["ImportRow"][0]["label"] == NAME
    assert data["admin"]["LogEntry"][0]["object_repr"] == NAME


def test_export_of_a_client_with_no_other_data_holds_only_the_client():
    client = make_person()

    export = export_client(client=client)

    assert set(export["data"]) == {"clients"}
    assert set(export["data"]["clients"]) == {"Client", "HistoricalClient"}


def test_export_is_refused_to_a_client_manager():
    client = make_person()
    manager = make_manager()

    with pytest.raises(PermissionDenied):
        export_client(client=client, actor=manager.user)


def test_erasure_leaves_the_name_email_and_phone_nowhere_in_the_database():
    # given a client with data in every app, and their name, e-mail and phone in the database
    client = make_person()
    spread_personal_data(client)
    before = dump_text()
    assert all(secret.lower() in before for secret in SECRETS)

    # when Management erases the client
    erased = erase_client(client=client, actor=make_user(Role.MANAGEMENT))

    # then none of them is left in any table, and the client row is kept, anonymised
    after = dump_text()
    assert [secret for secret in SECRETS if secret.lower() in after] == []
    stored = Client.objects.get(pk=client.pk)
    assert stored.name == f"Anonymised client #{client.pk}"
    assert (stored.email, stored.phone, stored.address, stored.registration_number) == ("", "", "", "")
    assert stored.anonymised_at == erased.anonymised_at is not None
    assert stored.history.first().history_change_reason == "anonymise"


def test_erasure_of_a_legal_entity_keeps_a_unique_registration_number():
    client = make_person(kind="legal_entity", registration_number="01-09-771177")

    erase_client(client=client, actor=make_user(Role.MANAGEMENT))

    stored = Client.objects.get(pk=client.pk)
    assert stored.registration_number == f"ANON-{client.pk}"
    assert set(stored.history.values_list("registration_number", flat=True)) == {f"ANON-{client.pk}"}


@pytest.mark.parametrize(
    ("hold", "make_hold"),
    [
        ("open_case", lambda client: spread_personal_data(client, closed=False)),
        ("current_assignment", lambda client: make_assignment(client, make_manager())),
    ],
)
def test_a_held_client_is_refused_with_the_holds_name_and_nothing_changes(hold, make_hold):
    # given a client under a retention hold
    client = make_person(kind="legal_entity", registration_number="01-09-771177")
    make_hold(client)
    before = snapshot(client)

    # when Management tries to erase them
    with pytest.raises(ValidationError) as refused:
        erase_client(client=client, actor=make_user(Role.MANAGEMENT))

    # then the refusal names the hold and nothing changed
    assert refused.value.code == "retention_hold"
    assert hold in refused.value.params["holds"]
    assert hold in refused.value.messages[0]
    assert snapshot(client) == before


def test_an_open_case_and_opportunity_are_both_named():
    client = make_person()
    spread_personal_data(client, closed=False)

    with pytest.raises(ValidationError) as refused:
        erase_client(client=client, actor=make_user(Role.MANAGEMENT))

    assert refused.value.params["holds"] == ["open_case", "open_opportunity"]


def test_erasure_by_a_client_manager_is_refused_and_nothing_changes():
    client = make_person()
    spread_personal_data(client)
    manager = make_manager()
    before = snapshot(client)

    with pytest.raises(PermissionDenied):
        erase_client(client=client, actor=manager.user)

    assert snapshot(client) == before


def test_a_second_erasure_is_refused():
    client = make_person()
    actor = make_user(Role.MANAGEMENT)
    erase_client(client=client, actor=actor)

    with pytest.raises(ValidationError) as refused:
        erase_client(client=client, actor=actor)

    assert refused.value.code == "already_anonymised"


def test_an_anonymised_client_cannot_be_edited_back():
    from rapport.clients.services import client_update

    client = make_person()
    actor = make_user(Role.MANAGEMENT)
    erase_client(client=client, actor=actor)

    with pytest.raises(ValidationError) as refused:
        client_update(client=client, actor=actor, data={"name": NAME})

    assert refused.value.code == "client_anonymised"
    assert Client.objects.get(pk=client.pk).name == f"Anonymised client #{client.pk}"


def test_import_report_rows_under_a_former_name_are_erased_too():
    # given an import report row that named the client by their former name
    from rapport.dataio.models import ImportRow

    client = make_person()
    job = spread_personal_data(client)["job"]
    ImportRow.objects.create(job=job, line=9, outcome="created", key="", label=FORMER_NAME)

    # when the client is erased
    erase_client(client=client, actor=make_user(Role.MANAGEMENT))

    # then no report row keeps either name
    assert list(ImportRow.objects.filter(job=job).order_by("line").values_list("line", "key", "label")) == [
        (3, "", ""),
        (9, "", ""),
    ]


def test_the_erasure_plan_counts_the_rows_per_model():
    client = make_person()
    spread_personal_data(client)

    plan = erasure_plan(client)

    assert plan["clients.Client"] == 1
    assert plan["clients.HistoricalClient"] == 2
    assert plan["cases.Case"] == 1
    assert plan["dataio.ImportJob"] == 1
    assert plan["hiring.ClientBaseEntry"] == 1
