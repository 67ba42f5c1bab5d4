"""The client list's filters that look through assignments and acquisitions."""

import datetime

import pytest

from rapport.accounts.roles import Role
from rapport.clients.selectors import client_list
from rapport.core.testing import make_assignment, make_client, make_manager, make_user
from rapport.managers.choices import ManagerType

pytestmark = pytest.mark.django_db


def names(user, **filters) -> list[str]:
    return [client.name for client in client_list(user=user, filters=filters)]


@pytest.fixture
def base():
    """Alfa held by an advice manager, Béta by a decision manager, Gamma once held (ended), Delta never held."""
    management = make_user(Role.MANAGEMENT)
    advice = make_manager(manager_type=ManagerType.ADVICE)
    decision = make_manager(manager_type=ManagerType.DECISION)
    alfa, beta = make_client(name="Alfa"), make_client(name="Béta")
    gamma = make_client(name="Gamma")
    make_client(name="Delta")
    make_assignment(alfa, advice, actor=management)
    make_assignment(beta, decision, actor=management)
    make_assignment(gamma, advice, actor=management, end_date=datetime.date(2024, 6, 1))
    return management, advice, decision


def test_without_a_personal_manager_includes_clients_never_assigned(base):
    management, _advice, _decision = base
    assert names(management, unassigned="true") == ["Delta", "Gamma"]
    assert names(management, unassigned="false") == ["Alfa", "Béta"]


def test_by_the_current_managers_type(base):
    management, _advice, _decision = base
    assert names(management, manager_type=ManagerType.ADVICE) == ["Alfa"]
    assert names(management, manager_type=ManagerType.DECISION) == ["Béta"]


def test_by_who_acquired_them_and_when(base):
    management, advice, _decision = base
    make_client(name="Won early", acquired_by=advice, acquired_on=datetime.date(2026, 1, 5))
    make_client(name="Won late", acquired_by=advice, acquired_on=datetime.date(2026, 2, 5))
    assert names(management, acquired_by=str(advice.pk)) == ["Won early", "Won late"]
    assert names(management, acquired_by=str(advice.pk), acquired_from="2026-02-01", acquired_to="2026-02-28") == [
        "Won late"
    ]


def test_by_whether_the_motivation_matches_the_current_managers_type():
    # Given Alfa (advice) with an advice manager, Béta (advice) now with a decision manager after an advice one,
    # Cédrus (unknown motivation) with an advice manager and Delta (advice) without a manager
    management = make_user(Role.MANAGEMENT)
    advice = make_manager(manager_type=ManagerType.ADVICE, vip_qualified=True)
    decision = make_manager(manager_type=ManagerType.DECISION)
    alfa = make_client(name="Alfa", motivation="advice")
    beta = make_client(name="Béta", motivation="advice")
    cedrus = make_client(name="Cédrus")
    make_client(name="Delta", motivation="advice")
    make_assignment(alfa, advice, actor=management)
    make_assignment(beta, advice, actor=management, end_date=datetime.date(2024, 6, 1))
    make_assignment(beta, decision, actor=management, start_date=datetime.date(2024, 6, 1))
    make_assignment(cedrus, advice, actor=management)
    # Then the match looks at the current manager only and leaves out unknown motivations and unassigned clients
    assert names(management, motivation_match="true") == ["Alfa"]
    assert names(management, motivation_match="false") == ["Béta"]
    assert names(management, manager_vip_qualified="true") == ["Alfa", "Cédrus"]
    assert names(management, manager_vip_qualified="false") == ["Béta"]


def test_an_out_of_range_acquirer_id_is_left_out_not_a_server_error(base):
    management, _advice, _decision = base
    assert names(management, acquired_by="-10000000000000000001") == ["Alfa", "Béta", "Delta", "Gamma"]
    assert names(management, acquired_by="99999999999999999999999") == ["Alfa", "Béta", "Delta", "Gamma"]
