"""The dashboard's figures on a small fixed company: every panel's exact numbers and the lists they link to."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from rapport.accounts.roles import Role
from rapport.cases.choices import CaseStatus
from rapport.clients.choices import ClientKind, Motivation
from rapport.compensation.tests.support import acquisition, build_world
from rapport.core.testing import (
    make_assignment,
    make_case,
    make_client,
    make_group,
    make_interaction,
    make_manager,
    make_user,
)
from rapport.feedback.tests.factories import make_rating
from rapport.insight import panels
from rapport.insight.filters import Filters
from rapport.managers.choices import ManagerLevel, ManagerType, WorkMode

pytestmark = pytest.mark.django_db

ZONE = timezone.get_default_timezone()
AUTUMN = Filters(first=datetime.date(2026, 9, 1), last=datetime.date(2026, 11, 1))


def texts(table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def values(table) -> list[list]:
    return [[cell.export for cell in row] for row in table.rows]


@pytest.fixture
def company():
    """Two personal managers and six active legal entities (two without a manager), one individual:

    - Anna (advice, VIP-qualified, capacity 4): Alfa (Retail, VIP, advice) and Béta (Retail, decision).
    - Bence (decision, not VIP-qualified, capacity 2): Cédrus (Industry, VIP, decision), Delta (Industry, unknown).
    - Without a manager: Epszilon (Industry, VIP), Fókusz (Retail). Retail asks for partnership managers.
    - Alfa has a note from last week; Cédrus only one from 200 days ago.
    """
    management = make_user(Role.MANAGEMENT, username="boss")
    retail = make_group("Retail", manager_types=[ManagerType.PARTNERSHIP])
    industry = make_group("Industry", manager_types=[ManagerType.DECISION])
    anna = make_manager(
        user=make_user(Role.CLIENT_MANAGER, username="anna", first_name="Anna", last_name="Advice"),
        manager_type=ManagerType.ADVICE,
        level=ManagerLevel.SENIOR,
        vip_qualified=True,
        capacity=4,
    )
    bence = make_manager(
        user=make_user(Role.CLIENT_MANAGER, username="bence", first_name="Bence", last_name="Decision"),
        manager_type=ManagerType.DECISION,
        level=ManagerLevel.JUNIOR,
        capacity=2,
    )
    alfa = make_client(name="Alfa", group=retail, is_vip=True, motivation=Motivation.ADVICE)
    beta = make_client(name="Béta", group=retail, motivation=Motivation.DECISION)
    cedrus = make_client(name="Cédrus", group=industry, is_vip=True, motivation=Motivation.DECISION)
    delta = make_client(name="Delta", group=industry)
    epszilon = make_client(name="Epszilon", group=industry, is_vip=True)
    fokusz = make_client(name="Fókusz", group=retail)
    person = make_client(name="Kiss Olga", kind=ClientKind.INDIVIDUAL)
    for client, manager in ((alfa, anna), (beta, anna), (cedrus, bence), (delta, bence)):
        make_assignment(client, manager, actor=management)
    now = timezone.now()
    make_interaction(alfa, anna, occurred_at=now - datetime.timedelta(days=7))
    make_interaction(cedrus, bence, occurred_at=now - datetime.timedelta(days=200))
    return {
        "management": management,
        "anna": anna,
        "bence": bence,
        "retail": retail,
        "industry": industry,
        "clients": {c.name: c for c in (alfa, beta, cedrus, delta, epszilon, fokusz, person)},
    }


def test_portfolio_counts_the_base_vip_coverage_and_motivation_match(company):
    # Given the company; when Management reads the portfolio table
    table = panels.portfolio_table(company["management"], AUTUMN)
    # Then: six legal entities, two without a manager; three VIPs: one with a qualified manager, one with an
    # unqualified one, one without; three assigned clients with a known motivation, two matching.
    assert values(table) == [
        ["Active legal entities", 6, None],
        ["Legal entities without a personal manager", 2, Decimal("33.3")],
        ["Active VIP clients", 3, None],
        ["VIP clients with a VIP-qualified manager", 1, Decimal("33.3")],
        ["VIP clients whose manager is not VIP-qualified", 1, Decimal("33.3")],
        ["VIP clients without a personal manager", 1, Decimal("33.3")],
        ["Assigned clients with a known motivation", 3, None],
        ["… whose manager's type matches it (motivation match rate)", 2, Decimal("66.7")],
        ["… whose manager's type does not match it", 1, Decimal("33.3")],
    ]
    assert table.rows[1][1].link == "/clients/?kind=legal_entity&status=active&unassigned=true"
    assert table.rows[1][1].flag == "bad"
    assert table.rows[4][1].link == "/clients/?is_vip=true&status=active&manager_vip_qualified=false"
    assert table.rows[8][1].link == "/clients/?status=active&motivation_match=false"


def test_every_linked_figure_is_the_length_of_the_list_behind_it(company):
    # When Management follows each figure of the portfolio to the client list
    management = company["management"]
    browser = Client()
    browser.force_login(management)
    # a win, recorded as the pipeline's win does: the credit and the client's acquirer and date
    alfa = company["clients"]["Alfa"]
    acquisition(company["anna"], alfa, datetime.date(2026, 10, 5), was_vip=True)
    alfa.acquired_by, alfa.acquired_on = company["anna"], datetime.date(2026, 10, 5)
    alfa.save()
    tables = [
        panels.portfolio_table(management, AUTUMN),
        panels.load_table(management, AUTUMN),
        panels.groups_table(management, AUTUMN),
        panels.risk_table(management, AUTUMN),
        panels.acquisitions_table(management, AUTUMN),
        panels.acquirers_table(management, AUTUMN),
    ]
    followed = 0
    for table in tables:
        for row in table.rows:
            for figure in row[1:]:
                if figure.kind == "int" and figure.link.startswith("/clients/"):
                    listed = browser.get(figure.link).context["page"].object_list
                    # Then the list holds exactly that many clients
                    assert (table.key, row[0].value, len(listed)) == (table.key, row[0].value, figure.value)
                    followed += 1
    assert followed == 30


def test_portfolio_narrowed_to_a_group(company):
    # When the dashboard is narrowed to Industry
    industry = Filters(first=AUTUMN.first, last=AUTUMN.last, group=company["industry"])
    table = panels.portfolio_table(company["management"], industry)
    # Then only Cédrus, Delta and Epszilon count, and the links keep the group
    assert [row[1].value for row in table.rows] == [3, 1, 2, 0, 1, 1, 1, 1, 0]
    group = company["industry"].pk
    assert table.rows[0][1].link == f"/clients/?kind=legal_entity&status=active&group={group}"


def test_load_lists_the_fullest_manager_first_with_bands(company):
    management = company["management"]
    table = panels.load_table(management, AUTUMN)
    assert texts(table) == [
        ["Bence Decision", "Decision", "Junior", "no", "2", "1", "2", "100.0\u00a0%"],
        ["Anna Advice", "Advice", "Senior", "yes", "2", "1", "4", "50.0\u00a0%"],
    ]
    assert table.rows[0][7].flag == "warn"
    bence = company["bence"].pk
    assert table.rows[0][4].link == f"/clients/?manager={bence}"
    assert table.rows[0][5].link == f"/clients/?manager={bence}&is_vip=true"
    bands = panels.load_bands_table(management, AUTUMN)
    assert values(bands) == [["up to 50 %", 1], ["50–75 %", 0], ["75–90 %", 0], ["90–100 %", 1], ["over capacity", 0]]


def test_groups_by_manager_type_marks_types_the_group_does_not_ask_for(company):
    table = panels.groups_table(company["management"], AUTUMN)
    assert table.header == ["Client group", "Advice", "Decision", "Partnership", "Without a personal manager"]
    assert values(table) == [["Industry", 0, 2, 0, 1], ["Retail", 2, 0, 0, 1]]
    # Retail asks for partnership managers: Anna (advice) holding two Retail clients is marked
    assert [cell.flag for cell in table.rows[1]] == ["", "warn", "", "", "bad"]
    retail = company["retail"].pk
    assert table.rows[1][1].link == f"/clients/?group={retail}&manager_type=advice"


def test_key_person_risk_shares_and_written_down_knowledge(company):
    table = panels.risk_table(company["management"], AUTUMN)
    # Both hold one of three VIPs and one of three corporate clients (33.3 % ≥ 15 %). Anna: both clients have a
    # motivation, Alfa a recent note → half written down → elevated. Bence: only Cédrus has a motivation and its
    # note is 200 days old → nothing written down → high.
    assert values(table) == [
        [
            "Anna Advice",
            "Advice",
            2,
            1,
            Decimal("33.3"),
            1,
            Decimal("33.3"),
            Decimal("100.0"),
            Decimal("50.0"),
            Decimal("50.0"),
            "Elevated",
        ],
        [
            "Bence Decision",
            "Decision",
            2,
            1,
            Decimal("33.3"),
            1,
            Decimal("33.3"),
            Decimal("50.0"),
            Decimal("0.0"),
            Decimal("0.0"),
            "High",
        ],
    ]
    assert table.header[8] == "Noted in 90 days"
    assert [table.rows[0][10].flag, table.rows[1][10].flag] == ["warn", "bad"]


def test_key_person_risk_below_the_threshold_is_low(company, settings):
    settings.RAPPORT = {**settings.RAPPORT, "KEY_PERSON_SHARE": "0.5"}
    table = panels.risk_table(company["management"], AUTUMN)
    assert [row[10].value for row in table.rows] == ["Low", "Low"]


def test_manager_type_filter_narrows_manager_panels(company):
    advice = Filters(first=AUTUMN.first, last=AUTUMN.last, manager_type=ManagerType.ADVICE)
    assert [row[0].value for row in panels.load_table(company["management"], advice).rows] == ["Anna Advice"]
    portfolio = panels.portfolio_table(company["management"], advice)
    # VIP coverage and motivation match count Anna's clients only: Alfa is covered and matches; Béta does not match
    assert [row[1].value for row in portfolio.rows] == [6, 2, 3, 1, 0, 1, 2, 1, 1]


def test_acquisitions_per_month_and_per_manager_count_standing_credits(company):
    anna, clients = company["anna"], company["clients"]
    acquisition(anna, clients["Alfa"], datetime.date(2026, 10, 5), was_vip=True)
    acquisition(anna, clients["Béta"], datetime.date(2026, 11, 2))
    undone = acquisition(company["bence"], clients["Fókusz"], datetime.date(2026, 10, 9))
    undone.reversed_at, undone.reversed_by = timezone.now(), company["management"]
    undone.reversal_reason = "The deal fell through."
    undone.save()
    acquisition(anna, clients["Delta"], datetime.date(2026, 8, 31))  # before the period
    by_month = panels.acquisitions_table(company["management"], AUTUMN)
    assert values(by_month) == [["2026-09", 0, 0], ["2026-10", 1, 1], ["2026-11", 1, 0]]
    assert by_month.rows[1][1].link == "/clients/?acquired_from=2026-10-01&acquired_to=2026-10-31"
    by_manager = panels.acquirers_table(company["management"], AUTUMN)
    assert values(by_manager) == [["Anna Advice", 2, 1]]
    assert by_manager.rows[0][1].link == (
        f"/clients/?acquired_by={anna.pk}&acquired_from=2026-09-01&acquired_to=2026-11-30"
    )


def test_served_counts_distinct_clients_of_pool_managers_per_month(company):
    pool = make_manager(
        user=make_user(Role.CLIENT_MANAGER, first_name="Pál", last_name="Pool"), work_mode=WorkMode.POOL
    )
    person = company["clients"]["Kiss Olga"]
    make_interaction(person, pool, occurred_at=datetime.datetime(2026, 10, 3, 10, tzinfo=ZONE))
    make_interaction(person, pool, occurred_at=datetime.datetime(2026, 10, 20, 10, tzinfo=ZONE))
    make_interaction(company["clients"]["Fókusz"], pool, occurred_at=datetime.datetime(2026, 11, 2, 10, tzinfo=ZONE))
    table = panels.served_table(company["management"], AUTUMN)
    assert table.header == ["Manager", "2026-09", "2026-10", "2026-11"]
    assert values(table) == [["Pál Pool", 0, 1, 1]]
    assert (
        table.rows[0][2].link
        == f"/cases/interactions/?manager={pool.pk}&occurred_from=2026-10-01&occurred_to=2026-10-31"
    )


def test_open_cases_and_missed_targets_per_handler(company):
    bence, clients = company["bence"], company["clients"]
    long_ago = timezone.now() - datetime.timedelta(days=10)
    make_case(clients["Cédrus"], handler=bence, opened_at=long_ago)  # both targets missed
    make_case(clients["Delta"], handler=bence)  # on time
    make_case(
        clients["Delta"],
        handler=bence,
        opened_at=long_ago,
        status=CaseStatus.CLOSED,
        problem_statement="Wrong invoice.",
        resolution="Corrected.",
        resolved_at=long_ago,
        resolved_by=bence,
        closed_at=long_ago,
    )  # not open
    make_case(clients["Kiss Olga"], handler=None, opened_by=company["management"])
    table = panels.cases_table(company["management"], AUTUMN)
    assert values(table) == [["Bence Decision", 2, 1], ["Nobody yet (waits for Management)", 1, 0]]
    assert table.rows[0][2].link == f"/cases/?open=true&breached=true&handler={bence.pk}"
    assert table.rows[1][1].link == "/cases/?open=true&unrouted=true"


def test_ratings_smoothed_per_month_and_for_the_period(company):
    anna = company["anna"]
    make_rating(anna, 5, at=datetime.datetime(2026, 10, 2, 12, tzinfo=ZONE))
    make_rating(anna, 3, at=datetime.datetime(2026, 10, 20, 12, tzinfo=ZONE))
    make_rating(anna, 5, at=datetime.datetime(2026, 11, 3, 12, tzinfo=ZONE))
    table = panels.ratings_table(company["management"], AUTUMN)
    # October (5·4 + 8) ÷ 7 = 4.00; November (20 + 5) ÷ 6 = 4.17; the period (20 + 13) ÷ 8 = 4.125 → 4.13
    assert values(table) == [["Anna Advice", 3, Decimal("4.13"), None, Decimal("4.00"), Decimal("4.17")]]
    assert table.rows[0][4].link == f"/ratings/managers/{anna.pk}/?month=2026-10"


def test_pay_totals_per_month_by_kind():
    management = make_user(Role.MANAGEMENT)
    world = build_world(management)
    january = Filters(first=datetime.date(2026, 1, 1), last=datetime.date(2026, 1, 1))
    table = panels.pay_table(management, january)
    # Anna 450000 + 6200 + 20000, Bence 450000: bonuses 20000 of 926200 = 2.2 %
    assert values(table) == [
        [
            "2026-01",
            "Calculated",
            "HUF",
            2,
            Decimal(900000),
            Decimal(6200),
            Decimal(20000),
            Decimal(0),
            Decimal(0),
            Decimal(926200),
            Decimal("2.2"),
        ]
    ]
    assert table.rows[0][0].link == f"/pay/periods/{world.january.pk}/"


def test_panels_are_shown_to_the_roles_that_may_see_them():
    payroll, hr, manager = make_user(Role.PAYROLL), make_user(Role.HR), make_user(Role.CLIENT_MANAGER)
    assert panels.table_for("pay", payroll, AUTUMN) is not None
    assert panels.table_for("ratings", payroll, AUTUMN) is not None
    assert panels.table_for("load", payroll, AUTUMN) is None
    for user in (hr, manager):
        assert all(panels.table_for(key, user, AUTUMN) is None for key in panels.TABLES)
    assert panels.table_for("no-such-table", make_user(Role.MANAGEMENT), AUTUMN) is None


def test_the_shown_ratings_are_the_first_rows_of_the_whole_table(company):
    # Given four managers rated 2, 1, 1 and 1 times: a tie at the cut of two rows, settled by name
    managers = [company["anna"], company["bence"]]
    for first in ("Zoltán", "Ábel"):
        managers.append(make_manager(user=make_user(Role.CLIENT_MANAGER, first_name=first, last_name="Extra")))
    october = datetime.datetime(2026, 10, 2, 12, tzinfo=ZONE)
    for manager, times in zip(managers, (2, 1, 1, 1), strict=True):
        for _ in range(times):
            make_rating(manager, 4, at=october)
    # When the table shows two rows and when it shows them all
    whole = panels.ratings_table(company["management"], AUTUMN, limit=None)
    shown = panels.ratings_table(company["management"], AUTUMN, limit=2)
    # Then the two shown are the first two of the whole, and both say four managers were rated
    assert [row[0].value for row in whole.rows] == ["Anna Advice", "Bence Decision", "Zoltán Extra", "Ábel Extra"]
    assert values(shown) == values(whole)[:2]
    assert (shown.total, whole.total) == (4, 4)
