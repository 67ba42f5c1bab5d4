"""Helpers of the cases tests: local times, a frozen clock, cases in any status, and a snapshot of a case."""

import contextlib
import datetime
from unittest import mock
from zoneinfo import ZoneInfo

from rapport.accounts.roles import Role
from rapport.cases.choices import CaseStatus
from rapport.cases.models import Case, CaseEvent
from rapport.core.testing import make_case, make_manager, make_user

BUDAPEST = ZoneInfo("Europe/Budapest")


def local(year, month, day, hour=0, minute=0) -> datetime.datetime:
    """An aware time in Budapest."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BUDAPEST)


@contextlib.contextmanager
def frozen(at: datetime.datetime):
    """Let ``timezone.now()`` answer ``at`` inside the block."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


def named_manager(first: str, last: str, **fields):
    return make_manager(user=make_user(Role.CLIENT_MANAGER, first_name=first, last_name=last), **fields)


def pool_manager(**fields):
    fields.setdefault("work_mode", "pool")
    return make_manager(**fields)


def case_in(status: str, client, handler, **fields) -> Case:
    """A case written directly in ``status``, with the fields that status needs."""
    opened_at = fields.pop("opened_at", None) or local(2026, 3, 2, 9)
    fields["opened_at"] = opened_at
    if status != CaseStatus.NEW:
        fields.setdefault("acknowledged_at", opened_at + datetime.timedelta(hours=1))
        fields.setdefault("problem_statement", "The March invoice charges twice for delivery.")
    if status in (CaseStatus.RESOLVED, CaseStatus.CLOSED):
        fields.setdefault("resolution", "Credit note issued.")
        fields.setdefault("resolved_at", opened_at + datetime.timedelta(hours=5))
        fields.setdefault("resolved_by", handler)
    if status == CaseStatus.CLOSED:
        fields.setdefault("closed_at", opened_at + datetime.timedelta(days=2))
    return make_case(client, handler=handler, status=status, **fields)


CASE_COLUMNS = (
    "status",
    "handler_id",
    "priority",
    "acknowledged_at",
    "problem_statement",
    "resolved_at",
    "resolved_by_id",
    "resolution",
    "closed_at",
    "reopen_count",
    "routing",
    "acknowledge_due_at",
    "resolve_due_at",
)


def case_state(case: Case) -> tuple:
    """The case's row, its events and its history count: equal before and after means nothing changed."""
    row = Case.objects.filter(pk=case.pk).values_list(*CASE_COLUMNS).get()
    events = list(
        CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", "at", "actor_id", "manager_id", "note")
    )
    return row, events, Case.history.filter(id=case.pk).count()


def events_of(case: Case) -> list[tuple]:
    """The case's timeline as (kind, actor id, manager id, note) in order."""
    return list(
        CaseEvent.objects.filter(case=case).order_by("at", "id").values_list("kind", "actor_id", "manager_id", "note")
    )
