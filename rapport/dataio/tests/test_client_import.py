"""The client import: dry-run report, idempotency, XLSX like CSV, refusals with codes, all or nothing."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from rapport.accounts.roles import Role
from rapport.clients.models import Client
from rapport.core.testing import make_assignment, make_client, make_group, make_manager, make_user
from rapport.dataio.services import import_data

pytestmark = pytest.mark.django_db

HEADER = "External id;Name;Kind;Registration number;E-mail;Country;Client group;Status;VIP;VIP reason\n"
ROWS = [
    "C-1;Alfa Kft.;legal_entity;01-09-000001;INFO@ALFA.HU; hu ;Retail;active;no;",
    "C-2;Béta Zrt.;legal_entity;01-09-000002;;HU;;prospect;yes;Main source of profit",
    "C-3;Kiss Péter;individual;;peter@example.com;HU;;active;0;",
    "C-4;No Number Kft.;legal_entity;;;HU;;active;no;",
    "C-5;Bad Mail Bt.;legal_entity;01-09-000005;not-an-email;HU;;active;no;",
    "C-1;Alfa Again Kft.;legal_entity;01-09-000009;;HU;;active;no;",
    "C-7;Gamma Kft.;legal_entity;01-09-000007;;HU;Nowhere;active;no;",
    "C-8;Delta Kft.;legal_entity;01-09-000008;;HU;;sleeping;no;",
    "C-9;VIP Without Reason Kft.;legal_entity;01-09-000010;;HU;;active;yes;",
]


def csv_bytes(rows=ROWS, header=HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode()


def xlsx_bytes(rows=ROWS, header=HEADER) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header.strip("\n").split(";"))
    for row in rows:
        sheet.append(row.split(";"))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def boss():
    make_group("Retail")
    return make_user(Role.MANAGEMENT)


def outcomes(report) -> list[tuple]:
    return [(r.line, r.outcome, [e.code for e in r.errors]) for r in report.rows]


EXPECTED = [
    (2, "created", []),
    (3, "created", []),
    (4, "created", []),
    (5, "refused", ["registration_number_required"]),
    (6, "refused", ["invalid"]),
    (7, "refused", ["duplicate_in_file"]),
    (8, "refused", ["invalid_choice"]),
    (9, "refused", ["invalid_choice"]),
    (10, "refused", ["vip_reason_required"]),
]


def test_dry_run_reports_every_row_and_writes_nothing(boss):
    # given a file of nine rows, five of them wrong in different ways
    # when it is dry-run
    report = import_data(kind="clients", data=csv_bytes(), actor=boss, dry_run=True)

    # then each row has its outcome and reason, and nothing is written
    assert report.counts == {"created": 3, "updated": 0, "unchanged": 0, "refused": 6}
    assert sorted(outcomes(report)) == EXPECTED
    assert Client.objects.count() == 0
    assert Client.history.count() == 0


def test_import_writes_valid_rows_normalised_with_history(boss):
    # when the file is imported
    report = import_data(kind="clients", data=csv_bytes(), actor=boss)

    # then the valid rows are stored as the client form would store them, each with a history record
    assert report.counts == {"created": 3, "updated": 0, "unchanged": 0, "refused": 6}
    alfa = Client.objects.get(external_id="C-1")
    assert (alfa.email, alfa.country, alfa.group.name, alfa.status, alfa.name_key) == (
        "info@alfa.hu",
        "HU",
        "Retail",
        "active",
        "alfa",
    )
    beta = Client.objects.get(external_id="C-2")
    assert (beta.is_vip, beta.vip_reason, beta.vip_since is not None) == (True, "Main source of profit", True)
    assert sorted(Client.objects.values_list("external_id", flat=True)) == ["C-1", "C-2", "C-3"]
    assert sorted(Client.history.values_list("external_id", "history_type", "history_user_id")) == [
        ("C-1", "+", boss.pk),
        ("C-2", "+", boss.pk),
        ("C-3", "+", boss.pk),
    ]
    assert set(Client.history.values_list("history_change_reason", flat=True)) == {"import"}


def test_second_import_changes_nothing(boss):
    # given the file was imported once
    import_data(kind="clients", data=csv_bytes(), actor=boss)
    before = list(Client.objects.order_by("pk").values())

    # when it is imported again
    report = import_data(kind="clients", data=csv_bytes(), actor=boss)

    # then the valid rows are unchanged and nothing is written
    assert report.counts == {"created": 0, "updated": 0, "unchanged": 3, "refused": 6}
    assert list(Client.objects.order_by("pk").values()) == before
    assert Client.history.count() == 3


def test_changed_row_updates_matched_client_by_registration_number(boss):
    # given a stored legal entity without an external id
    client = make_client(name="Alfa Kft.", registration_number="01-09-000001", city="Pécs")

    # when a row with its registration number, an external id and a country is imported
    data = csv_bytes(["C-1;Alfa Kft.;legal_entity;01-09-000001;;HU;;active;no;"])
    report = import_data(kind="clients", data=data, actor=boss)

    # then that client is updated (and given the external id), with a history record of the change
    assert report.counts == {"created": 0, "updated": 1, "unchanged": 0, "refused": 0}
    assert report.rows[0].changed == ["external_id", "country"]
    client.refresh_from_db()
    assert (client.external_id, client.country, client.city) == ("C-1", "HU", "Pécs")
    assert client.history.latest().history_type == "~"


def test_xlsx_gives_the_same_report_as_csv(boss):
    # when the same rows come as XLSX
    report = import_data(kind="clients", data=xlsx_bytes(), filename="clients.xlsx", actor=boss, dry_run=True)

    # then the report is the CSV's
    assert sorted(outcomes(report)) == EXPECTED


def test_refusal_messages_are_translated(boss):
    # when the dry run runs in Hungarian
    with translation.override("hu"):
        report = import_data(kind="clients", data=csv_bytes(), actor=boss, dry_run=True)

    # then the e-mail error is Django's Hungarian message
    bad_mail = next(r for r in report.rows if r.line == 6)
    assert [(e.field, e.code, e.message) for e in bad_mail.errors] == [
        ("email", "invalid", "Adjon meg egy érvényes e-mail címet!")
    ]


def test_a_client_with_a_manager_cannot_become_an_individual(boss):
    # given a legal entity held by a personal manager
    client = make_client(registration_number="01-09-000001", external_id="C-1")
    make_assignment(client, make_manager())

    # when a row makes it an individual
    data = csv_bytes(["C-1;Alfa Kft.;individual;01-09-000001;;HU;;active;no;"])
    report = import_data(kind="clients", data=data, actor=boss)

    # then the row is refused with the client service's code and the client is as it was
    assert [(r.outcome, [e.code for e in r.errors]) for r in report.rows] == [("refused", ["client_has_manager"])]
    client.refresh_from_db()
    assert client.kind == "legal_entity"


def test_failure_part_way_leaves_no_rows(boss, monkeypatch):
    # given batches of two rows and a hook that fails on the second batch
    monkeypatch.setattr("rapport.dataio.clients.BATCH", 2)
    rows = [f"C-{i};Client {i} Kft.;legal_entity;01-09-{i:06d};;HU;;active;no;" for i in range(10)]

    def fail_on_second(number):
        if number == 2:
            raise RuntimeError("killed")

    # when the import fails part-way
    with pytest.raises(RuntimeError):
        import_data(kind="clients", data=csv_bytes(rows), actor=boss, on_batch=fail_on_second)

    # then no client and no history record is left
    assert Client.objects.count() == 0
    assert Client.history.count() == 0


def test_only_management_imports(boss):
    # given a client manager
    manager = make_manager()

    # when they try to import / then they are refused and nothing changes
    with pytest.raises(PermissionDenied):
        import_data(kind="clients", data=csv_bytes(), actor=manager.user)
    assert Client.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data"), [("clients.xlsx", b"PK\x03\x04not really a zip"), ("c.csv", b"\xff\xfe\x00")]
)
def test_an_unreadable_file_is_refused(boss, name, data):
    # when a damaged file is imported / then it is refused with a code and nothing is written
    with pytest.raises(ValidationError) as refused:
        import_data(kind="clients", data=data, filename=name, actor=boss)
    assert [e.code for e in refused.value.error_list] == ["unreadable_file"]
    assert Client.objects.count() == 0


def test_a_large_load_rebuilds_the_indexes_it_dropped(boss, monkeypatch):
    # given a load counted as large, so the secondary indexes are dropped while it writes
    from django.db import connection

    monkeypatch.setattr("rapport.dataio.clients.INDEX_REBUILD_MIN_ROWS", 1)
    with connection.cursor() as cursor:
        before = set(connection.introspection.get_constraints(cursor, "clients_client"))

    # when the file is imported
    report = import_data(kind="clients", data=csv_bytes(), actor=boss)

    # then the rows are written and every index is there again
    assert report.counts["created"] == 3
    with connection.cursor() as cursor:
        assert set(connection.introspection.get_constraints(cursor, "clients_client")) == before
    assert {"client_name_idx", "client_unique_registration_number"} <= before
