"""The demo company: complete, valid under the rules, and built only once however often the command runs."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from rapport.assignment.models import Assignment
from rapport.clients.models import Client, ClientGroup
from rapport.managers.models import ClientManager

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
    assert (users, groups, managers, clients) == (13, 4, 9, 200)
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
