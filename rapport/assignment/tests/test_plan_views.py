"""Plan, departure and leave pages: Management only; others get 403 and change nothing."""

import pytest
from django.test import Client as Browser

from rapport.accounts.roles import Role
from rapport.assignment.models import AssignmentPlan
from rapport.core.testing import make_assignment, make_client, make_manager, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.CLIENT_MANAGER, Role.HR, Role.PAYROLL])
def test_plan_pages_are_management_only(role, management):
    manager = make_manager()
    make_assignment(make_client(), manager)
    plan_browser = Browser()
    plan_browser.force_login(management)
    plan_browser.post("/plans/run/")
    plan = AssignmentPlan.objects.get()
    browser = Browser()
    browser.force_login(make_user(role))
    # when someone else opens or posts to the plan pages / then 403 and nothing changes
    assert browser.get("/plans/").status_code == 403
    assert browser.get(f"/plans/{plan.pk}/").status_code == 403
    assert browser.post("/plans/run/").status_code == 403
    assert browser.post(f"/plans/{plan.pk}/apply/").status_code == 403
    assert browser.get(f"/managers/{manager.pk}/depart/").status_code == 403
    assert browser.post(f"/managers/{manager.pk}/leave/", {"cover": manager.pk}).status_code == 403
    plan.refresh_from_db()
    assert (AssignmentPlan.objects.count(), plan.status) == (1, "draft")
    manager.refresh_from_db()
    assert manager.employment_status == "active"


def test_plan_page_shows_progress_then_refreshes(management):
    browser = Browser()
    browser.force_login(management)
    plan = AssignmentPlan.objects.create(created_by=management, effective_on="2026-01-01", status="computing")
    page = browser.get(f"/plans/{plan.pk}/")
    assert b"Computing the plan" in page.content
    poll = browser.get(f"/plans/{plan.pk}/", {"progress": 1}, HTTP_HX_REQUEST="true")
    assert b'id="plan-progress"' in poll.content
    AssignmentPlan.objects.filter(pk=plan.pk).update(status="draft")
    done = browser.get(f"/plans/{plan.pk}/", {"progress": 1}, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
