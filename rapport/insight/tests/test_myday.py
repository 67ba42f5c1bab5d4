"""A manager's workspace panels and the report command."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from rapport.accounts.roles import Role
from rapport.compensation.tests.support import browser, build_world, frozen
from rapport.core.testing import make_opportunity, make_user
from rapport.feedback.tests.factories import make_rating
from rapport.insight.tests.test_panels import ZONE
from rapport.pipeline.choices import Stage

pytestmark = pytest.mark.django_db

MID_JANUARY = datetime.datetime(2026, 1, 20, 12, tzinfo=ZONE)


@pytest.fixture
def world():
    return build_world(make_user(Role.MANAGEMENT, username="boss"))


def workspace(user):
    with frozen(MID_JANUARY):
        return browser(user).get("/cases/workspace/")


def panel(response, template: str) -> dict:
    return next(p for p in response.context["panels"] if p["template"] == template)


def test_my_day_shows_my_portfolio_opportunities_ratings_and_pay_so_far(world):
    # Given Anna: two clients (capacity 10), an opportunity at offer, a rating of 5 in January, and on a plan
    make_opportunity(world.alfa, world.anna, stage=Stage.OFFER)
    make_rating(world.anna, 5, at=datetime.datetime(2026, 1, 12, 12, tzinfo=ZONE))
    # When she opens My work in the middle of January
    response = workspace(world.anna.user)
    # Then her portfolio, opportunities, ratings and the month so far are shown
    assert response.status_code == 200
    mine = panel(response, "insight/myday/_portfolio.html")
    assert (mine["clients"], mine["vip"], mine["capacity"], mine["utilisation"]) == (2, 0, 10, Decimal("0.2"))
    stages = panel(response, "insight/myday/_opportunities.html")["stages"]
    assert [(str(label), n) for label, n in stages] == [
        ("New", 0),
        ("Contacted", 0),
        ("Needs identified", 0),
        ("Offer", 1),
    ]
    months = panel(response, "insight/myday/_ratings.html")["months"]
    assert [(month, summary.smoothed if summary else None) for month, summary in months] == [
        (datetime.date(2025, 11, 1), None),
        (datetime.date(2025, 12, 1), None),
        (datetime.date(2026, 1, 1), Decimal(25) / Decimal(6)),
    ]
    estimate = panel(response, "insight/myday/_pay.html")["estimate"]
    # January as calculated: base 450000, two corporate clients 6200, one acquisition 20000
    assert (estimate.currency, estimate.total) == ("HUF", Decimal(476200))
    body = response.content.decode()
    assert "My pay this month so far" in body
    assert "476,200 HUF" in body


def test_my_day_never_shows_another_managers_figures(world):
    # Bence has no client and no opportunity; Anna's are not his
    make_opportunity(world.alfa, world.anna, stage=Stage.OFFER)
    response = workspace(world.bence.user)
    assert panel(response, "insight/myday/_portfolio.html")["clients"] == 0
    assert panel(response, "insight/myday/_opportunities.html")["total"] == 0
    assert panel(response, "insight/myday/_pay.html")["estimate"].total == Decimal(450000)
    body = response.content.decode()
    assert "Alfa Kft." not in body
    assert "476" not in body


def test_pay_so_far_is_left_out_without_a_plan(world):
    world.anna.pay_plan.delete()
    response = workspace(world.anna.user)
    assert all(p["template"] != "insight/myday/_pay.html" for p in response.context["panels"])


def test_report_command_writes_the_pdf(world, tmp_path):
    target = tmp_path / "january.pdf"
    call_command("insight", "report", "--month", "2026-01", "--output", str(target), "--as", "boss", "--language", "hu")
    assert target.read_bytes().startswith(b"%PDF")


def test_report_command_refuses_who_may_not_read_it(world, tmp_path):
    target = tmp_path / "january.pdf"
    with pytest.raises(CommandError, match="may not read"):
        call_command("insight", "report", "--month", "2026-01", "--output", str(target), "--as", "hr")
    assert not target.exists()
    with pytest.raises(CommandError, match="Not a month"):
        call_command("insight", "report", "--month", "01/2026", "--output", str(target), "--as", "boss")
    with pytest.raises(CommandError, match="Unknown language"):
        call_command("insight", "report", "--language", "de", "--output", str(target), "--as", "boss")
