"""The demo company: complete, valid under the rules, and built only once however often the command runs."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from rapport.assignment.models import Assignment
from rapport.cases.choices import CaseStatus
from rapport.cases.models import Case, Interaction
from rapport.clients.models import Client, ClientGroup
from rapport.feedback.models import Rating, RatingRequest
from rapport.managers.models import ClientManager
from rapport.pipeline.choices import Stage
from rapport.pipeline.models import Acquisition, Opportunity

pytestmark = pytest.mark.django_db


def counts():
    return (
        get_user_model().objects.count(),
        ClientGroup.objects.count(),
        ClientManager.objects.count(),
        Client.objects.count(),
        Assignment.objects.count(),
    )


def test_demo_twice_builds_once():
    # given an empty database / when the demo runs twice
    out = io.StringIO()
    call_command("demo", stdout=out)
    first = counts()
    call_command("demo", stdout=io.StringIO())
    # then nothing is duplicated
    assert counts() == first
    users, groups, managers, clients, assignments = first
    # 200 registry clients and 10 prospects the managers found through the pipeline
    assert (users, groups, managers, clients) == (13, 4, 9, 210)
    assert assignments > 50
    assert "boss" in out.getvalue() and "rapport-demo" in out.getvalue()


def test_demo_covers_every_type_level_mode_and_role():
    call_command("demo", stdout=io.StringIO())
    managers = ClientManager.objects.all()
    assert {m.manager_type for m in managers} == {"advice", "decision", "partnership"}
    assert {m.level for m in managers} == {"junior", "middle", "senior"}
    assert {m.work_mode for m in managers} == {"pool", "personal"}
    assert managers.filter(vip_qualified=True).exists()
    assert {g.name for u in get_user_model().objects.all() for g in u.groups.all()} == {
        "Admin",
        "Management",
        "Client manager",
        "HR",
        "Payroll",
    }
    assert Client.objects.filter(is_vip=True).exists()
    assert Client.objects.filter(kind="individual").exists()
    assert set(Client.objects.values_list("motivation", flat=True)) == {"unknown", "advice", "decision", "partnership"}
    # every assignment satisfies the hard rules
    for a in Assignment.objects.select_related("client", "manager"):
        assert a.client.kind == "legal_entity"
        assert a.manager.work_mode == "personal" and a.manager.employment_status == "active"
        assert a.manager.vip_qualified or not a.client.is_vip
    for m in managers:
        assert m.assignments.filter(end_date__isnull=True).count() <= m.capacity


def test_demo_has_months_of_pipeline_service_and_ratings():
    # given the demo company
    call_command("demo", stdout=io.StringIO())
    now = timezone.now()
    # then opportunities are at every stage, spread over months, each with its stage history in order
    assert set(Opportunity.objects.values_list("stage", flat=True)) == set(Stage.values)
    oldest = Opportunity.objects.order_by("created_at").first().created_at
    assert now - oldest > datetime.timedelta(days=60)
    for opportunity in Opportunity.objects.all():
        times = list(opportunity.stage_changes.order_by("pk").values_list("at", flat=True))
        assert times == sorted(times)
    # every standing acquisition is the client's credit, and won legal entities have a manager or wait in the queue
    for acquisition in Acquisition.objects.active().select_related("client"):
        assert (acquisition.client.acquired_by_id, acquisition.client.acquired_on) == (
            acquisition.manager_id,
            acquisition.acquired_on,
        )
    # cases in every status, interactions over months, and ratings given through requests
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert Interaction.objects.filter(occurred_at__lt=now - datetime.timedelta(days=60)).exists()
    assert Rating.objects.count() > 5
    assert all(r.request.manager_id == r.manager_id for r in Rating.objects.select_related("request"))
    assert not RatingRequest.objects.filter(sent_at__isnull=False, token_hash__isnull=True).exists()


def test_demo_activity_is_built_once():
    # given the demo built once / when it runs again / then no opportunity, case or rating is added
    call_command("demo", stdout=io.StringIO())
    first = (Opportunity.objects.count(), Case.objects.count(), Rating.objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (Opportunity.objects.count(), Case.objects.count(), Rating.objects.count()) == first
