"""A leaving manager's open opportunities are handed over with the departure (``manager_depart``): to the prospect's
personal manager, else to an active manager of the same type with the fewest open opportunities, else to any active
manager; won and lost ones stay. With nobody to take them the departure is refused unless Management queues them.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rapport.assignment.departure import manager_depart
from rapport.assignment.models import Assignment, AssignmentPlan
from rapport.core.testing import make_assignment, make_opportunity
from rapport.managers.choices import EmploymentStatus, ManagerType, WorkMode
from rapport.pipeline.choices import Stage
from rapport.pipeline.models import Opportunity, StageChange
from rapport.pipeline.tests.support import history, make_prospect, named_manager, pipeline_state, refusal

pytestmark = pytest.mark.django_db

LAST_WEEK = timezone.now() - datetime.timedelta(days=7)


def deal(manager, stage=Stage.CONTACTED, client=None, title=None) -> Opportunity:
    """An opportunity of ``manager`` in ``stage``, last moved a week ago."""
    fields = {"stage": stage, "stage_changed_at": LAST_WEEK}
    if title:
        fields["title"] = title
    if stage == Stage.LOST:
        fields["lost_reason"] = "price"
    return make_opportunity(client or make_prospect(), manager, **fields)


def holder(opportunity: Opportunity) -> int:
    return Opportunity.objects.values_list("manager_id", flat=True).get(pk=opportunity.pk)


def opportunity_handover(plan):
    [result] = [h for h in plan.handovers if h.label == "opportunities"]
    return result


def test_open_opportunities_go_to_the_personal_manager_else_the_least_busy_colleague_of_the_same_type(management):
    # given a leaving adviser
    leaving = named_manager("Lili", "Leaving", manager_type=ManagerType.ADVICE)
    # and colleagues: Pál, personal manager of one of her prospects; two advisers, Anna with an open opportunity
    # and Béla with only closed ones; a partnership manager with none; an adviser on leave with none
    pal = named_manager("Pál", "Personal", manager_type=ManagerType.DECISION)
    anna = named_manager("Anna", "Adviser", manager_type=ManagerType.ADVICE)
    bela = named_manager("Béla", "Adviser", manager_type=ManagerType.ADVICE)
    cili = named_manager("Cili", "Partner", manager_type=ManagerType.PARTNERSHIP)
    named_manager("Dóra", "Away", manager_type=ManagerType.ADVICE, employment_status=EmploymentStatus.ON_LEAVE)
    deal(anna, Stage.NEW)
    deal(bela, Stage.WON)
    deal(bela, Stage.LOST)
    assigned = make_prospect(name="Assigned Kft.")
    make_assignment(assigned, pal)
    # and her opportunities: one on Pál's prospect, two on prospects without a manager, one won, one lost
    on_assigned = deal(leaving, Stage.CONTACTED, client=assigned)
    first_free = deal(leaving, Stage.OFFER)
    second_free = deal(leaving, Stage.NEW)
    won = deal(leaving, Stage.WON)
    lost = deal(leaving, Stage.LOST)
    stage_changes = StageChange.objects.count()

    # when she departs
    plan = manager_depart(manager=leaving, actor=management)

    # then the opportunity on Pál's prospect goes to Pál; the first free one to Béla (no open opportunity); the
    # second, with Anna and Béla at one each, to the earlier of them (Anna); the closed ones stay hers
    assert [holder(o) for o in (on_assigned, first_free, second_free, won, lost)] == [
        pal.pk,
        bela.pk,
        anna.pk,
        leaving.pk,
        leaving.pk,
    ]
    assert Opportunity.objects.filter(manager=cili).count() == 0
    handover = opportunity_handover(plan)
    assert (handover.moved, handover.unplaced) == (3, [])
    # and the moved opportunities keep their stage, its date and the stage history; the move is in their history
    for opportunity in (on_assigned, first_free, second_free):
        moved = Opportunity.objects.get(pk=opportunity.pk)
        assert (moved.stage, moved.stage_changed_at, moved.closed_at) == (opportunity.stage, LAST_WEEK, None)
        assert history(moved)[-1] == ("~", management.pk, "handover")
    assert StageChange.objects.count() == stage_changes
    # and she has left
    leaving.refresh_from_db()
    assert (leaving.employment_status, leaving.dismissal_date) == ("dismissed", timezone.localdate())


def test_without_a_colleague_of_the_same_type_any_active_manager_with_the_fewest_takes_over(management):
    # given a leaving adviser whose only active colleagues are of other types, one of them busier
    leaving = named_manager("Lili", "Leaving", manager_type=ManagerType.ADVICE)
    busy = named_manager("Bea", "Busy", manager_type=ManagerType.DECISION)
    free = named_manager("Cili", "Free", manager_type=ManagerType.PARTNERSHIP)
    named_manager("Dóra", "Away", manager_type=ManagerType.ADVICE, employment_status=EmploymentStatus.ON_LEAVE)
    named_manager("Edit", "Gone", manager_type=ManagerType.ADVICE, employment_status=EmploymentStatus.DISMISSED)
    deal(busy, Stage.NEW)
    opportunity = deal(leaving)

    # when she departs / then the colleague with the fewest open opportunities takes it
    manager_depart(manager=leaving, actor=management)
    assert holder(opportunity) == free.pk


def test_a_pool_manager_of_the_same_type_carries_on(management):
    # given a leaving adviser, a pool adviser and a personal partnership manager, none busy
    leaving = named_manager("Lili", "Leaving", manager_type=ManagerType.ADVICE)
    pool = named_manager("Pál", "Pool", manager_type=ManagerType.ADVICE, work_mode=WorkMode.POOL)
    named_manager("Cili", "Partner", manager_type=ManagerType.PARTNERSHIP)
    opportunity = deal(leaving)

    # when she departs / then the same type wins over the work mode
    manager_depart(manager=leaving, actor=management)
    assert holder(opportunity) == pool.pk


def test_the_prospects_new_personal_manager_takes_over_the_opportunity(management):
    # given a leaving adviser who holds a prospect by hand and works an opportunity on it
    leaving = named_manager("Lili", "Leaving", manager_type=ManagerType.ADVICE)
    prospect = make_prospect(name="Held Kft.")
    make_assignment(prospect, leaving)
    opportunity = deal(leaving, Stage.NEEDS_IDENTIFIED, client=prospect)
    # and the only other personal manager (another type), and an idle pool adviser
    personal = named_manager("Pető", "Personal", manager_type=ManagerType.PARTNERSHIP)
    named_manager("Pál", "Pool", manager_type=ManagerType.ADVICE, work_mode=WorkMode.POOL)

    # when she departs
    manager_depart(manager=leaving, actor=management)

    # then the departure gave the prospect to the personal manager, and the opportunity followed it
    current = Assignment.objects.get(client=prospect, end_date__isnull=True)
    assert (current.manager_id, current.reason) == (personal.pk, "handover")
    assert holder(opportunity) == personal.pk


def test_a_personal_manager_on_leave_does_not_take_the_opportunity(management):
    # given a leaving adviser's opportunity on a prospect whose personal manager is on leave
    leaving = named_manager("Lili", "Leaving", manager_type=ManagerType.ADVICE)
    away = named_manager("Pál", "Away", manager_type=ManagerType.ADVICE, employment_status=EmploymentStatus.ON_LEAVE)
    prospect = make_prospect()
    make_assignment(prospect, away)
    opportunity = deal(leaving, client=prospect)
    colleague = named_manager("Anna", "Adviser", manager_type=ManagerType.ADVICE)

    # when she departs / then an active colleague of her type takes it
    manager_depart(manager=leaving, actor=management)
    assert holder(opportunity) == colleague.pk


def test_with_no_other_active_manager_the_departure_is_refused_and_changes_nothing(management):
    # given the only active manager, with an open and a won opportunity, and colleagues away or gone
    leaving = named_manager("Lili", "Leaving")
    named_manager("Dóra", "Away", employment_status=EmploymentStatus.ON_LEAVE)
    named_manager("Edit", "Gone", employment_status=EmploymentStatus.DISMISSED)
    open_deal = deal(leaving, Stage.OFFER, title="Alfa bank account")
    deal(leaving, Stage.WON)
    before = pipeline_state()

    # when she departs
    with pytest.raises(ValidationError) as exc_info:
        manager_depart(manager=leaving, actor=management)

    # then the departure is refused, naming the opportunity, and nothing changed: she is still active, no plan
    assert refusal(exc_info.value) == (None, "departure_unplaced")
    assert exc_info.value.messages == [
        "1 open items cannot be handed over to another manager: opportunity Alfa bank account. "
        "Make a manager available, or choose to put them in the queue for Management."
    ]
    assert pipeline_state() == before
    assert AssignmentPlan.objects.count() == 0
    assert holder(open_deal) == leaving.pk


def test_with_the_queue_chosen_the_departure_leaves_the_opportunity_for_management(management):
    # given the only active manager with an open opportunity
    leaving = named_manager("Lili", "Leaving")
    open_deal = deal(leaving, Stage.OFFER, title="Alfa bank account")

    # when she departs and Management chooses the queue
    plan = manager_depart(manager=leaving, actor=management, queue_unplaced=True)

    # then she has left, and the opportunity stays open in her name, reported as not handed over
    leaving.refresh_from_db()
    assert leaving.employment_status == "dismissed"
    assert (holder(open_deal), Opportunity.objects.get(pk=open_deal.pk).stage) == (leaving.pk, "offer")
    handover = opportunity_handover(plan)
    assert (handover.moved, handover.unplaced) == (0, ["opportunity Alfa bank account"])
