"""Importing managers and current assignments: the same rules as the forms and the assignment service."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rapport.accounts.models import User
from rapport.accounts.roles import Role
from rapport.assignment.models import Assignment
from rapport.core.testing import make_assignment, make_client, make_manager, make_user
from rapport.dataio.services import import_data
from rapport.managers.models import ClientManager

pytestmark = pytest.mark.django_db

MANAGERS = (
    "Username,First name,Last name,Manager type,Level,Work mode,VIP-qualified,Capacity,Employment status,"
    "Hire date,Dismissal date,Employee id\n"
    "anna,Anna,Kovács,partnership,senior,personal,yes,12,active,2021-03-01,,E-1\n"
    "bela,Béla,Nagy,advice,junior,pool,no,,active,2023-09-01,,E-2\n"
    "cili,Cili,Tóth,decision,middle,personal,no,5,dismissed,2020-01-01,,E-3\n"
    "dani,Dani,Szabó,wizard,middle,personal,no,5,active,2020-01-01,,E-4\n"
)


def codes(report):
    return [(r.line, r.outcome, [e.code for e in r.errors]) for r in report.rows]


def test_manager_import_creates_accounts_and_profiles_and_is_idempotent():
    # given Management
    boss = make_user(Role.MANAGEMENT)

    # when the file is imported
    report = import_data(kind="managers", data=MANAGERS.encode(), actor=boss)

    # then valid rows become accounts with the Client manager role and profiles with history; others are refused
    assert codes(report) == [
        (2, "created", []),
        (3, "created", []),
        (4, "refused", ["dismissal_date_required"]),
        (5, "refused", ["invalid_choice"]),
    ]
    anna = ClientManager.objects.get(user__username="anna")
    assert (anna.external_id, anna.capacity, anna.vip_qualified, anna.status_since) == (
        "E-1",
        12,
        True,
        datetime.date(2021, 3, 1),
    )
    bela = ClientManager.objects.get(user__username="bela")
    assert bela.capacity == 25  # the junior default (settings.RAPPORT["DEFAULT_CAPACITY"])
    assert User.objects.get(username="anna").groups.filter(name="Client manager").exists()
    assert ClientManager.history.filter(history_type="+").count() == 2

    # when it is imported again / then nothing changes
    again = import_data(kind="managers", data=MANAGERS.encode(), actor=boss)
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 2, "refused": 2}
    assert ClientManager.history.count() == 2


def test_manager_holding_clients_cannot_be_moved_to_pool_work():
    # given a personal manager holding a client
    boss = make_user(Role.MANAGEMENT)
    manager = make_manager(user=make_user(Role.CLIENT_MANAGER, username="olga"), external_id="E-9")
    make_assignment(make_client(), manager)

    # when a row moves them to pool work
    data = b"Username,Work mode\nolga,pool\n"
    report = import_data(kind="managers", data=data, actor=boss)

    # then it is refused with the service's code and the profile is unchanged
    assert codes(report) == [(2, "refused", ["manager_has_clients"])]
    manager.refresh_from_db()
    assert manager.work_mode == "personal"


def test_assignment_import_applies_the_hard_rules():
    # given legal entities, an individual, a VIP, and two managers (one without VIP qualification, capacity 1)
    boss = make_user(Role.MANAGEMENT)
    make_manager(user=make_user(Role.CLIENT_MANAGER, username="anna"), vip_qualified=True, capacity=5)
    small = make_manager(user=make_user(Role.CLIENT_MANAGER, username="bela"), capacity=1, external_id="E-2")
    make_client(registration_number="01-09-000001")
    make_client(registration_number="01-09-000002")
    make_client(kind="individual", name="Kiss Péter", external_id="P-1")
    make_client(registration_number="01-09-000004", is_vip=True)
    held = make_client(registration_number="01-09-000005")
    make_assignment(held, small)
    data = (
        b"Client,Manager,Start date\n"
        b"01-09-000001,anna,2024-05-01\n"
        b"01-09-000002,E-2,\n"
        b"P-1,anna,\n"
        b"01-09-000004,bela,\n"
        b"01-09-000005,bela,\n"
        b"01-09-999999,anna,\n"
        b"01-09-000001,anna,\n"
    )

    # when the file is imported
    report = import_data(kind="assignments", data=data, actor=boss)

    # then each row is judged by the assignment rules, capacity counted with the rows before it
    assert codes(report) == [
        (2, "created", []),
        (3, "refused", ["capacity_exceeded"]),
        (4, "refused", ["not_legal_entity"]),
        (5, "refused", ["vip_needs_qualified_manager"]),
        (6, "unchanged", []),
        (7, "refused", ["unknown_client"]),
        (8, "refused", ["duplicate_in_file"]),
    ]
    current = Assignment.objects.filter(end_date__isnull=True)
    assert sorted(current.values_list("client__registration_number", "manager__user__username")) == [
        ("01-09-000001", "anna"),
        ("01-09-000005", "bela"),
    ]
    created = current.get(client__registration_number="01-09-000001")
    assert (created.start_date, created.actor, created.reason) == (datetime.date(2024, 5, 1), boss, "manual")
    assert list(created.history.values_list("history_type", "history_user_id", "history_change_reason")) == [
        ("+", boss.pk, "manual")
    ]


def test_assignment_import_reassigns_and_ends_the_old_assignment():
    # given a client held by Bea since 2024-01-01
    boss = make_user(Role.MANAGEMENT)
    bea = make_manager(user=make_user(Role.CLIENT_MANAGER, username="bea"))
    make_manager(user=make_user(Role.CLIENT_MANAGER, username="cili"))
    client = make_client(registration_number="01-09-000001")
    old = make_assignment(client, bea, start_date=datetime.date(2024, 1, 1))

    # when a row gives it to Cili from 2024-06-01
    report = import_data(kind="assignments", data=b"Client,Manager,From\n01-09-000001,cili,2024-06-01\n", actor=boss)

    # then the old assignment ends that day and the new one starts, both with history
    assert report.counts == {"created": 0, "updated": 1, "unchanged": 0, "refused": 0}
    old.refresh_from_db()
    assert (old.end_date, old.ended_by) == (datetime.date(2024, 6, 1), boss)
    assert old.history.latest().history_type == "~"
    assert client.assignments.get(end_date__isnull=True).manager.user.username == "cili"


def test_import_command_dry_run_and_mapping(tmp_path):
    # given Management and a file whose name column has an unusual header
    make_user(Role.MANAGEMENT, username="boss")
    path = tmp_path / "clients.csv"
    path.write_text("Ext,Firm,Registration number\nC-1,Alfa Kft.,01-09-000001\nC-2,,01-09-000002\n")
    out, err = io.StringIO(), io.StringIO()

    # when it is dry-run with the columns mapped on the command line
    call_command(
        "import",
        "clients",
        str(path),
        "--dry-run",
        "--map",
        "Ext=external_id",
        "--map",
        "Firm=name",
        "--as",
        "boss",
        stdout=out,
        stderr=err,
    )

    # then the summary and the refused row are printed, a progress bar went to stderr, and nothing was written
    text = out.getvalue()
    assert "2 rows: 1 created, 0 updated, 0 unchanged, 1 refused" in text
    assert "line 3 C-2: name: This field is required. [required]" in text
    assert "100%" in err.getvalue()
    from rapport.clients.models import Client

    assert Client.objects.count() == 0


def test_import_command_refuses_a_mapping_without_name(tmp_path):
    make_user(Role.MANAGEMENT, username="boss")
    path = tmp_path / "clients.csv"
    path.write_text("Ext,Firm\nC-1,Alfa Kft.\n")
    with pytest.raises(CommandError, match=r"Map a column to: Name\."):
        call_command("import", "clients", str(path), "--as", "boss", stdout=io.StringIO(), stderr=io.StringIO())
