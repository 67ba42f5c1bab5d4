"""A leaving manager's open cases move in the departure's transaction: to the client's new personal manager, else a
pool manager; a case nobody may take blocks the departure unless Management queues it."""

import pytest
from django.core.exceptions import ValidationError

from rapport.assignment.departure import manager_depart
from rapport.cases import selectors
from rapport.cases.choices import CaseStatus
from rapport.cases.models import Case
from rapport.cases.tests.support import case_in, case_state, named_manager, pool_manager
from rapport.core.testing import make_assignment, make_client

pytestmark = pytest.mark.django_db


def test_open_cases_follow_the_clients_to_their_new_manager(management):
    # given Anna leaving with her client Alfa (an open case and a resolved one), and Bence with room
    anna = named_manager("Anna", "Kovács")
    bence = named_manager("Bence", "Szabó")
    alfa = make_client(name="Alfa Kft.")
    make_assignment(alfa, anna)
    open_case = case_in(CaseStatus.IN_PROGRESS, alfa, anna)
    resolved = case_in(CaseStatus.RESOLVED, alfa, anna)
    # when Anna departs
    plan = manager_depart(manager=anna, actor=management)
    # then the open case goes to Bence with Alfa, credited to him on the timeline; the resolved one stays Anna's
    open_case.refresh_from_db()
    resolved.refresh_from_db()
    assert (open_case.handler, open_case.routing, open_case.status) == (bence, ["personal_manager"], "in_progress")
    assert (resolved.handler, resolved.resolved_by) == (anna, anna)
    event = open_case.events.get()
    assert (event.kind, event.actor, event.manager, event.note, event.data) == (
        "reassigned",
        management,
        bence,
        "Handed over: the previous handler left.",
        {"from": anna.pk, "to": bence.pk, "reasons": ["personal_manager"]},
    )
    cases_moved = next(h for h in plan.handovers if h.label == "cases")
    assert (cases_moved.moved, cases_moved.unplaced) == (1, [])


def test_a_pool_managers_cases_go_to_another_pool_manager(management):
    # given a pool manager leaving with a case of a client without a personal manager, and a colleague in the pool
    leaving = pool_manager()
    colleague = pool_manager()
    case = case_in(CaseStatus.NEW, make_client(name="Gamma Bt."), leaving)
    # when the pool manager departs / then the colleague takes the case, with the routing reasons
    manager_depart(manager=leaving, actor=management)
    case.refresh_from_db()
    assert (case.handler, case.routing) == (colleague, ["pool_manager_active", "least_open_work"])
    assert case.events.get().manager == colleague


def test_a_case_nobody_may_take_blocks_the_departure_unless_queued(management):
    # given the only pool manager leaving with an open case
    leaving = pool_manager()
    case = case_in(CaseStatus.ACKNOWLEDGED, make_client(name="Gamma Bt."), leaving)
    before = case_state(case)
    # when departing / then refused with the case named, and nothing changed
    with pytest.raises(ValidationError) as refused:
        manager_depart(manager=leaving, actor=management)
    assert refused.value.code == "departure_unplaced"
    assert f"case #{case.pk} {case.subject}" in refused.value.messages[0]
    assert case_state(case) == before
    leaving.refresh_from_db()
    assert leaving.employment_status == "active"
    # when Management queues what cannot be placed / then the case waits in the unrouted queue
    manager_depart(manager=leaving, actor=management, queue_unplaced=True)
    case.refresh_from_db()
    assert (case.handler, case.routing, case.status) == (None, ["no_pool_manager"], "acknowledged")
    assert [c.pk for c in selectors.case_list(user=management, filters={"unrouted": "true"})] == [case.pk]
    assert Case.objects.get(pk=case.pk).events.get().manager is None
