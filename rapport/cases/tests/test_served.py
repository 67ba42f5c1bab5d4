"""Served clients per manager and month: interactions and resolutions, month edges in Budapest time."""

import datetime

import pytest

from rapport.cases import served, services
from rapport.cases.choices import CaseStatus
from rapport.cases.models import CaseEvent
from rapport.cases.tests.support import case_in, frozen, local, named_manager
from rapport.core.testing import make_assignment, make_client, make_interaction, make_user

pytestmark = pytest.mark.django_db

JANUARY, FEBRUARY, MARCH, APRIL = (datetime.date(2026, month, 1) for month in (1, 2, 3, 4))


@pytest.fixture
def anna():
    return named_manager("Anna", "Kovács")


@pytest.fixture
def bence():
    return named_manager("Bence", "Szabó")


def test_month_bounds_are_local_midnights():
    # winter time (UTC+1) in January, summer time (UTC+2) from 29 March
    assert served.month_bounds(JANUARY) == (local(2026, 1, 1), local(2026, 2, 1))
    assert served.month_bounds(datetime.date(2026, 3, 17)) == (local(2026, 3, 1), local(2026, 4, 1))
    assert served.month_bounds(datetime.date(2026, 12, 5)) == (local(2026, 12, 1), local(2027, 1, 1))
    start, end = served.month_bounds(APRIL)
    assert (start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)) == (
        datetime.datetime(2026, 3, 31, 22, 0, tzinfo=datetime.UTC),
        datetime.datetime(2026, 4, 30, 22, 0, tzinfo=datetime.UTC),
    )


def test_interactions_count_in_the_local_month_they_happened(anna):
    # given interactions just inside and just outside January, Budapest time
    late_january = make_client(name="Late January")  # 31 Jan 23:30 local = 22:30 UTC
    early_february = make_client(name="Early February")  # 1 Feb 00:10 local = 31 Jan 23:10 UTC
    new_year = make_client(name="New Year")  # 1 Jan 00:00 local
    old_year = make_client(name="Old Year")  # 31 Dec 23:59 local
    make_interaction(late_january, anna, occurred_at=local(2026, 1, 31, 23, 30))
    make_interaction(early_february, anna, occurred_at=local(2026, 2, 1, 0, 10))
    make_interaction(new_year, anna, occurred_at=local(2026, 1, 1, 0, 0))
    make_interaction(old_year, anna, occurred_at=local(2025, 12, 31, 23, 59))
    # when the months are read / then each interaction counts in its local month only
    assert served.served_pairs(month_start=JANUARY) == {(anna.pk, late_january.pk), (anna.pk, new_year.pk)}
    assert served.served_pairs(month_start=FEBRUARY) == {(anna.pk, early_february.pk)}
    assert served.served_pairs(month_start=datetime.date(2025, 12, 1)) == {(anna.pk, old_year.pk)}


def test_the_last_half_hour_of_march_in_summer_time_counts_in_march(anna):
    client = make_client()
    make_interaction(client, anna, occurred_at=local(2026, 3, 31, 23, 30))  # 21:30 UTC
    assert served.served_pairs(month_start=MARCH) == {(anna.pk, client.pk)}
    assert served.served_pairs(month_start=APRIL) == set()


def test_a_case_resolved_in_march_and_again_in_april_counts_in_both_months(anna, bence, management):
    # given Anna's client with a case Anna resolves at 23:30 on 31 March
    client = make_client(name="Alfa Kft.")
    make_assignment(client, anna)
    case = case_in(CaseStatus.IN_PROGRESS, client, anna)
    with frozen(local(2026, 3, 31, 23, 30)):
        services.case_resolve(case=case, actor=anna.user, resolution="Credit note sent.")
    # when it is reopened in April, given to Bence, and Bence resolves it
    with frozen(local(2026, 4, 2, 9)):
        services.case_reopen(case=case, actor=anna.user, reason="Wrong amount.")
        services.case_reassign(case=case, actor=management, handler=bence)
    with frozen(local(2026, 4, 3, 15)):
        services.case_resolve(case=case, actor=bence.user, resolution="Corrected credit note.")
    # then Anna served the client in March and Bence in April; the reassignment itself credits nobody
    assert served.served_pairs(month_start=MARCH) == {(anna.pk, client.pk)}
    assert served.served_pairs(month_start=APRIL) == {(bence.pk, client.pk)}
    assert served.served_counts(month_start=MARCH) == {anna.pk: 1}
    assert served.served_counts(month_start=APRIL) == {bence.pk: 1}


def test_the_same_manager_resolving_twice_counts_once_per_month(anna):
    client = make_client()
    make_assignment(client, anna)
    case = case_in(CaseStatus.IN_PROGRESS, client, anna)
    with frozen(local(2026, 3, 10, 9)):
        services.case_resolve(case=case, actor=anna.user, resolution="Fixed.")
    with frozen(local(2026, 4, 1, 0, 5)):
        services.case_reopen(case=case, actor=anna.user, reason="Back.")
        services.case_resolve(case=case, actor=anna.user, resolution="Fixed again.")
    assert served.served_counts(month_start=MARCH) == {anna.pk: 1}
    assert served.served_counts(month_start=APRIL) == {anna.pk: 1}


def test_counts_are_distinct_clients_over_interactions_and_resolutions(anna, bence, django_assert_num_queries):
    # given in March: Anna called Alfa twice and resolved a case of Alfa and one of Béta; Bence visited Gamma
    alfa, beta, gamma = make_client(name="Alfa"), make_client(name="Béta"), make_client(name="Gamma")
    make_interaction(alfa, anna, occurred_at=local(2026, 3, 3, 10))
    make_interaction(alfa, anna, occurred_at=local(2026, 3, 20, 10))
    for client in (alfa, beta):
        case = case_in(CaseStatus.RESOLVED, client, anna)
        CaseEvent.objects.create(case=case, kind="resolved", at=local(2026, 3, 21, 10), manager=anna)
    make_interaction(gamma, bence, occurred_at=local(2026, 3, 5, 10), channel="visit")
    # and events that credit nobody with serving: a reassignment to Bence, a note
    case = case_in(CaseStatus.NEW, beta, bence)
    CaseEvent.objects.create(case=case, kind="reassigned", at=local(2026, 3, 22, 10), manager=bence)
    CaseEvent.objects.create(case=case, kind="note", at=local(2026, 3, 22, 11), actor=make_user())
    # when the month is counted (one query each)
    with django_assert_num_queries(1):
        counts = served.served_counts(month_start=MARCH)
    with django_assert_num_queries(1):
        pairs = served.served_pairs(month_start=MARCH)
    # then Anna served two clients and Bence one
    assert counts == {anna.pk: 2, bence.pk: 1}
    assert pairs == {(anna.pk, alfa.pk), (anna.pk, beta.pk), (bence.pk, gamma.pk)}
    # and the reads can be limited to some managers
    assert served.served_counts(month_start=MARCH, manager_ids=[bence.pk]) == {bence.pk: 1}
    assert served.served_pairs(month_start=MARCH, manager_ids=iter([anna.pk])) == {
        (anna.pk, alfa.pk),
        (anna.pk, beta.pk),
    }
    assert served.served_counts(month_start=MARCH, manager_ids=[]) == {}
    assert served.served_pairs(month_start=MARCH, manager_ids=[]) == set()
    assert served.served_counts(month_start=FEBRUARY) == {}


def test_credit_stays_with_the_manager_after_the_client_moves(anna, bence):
    # given Anna called her client in March, and the client went to Bence in April
    client = make_client()
    make_interaction(client, anna, occurred_at=local(2026, 3, 3, 10))
    make_assignment(client, bence, start_date=datetime.date(2026, 4, 1))
    # then March still counts for Anna
    assert served.served_counts(month_start=MARCH) == {anna.pk: 1}
