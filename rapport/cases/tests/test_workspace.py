"""The manager's workspace: open cases by time left, follow-ups due, clients not contacted."""

import datetime

import pytest

from rapport.cases import selectors, services
from rapport.cases.choices import CaseStatus
from rapport.cases.tests.support import case_in, frozen, local, named_manager
from rapport.core.testing import make_assignment, make_client, make_interaction

pytestmark = pytest.mark.django_db

NOW = local(2026, 3, 10, 12)
TODAY = datetime.date(2026, 3, 10)


def test_open_cases_come_by_time_left_on_the_next_target():
    # given Anna's cases: new (acknowledge due soonest), in progress (resolve due), resolved (no target left)
    anna, bence = named_manager("Anna", "Kovács"), named_manager("Bence", "Szabó")
    client = make_client()
    due = {"acknowledge_due_at": local(2026, 3, 11, 9), "resolve_due_at": local(2026, 3, 15, 9)}
    later_new = case_in(CaseStatus.NEW, client, anna, subject="later new", **due)
    overdue = case_in(
        CaseStatus.IN_PROGRESS,
        client,
        anna,
        subject="overdue",
        acknowledge_due_at=local(2026, 3, 9, 9),
        resolve_due_at=local(2026, 3, 10, 9),
    )
    soon = case_in(
        CaseStatus.ACKNOWLEDGED,
        client,
        anna,
        subject="soon",
        acknowledge_due_at=local(2026, 3, 9, 9),
        resolve_due_at=local(2026, 3, 10, 18),
    )
    case_in(CaseStatus.RESOLVED, client, anna, subject="resolved")
    case_in(CaseStatus.NEW, client, bence, subject="Bence's")
    # when Anna's workspace is read
    with frozen(NOW):
        rows = selectors.my_open_cases(manager=anna)
    # then her open cases come in order of the next due time, the overdue one flagged
    assert [row.case for row in rows] == [overdue, soon, later_new]
    assert [(row.next_target.state, row.next_target.due_at) for row in rows] == [
        ("overdue", local(2026, 3, 10, 9)),
        ("pending", local(2026, 3, 10, 18)),
        ("pending", local(2026, 3, 11, 9)),
    ]


def test_follow_ups_due_until_someone_contacts_the_client_again():
    anna = named_manager("Anna", "Kovács")
    alfa, beta, gamma = make_client(name="Alfa"), make_client(name="Béta"), make_client(name="Gamma")
    # given Anna's follow-ups: Alfa due yesterday, Béta due today, Gamma due tomorrow
    due_alfa = make_interaction(alfa, anna, occurred_at=local(2026, 3, 1, 10), follow_up_on=datetime.date(2026, 3, 9))
    due_beta = make_interaction(beta, anna, occurred_at=local(2026, 3, 2, 10), follow_up_on=TODAY)
    make_interaction(gamma, anna, occurred_at=local(2026, 3, 3, 10), follow_up_on=datetime.date(2026, 3, 11))
    # and a colleague's follow-up (not Anna's to do)
    make_interaction(alfa, named_manager("Bence", "Szabó"), occurred_at=local(2026, 3, 1, 9), follow_up_on=TODAY)
    # when read today / then Alfa's and Béta's are due, oldest first
    with frozen(NOW):
        assert list(selectors.follow_ups_due(manager=anna)) == [due_alfa, due_beta]
    # when someone calls Béta again / then Béta's follow-up is done
    make_interaction(beta, named_manager("Csaba", "Tóth"), occurred_at=local(2026, 3, 10, 9))
    with frozen(NOW):
        assert list(selectors.follow_ups_due(manager=anna)) == [due_alfa]


def test_clients_not_contacted_for_the_set_number_of_days(settings):
    # given Anna's clients, 60 days being the limit: never contacted, contacted 61 days ago, 59 days ago
    settings.RAPPORT = {**settings.RAPPORT, "NOT_CONTACTED_DAYS": 60}
    anna = named_manager("Anna", "Kovács")
    never, stale, fresh = make_client(name="Never"), make_client(name="Stale"), make_client(name="Fresh")
    for client in (never, stale, fresh):
        make_assignment(client, anna)
    make_interaction(stale, anna, occurred_at=local(2026, 1, 8, 10))
    make_interaction(fresh, named_manager("Bence", "Szabó"), occurred_at=local(2026, 1, 10, 10))
    # and a client she no longer has
    gone = make_client(name="Gone")
    make_assignment(gone, anna, end_date=datetime.date(2025, 6, 1))
    # when read on 10 March / then the never-contacted client comes first, then the stale one
    with frozen(NOW):
        rows = list(selectors.not_contacted(manager=anna))
    assert [(c.name, c.last_contact) for c in rows] == [("Never", None), ("Stale", local(2026, 1, 8, 10))]


def test_the_timeline_holds_events_and_linked_interactions_in_time_order(management):
    # given a case acknowledged at 10:00, an interaction logged through the service at 09:00 and one linked
    # directly (imported) at 11:00
    anna = named_manager("Anna", "Kovács")
    client = make_client()
    make_assignment(client, anna)
    case = case_in(CaseStatus.NEW, client, anna)
    with frozen(local(2026, 3, 4, 10)):
        services.case_acknowledge(case=case, actor=anna.user, problem_statement="Seen.")
        logged = services.interaction_log(
            actor=anna.user,
            client=client,
            data={"channel": "call", "summary": "First call.", "case": case, "occurred_at": local(2026, 3, 4, 9)},
        )
    imported = make_interaction(client, anna, case=case, occurred_at=local(2026, 3, 4, 11), summary="Visit.")
    # when the timeline is read / then all three come in time order, interactions with their details
    timeline = selectors.case_timeline(case=case)
    assert [(entry.kind, entry.at, entry.interaction) for entry in timeline] == [
        ("interaction", local(2026, 3, 4, 9), logged),
        ("acknowledged", local(2026, 3, 4, 10), None),
        ("interaction", local(2026, 3, 4, 11), imported),
    ]
