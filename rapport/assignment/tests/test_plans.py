"""Assignment plans and departures on the database: computed, explained, applied atomically, never stale."""

import datetime

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from rapport.accounts.roles import Role
from rapport.assignment import fetch
from rapport.assignment.choices import PlanStatus
from rapport.assignment.departure import manager_depart
from rapport.assignment.models import Assignment, AssignmentPlan
from rapport.assignment.plans import assignment_plan_apply, assignment_plan_create, assignment_plan_discard
from rapport.assignment.services import assignment_create
from rapport.clients.models import Client
from rapport.core.testing import make_assignment, make_client, make_group, make_manager, make_user
from rapport.managers.models import ClientManager

pytestmark = pytest.mark.django_db


def current_map() -> dict[str, str]:
    rows = Assignment.objects.filter(end_date__isnull=True).select_related("client", "manager__user")
    return {a.client.name: a.manager.user.last_name for a in rows}


@pytest.fixture
def team():
    retail = make_group("Retail")
    industry = make_group("Industry")
    adviser = make_manager(manager_type="advice", capacity=4, groups=[retail], user=make_user(last_name="Adviser"))
    partner = make_manager(
        manager_type="partnership", capacity=4, groups=[industry], user=make_user(last_name="Partner")
    )
    return retail, industry, adviser, partner


def test_plan_matches_motivation_and_group_and_applies(management, team):
    # given two unassigned clients whose motivation and group fit one manager each
    retail, industry, _adviser, _partner = team
    make_client(name="Shop Kft.", motivation="advice", group=retail)
    make_client(name="Factory Zrt.", motivation="partnership", group=industry)
    # when a plan is computed
    plan = assignment_plan_create(actor=management)
    # then it proposes two new assignments at zero soft cost, explained
    assert (plan.status, plan.new_count, plan.move_count, plan.unplaced_count) == ("draft", 2, 0, 0)
    assert (plan.cost_before, plan.cost_after) == (2000, 0)
    assert current_map() == {}
    change = plan.changes.get(client__name="Shop Kft.")
    assert change.to_manager.user.last_name == "Adviser"
    assert any("matches the manager's type" in line for line in change.explanation())
    # when it is applied
    assignment_plan_apply(plan=plan, actor=management)
    # then the assignments exist with reason "plan" and history written by the actor
    assert current_map() == {"Shop Kft.": "Adviser", "Factory Zrt.": "Partner"}
    assert set(Assignment.objects.values_list("reason", flat=True)) == {"plan"}
    history = Assignment.history.model.objects.filter(history_type="+")
    assert (history.count(), set(history.values_list("history_user", flat=True))) == (2, {management.pk})
    plan.refresh_from_db()
    assert (plan.status, plan.decided_by) == ("applied", management)


def test_replanning_an_unchanged_state_moves_nobody(management, team):
    retail, industry, _adviser, _partner = team
    for n in range(5):
        make_client(
            name=f"Client {n}", motivation=["advice", "partnership", "unknown"][n % 3], group=[retail, industry][n % 2]
        )
    assignment_plan_apply(plan=assignment_plan_create(actor=management), actor=management)
    before = current_map()
    # when planning again
    again = assignment_plan_create(actor=management)
    # then nothing changes
    assert (again.new_count, again.move_count, again.unassign_count, again.cost_before) == (0, 0, 0, again.cost_after)
    assert again.changes.count() == 0
    assignment_plan_apply(plan=again, actor=management)
    assert current_map() == before


def test_a_stale_plan_is_refused_and_changes_nothing(management, team):
    retail, _industry, adviser, partner = team
    client = make_client(name="Shop Kft.", motivation="advice", group=retail)
    plan = assignment_plan_create(actor=management)
    # given the data changed after the plan was computed
    assignment_create(client=client, manager=partner, actor=management)
    # when applying / then refused as stale, nothing changed
    with pytest.raises(ValidationError) as exc_info:
        assignment_plan_apply(plan=plan, actor=management)
    assert exc_info.value.code == "plan_stale"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.STALE
    assert current_map() == {"Shop Kft.": partner.user.last_name}
    assert adviser.assignments.count() == 0


def test_only_management_plans(team):
    retail = team[0]
    make_client(group=retail)
    manager = make_manager()
    with pytest.raises(PermissionDenied):
        assignment_plan_create(actor=manager.user)
    assert AssignmentPlan.objects.count() == 0
    plan = assignment_plan_create(actor=make_user(Role.MANAGEMENT))
    for role in (Role.HR, Role.PAYROLL, Role.CLIENT_MANAGER):
        with pytest.raises(PermissionDenied):
            assignment_plan_apply(plan=plan, actor=make_user(role))
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_discard_then_apply_is_refused(management, team):
    make_client(group=team[0])
    plan = assignment_plan_discard(plan=assignment_plan_create(actor=management), actor=management)
    with pytest.raises(ValidationError) as exc_info:
        assignment_plan_apply(plan=plan, actor=management)
    assert exc_info.value.code == "plan_not_draft"
    assert Assignment.objects.count() == 0


def test_vip_without_qualified_manager_stays_unplaced_with_the_reason(management, team):
    make_client(name="Crown Nyrt.", is_vip=True, group=team[0])
    plan = assignment_plan_create(actor=management)
    change = plan.changes.get()
    assert (change.kind, change.to_manager) == ("unplaced", None)
    assert change.explanation() == ["no active VIP-qualified personal manager"]


def test_departure_hands_every_client_over(management, team):
    # given a leaving manager with three clients and colleagues with room
    retail, _industry, _adviser, partner = team
    leaving = make_manager(manager_type="advice", capacity=5, groups=[retail], user=make_user(last_name="Leaving"))
    for n in range(3):
        make_assignment(
            make_client(name=f"Own {n}", motivation="advice", group=retail),
            leaving,
            start_date=datetime.date(2024, 1, 1),
        )
    # when the manager departs
    plan = manager_depart(manager=leaving, actor=management)
    # then every client has a new manager, with reason handover, and the manager is dismissed today
    assert current_map() == {"Own 0": "Adviser", "Own 1": "Adviser", "Own 2": "Adviser"}
    assert set(Assignment.objects.filter(end_date__isnull=True).values_list("reason", flat=True)) == {"handover"}
    leaving.refresh_from_db()
    assert (leaving.employment_status, leaving.dismissal_date) == ("dismissed", timezone.localdate())
    assert plan.status == "applied"
    lines = plan.changes.first().explanation()
    assert any("can no longer hold personal clients" in line for line in lines)
    assert partner.assignments.count() == 0


def test_departure_without_room_changes_nothing_unless_queued(management):
    # given a leaving VIP manager whose VIP client nobody else may take
    leaving = make_manager(vip_qualified=True, user=make_user(last_name="Leaving"))
    make_manager(user=make_user(last_name="Plain"))
    make_assignment(make_client(name="Crown Nyrt.", is_vip=True), leaving)
    # when departing / then refused with the client named, nothing changed
    with pytest.raises(ValidationError) as exc_info:
        manager_depart(manager=leaving, actor=management)
    assert exc_info.value.code == "departure_unplaced"
    assert "Crown Nyrt." in exc_info.value.messages[0]
    leaving.refresh_from_db()
    assert leaving.employment_status == "active"
    assert current_map() == {"Crown Nyrt.": "Leaving"}
    assert AssignmentPlan.objects.count() == 0
    # when departing with the queue chosen / then the client waits without a manager, visibly
    manager_depart(manager=leaving, actor=management, queue_unplaced=True)
    assert current_map() == {}
    leaving.refresh_from_db()
    assert leaving.employment_status == "dismissed"


def test_a_requested_plan_is_computed_by_the_task_and_reports_failure(management, team, monkeypatch):
    from rapport.assignment import plans as plan_services

    make_client(group=team[0])
    # when a plan is requested (the test settings run tasks at once) / then it is a finished draft
    plan = plan_services.assignment_plan_request(actor=management)
    plan.refresh_from_db()
    assert (plan.status, plan.progress, plan.new_count) == ("draft", 100, 1)

    # when the solver fails / then the plan says so instead of computing forever
    def broken(problem):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(plan_services, "solve", broken)
    failed = plan_services.assignment_plan_request(actor=management)
    failed.refresh_from_db()
    assert (failed.status, failed.error) == ("failed", "solver exploded")


def test_a_departure_cannot_be_dated_before_a_current_assignment_started(management):
    leaving, other = make_manager(), make_manager()
    make_assignment(make_client(name="Recent Kft."), leaving, start_date=datetime.date(2025, 6, 1))
    with pytest.raises(ValidationError) as exc_info:
        manager_depart(manager=leaving, actor=management, effective_on=datetime.date(2025, 5, 31))
    error = exc_info.value.error_dict["effective_on"][0]
    assert (error.code, error.messages) == (
        "start_before_current",
        ["The manager took a client on 2025-06-01: the departure cannot be dated earlier."],
    )
    assert current_map() == {"Recent Kft.": leaving.user.last_name}
    assert AssignmentPlan.objects.count() == 0
    manager_depart(manager=leaving, actor=management, effective_on=datetime.date(2025, 6, 1))
    assert current_map() == {"Recent Kft.": other.user.last_name}


def test_soft_deleted_clients_and_managers_are_not_planned(management, team):
    # given a deleted client waiting for a manager, and a deleted manager who would fit a live client best
    retail, _industry, _adviser, _partner = team
    make_client(name="Shop Kft.", motivation="advice", group=retail)
    gone = make_client(name="Gone Kft.", motivation="advice", group=retail)
    deleted_adviser = make_manager(
        manager_type="advice", capacity=4, groups=[retail], user=make_user(last_name="Deleted")
    )
    now = timezone.now()
    Client.all_objects.filter(pk=gone.pk).update(deleted_at=now, deleted_by=management)
    ClientManager.all_objects.filter(pk=deleted_adviser.pk).update(deleted_at=now, deleted_by=management)
    # when a plan is computed and applied
    plan = assignment_plan_create(actor=management)
    assignment_plan_apply(plan=plan, actor=management)
    # then only the live client is planned, and with the live manager
    assert (plan.clients, plan.managers, plan.new_count) == (1, 2, 1)
    assert list(plan.changes.values_list("client__name", flat=True)) == ["Shop Kft."]
    assert current_map() == {"Shop Kft.": "Adviser"}


def test_a_capacity_cut_moves_the_clients_of_a_class_with_the_highest_ids(management, team):
    # given three clients of one class with the adviser, whose capacity is then cut to two
    retail, _industry, adviser, _partner = team
    clients = [make_client(name=f"Shop {n} Kft.", motivation="advice", group=retail) for n in range(3)]
    for client in clients:
        make_assignment(client, adviser)
    ClientManager.objects.filter(pk=adviser.pk).update(capacity=2)
    # when a plan is computed
    plan = assignment_plan_create(actor=management)
    # then exactly one client moves, the one added last (highest id), to the partner
    change = plan.changes.get()
    assert (change.kind, change.client_id, change.from_manager_id, change.to_manager.user.last_name) == (
        "move",
        clients[2].pk,
        adviser.pk,
        "Partner",
    )
    assert (plan.clients, plan.move_count, plan.assigned_before, plan.assigned_after) == (3, 1, 3, 3)


def test_clients_without_a_manager_are_placed_lowest_id_first(management):
    # given three waiting clients of one class and room for two
    make_manager(manager_type="advice", capacity=2, user=make_user(last_name="Adviser"))
    clients = [make_client(name=f"Shop {n} Kft.", motivation="advice") for n in range(3)]
    # when a plan is computed
    plan = assignment_plan_create(actor=management)
    # then the two lowest ids get the manager and the highest waits
    assert sorted(plan.changes.values_list("client_id", "kind")) == [
        (clients[0].pk, "new"),
        (clients[1].pk, "new"),
        (clients[2].pk, "unplaced"),
    ]


def test_the_read_counts_rows_and_ranks_their_clients_by_id(management, team):
    # given two clients of one class with the adviser, one of another class with the partner, and one waiting
    retail, industry, adviser, partner = team
    kept, moved = (make_client(motivation="advice", group=retail) for _ in range(2))
    other = make_client(motivation="decision", group=industry)
    waiting = make_client(motivation="advice", group=retail)
    for client in (kept, moved):
        make_assignment(client, adviser)
    make_assignment(other, partner)
    # when the planned clients are read
    counts = fetch.load_class_counts()
    # then one row per (class, current manager), sorted by both, the waiting client first within its class
    retail_advice, industry_decision = retail.pk * 16 + 1 * 2, industry.pk * 16 + 2 * 2
    assert list(zip(counts.packed.tolist(), counts.holder.tolist(), counts.count.tolist(), strict=True)) == sorted(
        [(retail_advice, -1, 1), (retail_advice, adviser.pk, 2), (industry_decision, partner.pk, 1)]
    )
    # and positions turn into ids row after row, ascending within a row, whatever changes afterwards
    expected = {
        (retail_advice, -1): [waiting.pk],
        (retail_advice, adviser.pk): [kept.pk, moved.pk],
        (industry_decision, partner.pk): [other.pk],
    }
    in_order = [pk for key in sorted(expected) for pk in expected[key]]
    Assignment.objects.filter(client=moved).update(manager=partner)
    assert fetch.client_ids(counts, np.arange(4)).tolist() == in_order
