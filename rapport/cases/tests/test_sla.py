"""Service levels: targets from the settings, the VIP raise, and which cases missed a target."""

import datetime

import pytest

from rapport.cases import selectors, sla
from rapport.cases.choices import CaseStatus
from rapport.cases.tests.support import case_in, frozen, local, named_manager
from rapport.core.testing import make_client

NOW = local(2026, 3, 10, 12)
H = datetime.timedelta(hours=1)


@pytest.mark.parametrize(
    ("requested", "vip", "expected"),
    [
        ("low", False, "low"),
        ("urgent", False, "urgent"),
        ("low", True, "normal"),
        ("normal", True, "high"),
        ("high", True, "urgent"),
        ("urgent", True, "urgent"),
    ],
)
def test_raised_priority(requested, vip, expected):
    assert sla.raised_priority(requested, vip=vip) == expected


@pytest.mark.parametrize(
    ("priority", "vip", "hours"),
    [
        ("low", False, (48, 240)),
        ("normal", False, (24, 120)),
        ("high", False, (8, 48)),
        ("urgent", False, (2, 24)),
        ("low", True, (24, 120)),
        ("normal", True, (8, 48)),
        ("high", True, (4, 24)),
        ("urgent", True, (1, 8)),
    ],
)
def test_due_times_follow_the_settings(priority, vip, hours):
    opened = local(2026, 3, 2, 9)
    assert sla.due_times(opened_at=opened, priority=priority, vip=vip) == (opened + hours[0] * H, opened + hours[1] * H)


@pytest.fixture
def cases(db):
    """One case for each way of meeting or missing the targets, as of 10 March 12:00."""
    client = make_client(name="Alfa Kft.")
    anna = named_manager("Anna", "Kovács")

    def case(status, subject, **fields):
        fields.setdefault("acknowledge_due_at", local(2026, 3, 5, 9))
        fields.setdefault("resolve_due_at", local(2026, 3, 20, 9))
        return case_in(status, client, anna, subject=subject, opened_at=local(2026, 3, 4, 9), **fields)

    return {
        "new past due": case(CaseStatus.NEW, "new past due", acknowledge_due_at=local(2026, 3, 9, 9)),
        "new in time": case(CaseStatus.NEW, "new in time", acknowledge_due_at=local(2026, 3, 11, 9)),
        "acknowledged late": case(CaseStatus.ACKNOWLEDGED, "acknowledged late", acknowledged_at=local(2026, 3, 5, 10)),
        "open past due": case(
            CaseStatus.IN_PROGRESS,
            "open past due",
            acknowledged_at=local(2026, 3, 4, 10),
            resolve_due_at=local(2026, 3, 9, 9),
        ),
        "resolved late": case(
            CaseStatus.RESOLVED,
            "resolved late",
            acknowledged_at=local(2026, 3, 4, 10),
            resolve_due_at=local(2026, 3, 7, 9),
            resolved_at=local(2026, 3, 8, 9),
        ),
        "closed late": case(
            CaseStatus.CLOSED,
            "closed late",
            acknowledged_at=local(2026, 3, 4, 10),
            resolve_due_at=local(2026, 3, 7, 9),
            resolved_at=local(2026, 3, 8, 9),
            closed_at=local(2026, 3, 9, 9),
        ),
        "all in time": case(
            CaseStatus.CLOSED,
            "all in time",
            acknowledged_at=local(2026, 3, 4, 10),
            resolved_at=local(2026, 3, 6, 9),
            closed_at=local(2026, 3, 7, 9),
        ),
    }


def test_breach_flags_of_each_case(cases, management):
    # when the cases are listed on 10 March 12:00
    with frozen(NOW):
        rows = {c.subject: (c.acknowledge_breached, c.resolve_breached) for c in selectors.case_list(user=management)}
    # then each is flagged for exactly the targets it missed
    assert rows == {
        "new past due": (True, False),
        "new in time": (False, False),
        "acknowledged late": (True, False),
        "open past due": (False, True),
        "resolved late": (False, True),
        "closed late": (False, True),
        "all in time": (False, False),
    }


def test_the_breach_filter_lists_the_missed_and_the_kept(cases, management):
    with frozen(NOW):
        missed = {c.subject for c in selectors.case_list(user=management, filters={"breached": "true"})}
        kept = {c.subject for c in selectors.case_list(user=management, filters={"breached": "false"})}
    assert missed == {"new past due", "acknowledged late", "open past due", "resolved late", "closed late"}
    assert kept == {"new in time", "all in time"}


def test_targets_of_one_case_for_display(cases):
    with frozen(NOW):
        rows = {row.case.subject: row for row in selectors.with_targets(cases.values())}
    states = {subject: (row.acknowledge.state, row.resolve.state) for subject, row in rows.items()}
    assert states == {
        "new past due": ("overdue", "pending"),
        "new in time": ("pending", "pending"),
        "acknowledged late": ("late", "pending"),
        "open past due": ("met", "overdue"),
        "resolved late": ("met", "late"),
        "closed late": ("met", "late"),
        "all in time": ("met", "met"),
    }
    assert rows["new past due"].next_target.due_at == local(2026, 3, 9, 9)
    assert rows["open past due"].next_target.due_at == local(2026, 3, 9, 9)
    assert rows["all in time"].next_target is None


def test_a_case_reopened_after_its_due_time_counts_as_open_past_due(db):
    # given a case resolved in time, reopened after the resolve due time
    case = case_in(
        CaseStatus.IN_PROGRESS,
        make_client(),
        named_manager("Anna", "Kovács"),
        resolve_due_at=local(2026, 3, 9, 9),
        reopen_count=1,
    )
    # then it has missed the resolve target until it is resolved again
    with frozen(NOW):
        assert sla.case_targets(case, NOW)[1].state == "overdue"
