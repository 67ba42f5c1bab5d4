"""End to end: Management runs a plan, reads a move's reason, applies it, then runs a departure."""

import pytest
from playwright.sync_api import expect

from rapport.accounts.roles import Role
from rapport.assignment.models import Assignment
from rapport.core.testing import PASSWORD, make_assignment, make_client, make_group, make_manager, make_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_plan_and_departure(page, live_server):
    # given a manager on leave who still holds a client, and two active personal managers
    make_user(Role.MANAGEMENT, username="boss")
    retail = make_group("Retail", manager_types=["advice"])
    away = make_manager(user=make_user(Role.CLIENT_MANAGER, first_name="Olga", last_name="Away"))
    bea = make_manager(
        manager_type="advice", groups=[retail], user=make_user(Role.CLIENT_MANAGER, first_name="Bea", last_name="Fit")
    )
    # Cili does not serve Retail, so the plan prefers Bea and the departure has to use Cili.
    make_manager(manager_type="advice", user=make_user(Role.CLIENT_MANAGER, first_name="Cili", last_name="Next"))
    make_assignment(make_client(name="Moving Kft.", motivation="advice", group=retail), away)
    away.employment_status = "on_leave"
    away.save()
    make_client(name="Waiting Kft.", motivation="advice", group=retail)
    url = live_server.url

    # when Management computes a plan
    login(page, url, "boss", PASSWORD)
    page.click("text=Assignment plans")
    page.click("#run-plan")
    # then the diff shows the move with its reason
    expect(page.locator("h1")).to_contain_text("Draft")
    row = page.locator("#plan-changes tr", has_text="Moving Kft.")
    expect(row).to_contain_text("Move")
    expect(row).to_contain_text("Olga Away")
    row.locator("summary").click()
    expect(row).to_contain_text("can no longer hold personal clients")
    # when filtering to moves only / then the new assignment is hidden
    page.select_option("#id_kind", "move")
    expect(page.locator("#plan-changes")).not_to_contain_text("Waiting Kft.")
    # when applying / then both clients have a manager
    page.click("#apply-plan")
    expect(page.locator(".message.success")).to_contain_text("The plan was applied.")
    assert Assignment.objects.filter(end_date__isnull=True).count() == 2
    assert not away.assignments.filter(end_date__isnull=True).exists()

    # when Bea departs, previewed first
    page.goto(f"{url}/managers/{bea.pk}/")
    page.click("text=Departure…")
    page.click("button[name=preview]")
    expect(page.locator("#handover")).to_contain_text("Cili Next")
    page.click("#confirm-departure")
    # then every client of Bea went to Cili and Bea is dismissed
    expect(page.locator(".message.success")).to_contain_text("has left")
    bea.refresh_from_db()
    assert bea.employment_status == "dismissed"
    holders = set(Assignment.objects.filter(end_date__isnull=True).values_list("manager__user__last_name", flat=True))
    assert holders == {"Next"}


def test_leave_with_cover_and_return(page, live_server):
    # given a manager with a client and a colleague
    make_user(Role.MANAGEMENT, username="boss")
    away = make_manager(user=make_user(Role.CLIENT_MANAGER, first_name="Olga", last_name="Away"))
    make_manager(user=make_user(Role.CLIENT_MANAGER, first_name="Cili", last_name="Cover"))
    make_assignment(make_client(name="Kept Kft."), away)
    url = live_server.url
    login(page, url, "boss", PASSWORD)
    # when Management sends Olga on leave with Cili as cover
    page.goto(f"{url}/managers/{away.pk}/")
    page.click("text=Leave…")
    cover_option = page.locator("#id_cover option", has_text="Cili Cover").get_attribute("value")
    page.select_option("#id_cover", cover_option)
    page.click("#start-leave")
    # then the client is with Cili and Olga is on leave
    expect(page.locator(".message.success")).to_contain_text("Cili Cover covers the clients")
    page.goto(f"{url}/clients/")
    expect(page.locator("#results tr", has_text="Kept Kft.")).to_contain_text("Cili Cover")
    # when the leave ends / then the client is back with Olga
    page.goto(f"{url}/managers/{away.pk}/")
    page.click("text=End the leave…")
    page.click("#end-leave")
    expect(page.locator(".message.success")).to_contain_text("the clients returned")
    page.goto(f"{url}/clients/")
    expect(page.locator("#results tr", has_text="Kept Kft.")).to_contain_text("Olga Away")
