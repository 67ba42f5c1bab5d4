"""The ratings table (Management) and a manager's ratings: who sees what, filters, order, and no leaks."""

import datetime

import pytest
from django.test import Client as Browser
from django.utils import timezone

from rapport.accounts.roles import Role
from rapport.core.testing import make_client, make_manager, make_user
from rapport.feedback.tests.factories import make_rating
from rapport.managers.choices import ManagerType

pytestmark = pytest.mark.django_db


def browser(user=None) -> Browser:
    b = Browser()
    if user is not None:
        b.force_login(user)
    return b


@pytest.fixture
def world():
    """This month: Anna 5, 5, 2 (comment "Great help"); Bence 3 (comment "Bence secret"); Csilla no ratings."""
    anna = make_manager(user=make_user(Role.CLIENT_MANAGER, first_name="Anna", last_name="Kovács"))
    bence = make_manager(
        user=make_user(Role.CLIENT_MANAGER, first_name="Bence", last_name="Szabó"), manager_type=ManagerType.DECISION
    )
    csilla = make_manager(user=make_user(Role.CLIENT_MANAGER, first_name="Csilla", last_name="Tóth"))
    now = timezone.now()
    make_rating(anna, 5, at=now, comment="Great help", client=make_client(name="Alfa Kft.", email="a@example.com"))
    make_rating(anna, 5, at=now - datetime.timedelta(minutes=1))
    make_rating(anna, 2, at=now - datetime.timedelta(minutes=2))
    make_rating(bence, 3, at=now, comment="Bence secret")
    return anna, bence, csilla


def rows(html: str) -> list[str]:
    """The manager names of the table, in order."""
    import re

    return re.findall(r'<td><a href="/ratings/managers/\d+/\?[^"]*">([^<]+)</a></td>', html)


def test_management_sees_the_table_sorted_by_smoothed(world, management):
    response = browser(management).get("/ratings/")
    assert response.status_code == 200
    html = response.content.decode()
    # Anna (20 + 12) ÷ 8 = 4.00, Csilla the prior 4.00 with no ratings, Bence (20 + 3) ÷ 6 = 3.83
    assert rows(html) == ["Anna Kovács", "Csilla Tóth", "Bence Szabó"]
    assert (
        '<td class="num">3</td>\n      <td class="num">4.00</td>\n      <td class="num"><strong>4.00</strong>' in html
    )
    assert '<td class="num">0</td>\n      <td class="num">—</td>' in html
    assert "<strong>3.83</strong>" in html


def test_table_sorts_filters_by_type_and_swaps_only_the_results_for_htmx(world, management):
    b = browser(management)
    # lowest first; Anna and Csilla tie at 4.00, more ratings first
    assert rows(b.get("/ratings/", {"sort": "smoothed"}).content.decode()) == [
        "Bence Szabó",
        "Anna Kovács",
        "Csilla Tóth",
    ]
    assert rows(b.get("/ratings/", {"sort": "name"}).content.decode()) == ["Anna Kovács", "Bence Szabó", "Csilla Tóth"]
    decision = b.get("/ratings/", {"manager_type": "decision"}).content.decode()
    assert rows(decision) == ["Bence Szabó"]
    partial = b.get("/ratings/", {"sort": "-count"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and rows(partial) == ["Anna Kovács", "Bence Szabó", "Csilla Tóth"]
    assert 'aria-sort="descending"' in partial


def test_table_period_filter(world, management):
    b = browser(management)
    last_year = f"{timezone.localdate().year - 1}-01"
    html = b.get("/ratings/", {"month": last_year}).content.decode()
    assert "<strong>3.83</strong>" not in html  # no ratings then: everyone has the prior
    assert html.count("<strong>4.00</strong>") == 3
    today = timezone.localdate().isoformat()
    ranged = b.get("/ratings/", {"start": today, "end": today}).content.decode()
    assert "<strong>3.83</strong>" in ranged
    bad = b.get("/ratings/", {"month": "2026-13"})
    assert bad.status_code == 200 and "Give the month as YYYY-MM." in bad.content.decode()


def test_payroll_sees_the_table(world, payroll):
    assert browser(payroll).get("/ratings/").status_code == 200


@pytest.mark.parametrize("who", ["hr", "manager", "nobody"])
def test_others_may_not_see_the_table(world, hr, who):
    user = {"hr": hr, "manager": world[0].user, "nobody": make_user()}[who]
    assert browser(user).get("/ratings/").status_code == 403


def test_table_requires_login():
    response = browser().get("/ratings/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/ratings/")


def test_a_manager_sees_their_own_ratings(world):
    anna, _bence, _csilla = world
    response = browser(anna.user).get("/ratings/mine/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>My ratings</h1>" in html
    assert '<span class="big">4.00</span>' in html and "from 3 ratings" in html
    assert "Great help" in html and "Alfa Kft." in html
    assert html.count('<td class="stars-cell">') == 3
    assert '<span class="visually-hidden">5 stars</span>' in html
    assert "Bence secret" not in html


def test_a_manager_never_sees_anothers_ratings(world):
    anna, bence, _csilla = world
    b = browser(anna.user)
    assert b.get(f"/ratings/managers/{bence.pk}/").status_code == 404
    assert b.get(f"/ratings/managers/{anna.pk}/").status_code == 200
    assert b"Bence secret" not in b.get("/ratings/mine/", {"month": "2000-01"}).content


def test_a_manager_without_ratings_sees_the_prior(world):
    html = browser(world[2].user).get("/ratings/mine/").content.decode()
    assert '<span class="big">4.00</span>' in html and "from 0 ratings" in html and "No ratings in this period." in html


@pytest.mark.parametrize("role", [Role.HR, Role.MANAGEMENT, Role.PAYROLL])
def test_mine_is_for_client_managers(world, role):
    assert browser(make_user(role)).get("/ratings/mine/").status_code == 403


def test_management_opens_a_managers_ratings_from_the_table(world, management):
    _anna, bence, _csilla = world
    html = browser(management).get(f"/ratings/managers/{bence.pk}/").content.decode()
    assert "Ratings of Bence Szabó" in html and "Bence secret" in html and "from 1 rating<" in html


def test_hr_gets_404_for_a_managers_ratings(world, hr):
    assert browser(hr).get(f"/ratings/managers/{world[0].pk}/").status_code == 404


def test_table_queries_do_not_grow(management, django_assert_num_queries):
    for n in range(3):
        make_rating(make_manager(), 4 - n % 2)
    b = browser(management)
    b.get("/ratings/")
    # session, user, roles, the page of grouped rows
    with django_assert_num_queries(4):
        assert b.get("/ratings/").status_code == 200
    for _ in range(10):
        make_rating(make_manager(), 5)
    with django_assert_num_queries(4):
        assert b.get("/ratings/").status_code == 200


def test_mine_queries_do_not_grow(django_assert_num_queries):
    anna = make_manager()
    make_rating(anna, 4)
    b = browser(anna.user)
    b.get("/ratings/mine/")
    # session, user, profile, roles, summary, the page of ratings
    with django_assert_num_queries(6):
        b.get("/ratings/mine/")
    for stars in (1, 2, 3, 5):
        make_rating(anna, stars)
    with django_assert_num_queries(6):
        b.get("/ratings/mine/")
