"""API and CLI of assignment plans and departures."""

import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from rapport.accounts.roles import Role
from rapport.assignment.models import Assignment, AssignmentPlan
from rapport.core.testing import make_assignment, make_client, make_group, make_manager, make_user

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_plan_through_the_api(management):
    # given one unassigned client and one fitting manager
    retail = make_group("Retail")
    manager = make_manager(manager_type="advice", groups=[retail])
    client = make_client(name="Shop Kft.", motivation="advice", group=retail)
    # when a plan is computed / then it is a draft with one new assignment
    plan = api(management).post("/api/v1/assignment-plans/", {}, format="json").json()
    assert (plan["status"], plan["new_count"], plan["cost_before"], plan["cost_after"]) == ("draft", 1, 1000, 0)
    changes = api(management).get(f"/api/v1/assignment-plans/{plan['id']}/changes/", {"kind": "new"}).json()
    row = changes["results"][0]
    assert (row["client"], row["to_manager"], row["kind"]) == (client.pk, manager.pk, "new")
    assert "the client's motivation (Advice) matches the manager's type" in row["explanation"]
    # when applied / then the client has its manager
    applied = api(management).post(f"/api/v1/assignment-plans/{plan['id']}/apply/").json()
    assert applied["status"] == "applied"
    assert Assignment.objects.get(end_date__isnull=True).manager == manager
    # when applied again / then 400 with the code
    again = api(management).post(f"/api/v1/assignment-plans/{plan['id']}/apply/")
    assert again.status_code == 400
    assert again.json()["non_field_errors"][0]["code"] == "plan_not_draft"


@pytest.mark.parametrize("role", [Role.CLIENT_MANAGER, Role.HR, Role.PAYROLL])
def test_others_may_not_plan(role):
    user = make_user(role)
    assert api(user).post("/api/v1/assignment-plans/", {}, format="json").status_code == 403
    assert api(user).get("/api/v1/assignment-plans/").status_code == 403
    assert AssignmentPlan.objects.count() == 0


def test_departure_dry_run_changes_nothing_and_the_real_one_hands_over(management):
    leaving, other = make_manager(), make_manager()
    make_assignment(make_client(name="Own Kft."), leaving)
    url = f"/api/v1/managers/{leaving.pk}/depart/"
    preview = api(management).post(url, {"dry_run": True}, format="json").json()
    assert [(c["from_manager"], c["to_manager"]) for c in preview["changes"]] == [(leaving.pk, other.pk)]
    assert AssignmentPlan.objects.count() == 0
    leaving.refresh_from_db()
    assert leaving.employment_status == "active"
    done = api(management).post(url, {}, format="json").json()
    assert done["plan"]["status"] == "applied"
    assert Assignment.objects.get(end_date__isnull=True).manager == other


def test_cli_plan_show_apply_and_depart(management):
    retail = make_group("Retail")
    leaving = make_manager(groups=[retail], user=make_user(Role.CLIENT_MANAGER, username="leaving"))
    other = make_manager(groups=[retail])
    make_client(name="Queue Kft.", group=retail)
    out = io.StringIO()
    call_command("assign", "plan", "--as", "boss", stdout=out)
    plan = AssignmentPlan.objects.get()
    assert f"Plan {plan.pk} (Draft)" in out.getvalue()
    shown = io.StringIO()
    call_command("assign", "show", str(plan.pk), stdout=shown)
    assert "Queue Kft." in shown.getvalue()
    call_command("assign", "apply", str(plan.pk), "--as", "boss", stdout=io.StringIO())
    assert Assignment.objects.filter(end_date__isnull=True).count() == 1
    with pytest.raises(CommandError, match="Only Management"):
        call_command("assign", "plan", "--as", "leaving", stdout=io.StringIO())
    # departure dry run leaves everything as it was
    holder = Assignment.objects.get(end_date__isnull=True).manager
    call_command("depart", "--manager", str(holder.pk), "--dry-run", "--as", "boss", stdout=io.StringIO())
    assert Assignment.objects.get(end_date__isnull=True).manager == holder
    call_command("depart", "--manager", str(holder.pk), "--as", "boss", stdout=io.StringIO())
    new_holder = Assignment.objects.get(end_date__isnull=True).manager
    assert new_holder != holder and new_holder in (leaving, other)
