"""The clients served per manager and month (``ServedClientMonth``): written as interactions are logged and cases
resolved, in the company's time zone, gone with their last evidence, rebuilt from the events, read by the pay run."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection

from rapport.accounts.roles import Role
from rapport.cases import served as event_scan
from rapport.cases import services as case_services
from rapport.cases.choices import CaseStatus
from rapport.cases.deletion import case_delete, case_purge
from rapport.cases.models import CaseEvent
from rapport.cases.tests.support import case_in, frozen, local, pool_manager
from rapport.compensation import fetch
from rapport.compensation.models import ServedClientMonth
from rapport.compensation.served import forget_unserved, rebuild_served
from rapport.core.testing import make_client, make_interaction, make_manager, make_user

pytestmark = pytest.mark.django_db

JANUARY, FEBRUARY, MARCH, APRIL = (datetime.date(2026, month, 1) for month in (1, 2, 3, 4))
NOW = local(2026, 4, 10, 12)


def pairs() -> list[tuple]:
    return sorted(ServedClientMonth.objects.values_list("manager_id", "client_id", "month"))


def log(manager, client, occurred_at) -> None:
    with frozen(NOW):
        case_services.interaction_log(
            actor=make_user(Role.MANAGEMENT),
            client=client,
            data={"manager": manager, "channel": "call", "summary": "Hi", "occurred_at": occurred_at},
        )


def resolve(manager, client, at) -> object:
    case = case_in(CaseStatus.IN_PROGRESS, client, manager)
    with frozen(at):
        case_services.case_resolve(case=case, actor=make_user(Role.MANAGEMENT), resolution="Password reset.")
    return case


def test_a_logged_interaction_makes_one_pair_however_often_repeated():
    # given a pool manager and a client
    pool, client = pool_manager(), make_client()
    # when the manager logs three calls with the client in March, and one in April
    for day in (2, 2, 30):
        log(pool, client, local(2026, 3, day, 10))
    log(pool, client, local(2026, 4, 1, 9))
    # then one pair per month
    assert pairs() == [(pool.pk, client.pk, MARCH), (pool.pk, client.pk, APRIL)]


def test_a_resolved_case_makes_the_handler_s_pair_once():
    # given a pool manager who called a client in March
    pool, client = pool_manager(), make_client()
    log(pool, client, local(2026, 3, 3, 10))
    # when they resolve two cases of the same client in March
    resolve(pool, client, local(2026, 3, 20, 10))
    resolve(pool, client, local(2026, 3, 21, 10))
    # then still one pair for March
    assert pairs() == [(pool.pk, client.pk, MARCH)]


def test_the_pair_s_month_is_the_company_time_zone_s():
    # given interactions at 23:30 UTC on 31 January (00:30 on 1 February in Budapest) and at 22:30 UTC on
    # 31 March (00:30 on 1 April, summer time)
    pool, early_february, early_april = pool_manager(), make_client(), make_client()
    log(pool, early_february, datetime.datetime(2026, 1, 31, 23, 30, tzinfo=datetime.UTC))
    log(pool, early_april, datetime.datetime(2026, 3, 31, 22, 30, tzinfo=datetime.UTC))
    # then they count in February and April, as the event scan counts them
    assert pairs() == [(pool.pk, early_february.pk, FEBRUARY), (pool.pk, early_april.pk, APRIL)]
    assert event_scan.served_pairs(month_start=FEBRUARY) == {(pool.pk, early_february.pk)}
    assert event_scan.served_pairs(month_start=APRIL) == {(pool.pk, early_april.pk)}


def test_a_refused_interaction_makes_no_pair():
    # given a pool manager and a client
    pool, client = pool_manager(), make_client()
    # when the manager logs a call a day in the future / then refused, and no pair is written
    with pytest.raises(Exception, match="future"):
        log(pool, client, NOW + datetime.timedelta(days=1))
    assert pairs() == []


def test_a_purged_case_takes_its_pair_only_when_no_other_evidence_remains(settings):
    # given two clients whose cases the pool manager resolved in March, then reopened and deleted (duplicates);
    # the manager also called the second client in March
    settings.RAPPORT = {**settings.RAPPORT, "RESTORE_DAYS": 15}
    management = make_user(Role.MANAGEMENT)
    pool, alone, called = pool_manager(), make_client(), make_client()
    log(pool, called, local(2026, 3, 2, 10))
    deleted_at = local(2026, 3, 25, 12)
    for client in (alone, called):
        case = resolve(pool, client, local(2026, 3, 20, 10))
        with frozen(local(2026, 3, 21, 10)):
            case_services.case_reopen(case=case, actor=management, reason="Opened twice.")
        case_delete(case=case, actor=management, now=deleted_at)
    assert pairs() == sorted([(pool.pk, alone.pk, MARCH), (pool.pk, called.pk, MARCH)])
    # when the purge removes both cases with their timelines
    counts = case_purge(actor=management, now=deleted_at + datetime.timedelta(days=16))
    # then the pair with no evidence left is gone; the called client's stays
    assert counts == {"removed": 2, "kept": 0}
    assert pairs() == [(pool.pk, called.pk, MARCH)]
    assert event_scan.served_pairs(month_start=MARCH) == {(pool.pk, called.pk)}


def test_forgetting_keeps_a_pair_with_evidence():
    # given a pair with its interaction, and one whose evidence is gone
    pool, kept, gone = pool_manager(), make_client(), make_client()
    make_interaction(kept, pool, occurred_at=local(2026, 3, 2, 10))
    ServedClientMonth.objects.create(manager=pool, client=kept, month=MARCH)
    ServedClientMonth.objects.create(manager=pool, client=gone, month=MARCH)
    # when both are checked / then only the one without evidence is removed
    assert forget_unserved([(pool.pk, kept.pk, MARCH), (pool.pk, gone.pk, MARCH)]) == 1
    assert pairs() == [(pool.pk, kept.pk, MARCH)]


def _events_written_directly():
    """Interactions and case events written without the services (as before the table existed): month edges,
    repeats, a resolution credited to nobody, a reassignment (not a resolution)."""
    anna, pool = make_manager(), pool_manager()
    alfa, beta, gamma = make_client(name="Alfa"), make_client(name="Béta"), make_client(name="Gamma")
    make_interaction(alfa, anna, occurred_at=local(2026, 1, 31, 23, 30))
    make_interaction(alfa, anna, occurred_at=local(2026, 2, 1, 0, 0))
    make_interaction(alfa, anna, occurred_at=local(2026, 2, 14, 10))
    make_interaction(beta, pool, occurred_at=local(2026, 3, 31, 23, 59))
    case = case_in(CaseStatus.RESOLVED, gamma, pool)
    CaseEvent.objects.create(case=case, kind="resolved", at=local(2026, 3, 1, 0, 0), manager=pool)
    CaseEvent.objects.create(case=case, kind="resolved", at=local(2026, 3, 9, 0, 0), manager=None)
    CaseEvent.objects.create(case=case, kind="reassigned", at=local(2026, 4, 2), manager=anna)
    CaseEvent.objects.create(case=case, kind="resolved", at=local(2026, 4, 30, 23, 59), manager=pool)
    return anna, pool, alfa, beta, gamma


def test_the_backfill_gives_the_pairs_of_the_event_scan():
    # given events written directly, and no pairs yet
    anna, pool, alfa, beta, gamma = _events_written_directly()
    assert pairs() == []
    # when the migration's backfill runs (as the migration calls it, on the app registry's models)
    migration = importlib.import_module("rapport.compensation.migrations.0004_served_client_month")
    migration.backfill(django_apps, SimpleNamespace(connection=connection))
    # then the pairs are those the event scan finds, month by month
    assert pairs() == sorted(
        [
            (anna.pk, alfa.pk, JANUARY),
            (anna.pk, alfa.pk, FEBRUARY),
            (pool.pk, beta.pk, MARCH),
            (pool.pk, gamma.pk, MARCH),
            (pool.pk, gamma.pk, APRIL),
        ]
    )
    for month in (JANUARY, FEBRUARY, MARCH, APRIL):
        assert {(m, c) for m, c, at in pairs() if at == month} == event_scan.served_pairs(month_start=month)
    # and a second run adds nothing
    assert rebuild_served() == 0
    assert len(pairs()) == 5


def test_a_rebuild_within_bounds_and_a_replacing_rebuild():
    # given events written directly and a stray pair no event shows
    anna, pool, _alfa, beta, gamma = _events_written_directly()
    stray = make_client()
    ServedClientMonth.objects.create(manager=anna, client=stray, month=MARCH)
    # when only March's events are added / then March's pairs join the stray one
    added = rebuild_served(start=local(2026, 3, 1), end=local(2026, 4, 1))
    assert added == 2
    assert pairs() == sorted([(anna.pk, stray.pk, MARCH), (pool.pk, beta.pk, MARCH), (pool.pk, gamma.pk, MARCH)])
    # when rebuilt from all events, replacing / then exactly the events' pairs
    rebuild_served(replace=True)
    assert len(pairs()) == 5
    assert (anna.pk, stray.pk, MARCH) not in pairs()
    # and a replacing rebuild within bounds is refused
    with pytest.raises(ValueError, match="replace"):
        rebuild_served(replace=True, start=local(2026, 3, 1))


def test_the_pay_run_reads_the_month_s_pairs_of_the_managers_asked_for():
    # given pool managers who logged and resolved through the services in March, and one in April
    first, second = pool_manager(), pool_manager()
    alfa, beta, gamma = make_client(), make_client(), make_client()
    log(first, gamma, local(2026, 3, 3, 10))
    log(first, alfa, local(2026, 3, 4, 10))
    resolve(first, alfa, local(2026, 3, 5, 10))
    log(second, beta, local(2026, 4, 1, 0, 30))
    # when March's served clients are fetched for both / then the first manager's two clients, ascending
    found = fetch.served(fetch.month_of(MARCH), [first.pk, second.pk])
    assert {manager: clients.ids.tolist() for manager, clients in found.items()} == {
        first.pk: sorted([alfa.pk, gamma.pk])
    }
    assert fetch.served(fetch.month_of(APRIL), [first.pk]) == {}
    assert fetch.served(fetch.month_of(MARCH), []) == {}
