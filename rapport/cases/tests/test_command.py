"""``manage.py cases close-resolved``: closes cases resolved long enough ago, through the service."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from rapport.cases.choices import CaseStatus
from rapport.cases.tests.support import case_in, case_state, frozen, local, named_manager
from rapport.core.testing import make_client

pytestmark = pytest.mark.django_db

NOW = local(2026, 4, 1, 6)


@pytest.fixture
def cases():
    client = make_client()
    anna = named_manager("Anna", "Kovács")
    opened = local(2026, 3, 1, 9)
    return {
        "old": case_in(CaseStatus.RESOLVED, client, anna, opened_at=opened, resolved_at=local(2026, 3, 17, 5)),
        "recent": case_in(CaseStatus.RESOLVED, client, anna, opened_at=opened, resolved_at=local(2026, 3, 25, 9)),
        "open": case_in(CaseStatus.IN_PROGRESS, client, anna, opened_at=opened),
        "closed": case_in(CaseStatus.CLOSED, client, anna, opened_at=opened, resolved_at=local(2026, 3, 2, 9)),
    }


def run(*args) -> str:
    out = io.StringIO()
    with frozen(NOW):
        call_command("cases", "close-resolved", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def statuses(cases) -> dict:
    for case in cases.values():
        case.refresh_from_db()
    return {name: case.status for name, case in cases.items()}


def test_closes_cases_resolved_more_than_the_default_days_ago(management, cases):
    # given the default of 14 days, on 1 April 06:00: "old" was resolved 15 days ago, "recent" 7 days ago
    output = run("--as", "boss")
    # then only the old one is closed, by the actor, with a note in the timeline
    assert statuses(cases) == {"old": "closed", "recent": "resolved", "open": "in_progress", "closed": "closed"}
    assert cases["old"].closed_at == NOW
    event = cases["old"].events.get()
    assert (event.kind, event.actor, event.note) == (
        "closed",
        management,
        "Closed automatically 14 days after the resolution.",
    )
    assert output == "Closed 1 case(s) resolved at least 14 days ago.\n"


def test_days_can_be_set(management, cases):
    run("--days", "5", "--as", "boss")
    assert statuses(cases) == {"old": "closed", "recent": "closed", "open": "in_progress", "closed": "closed"}


def test_dry_run_changes_nothing(management, cases):
    before = {name: case_state(case) for name, case in cases.items()}
    output = run("--days", "5", "--dry-run", "--as", "boss")
    assert {name: case_state(case) for name, case in cases.items()} == before
    assert output.splitlines() == [
        f"  would close #{cases['old'].pk} {cases['old'].subject} (resolved 2026-03-17)",
        f"  would close #{cases['recent'].pk} {cases['recent'].subject} (resolved 2026-03-25)",
        "Would close 2 case(s) resolved at least 5 days ago.",
    ]


def test_the_actor_must_be_management(cases):
    anna = cases["old"].handler
    before = case_state(cases["old"])
    with pytest.raises(CommandError, match="is not Management"):
        run("--as", anna.user.username)
    with pytest.raises(CommandError, match="No active user 'nobody'"):
        run("--as", "nobody")
    assert case_state(cases["old"]) == before


def test_the_resolution_time_limit_is_exact(management, cases):
    # resolved exactly 14 days before now: closed (resolved at or before the cutoff)
    exact = case_in(
        CaseStatus.RESOLVED, make_client(), cases["old"].handler, resolved_at=NOW - datetime.timedelta(days=14)
    )
    run("--as", "boss")
    exact.refresh_from_db()
    assert exact.status == "closed"
