"""A client referenced by an approved pay period is kept, anonymised: the statement still explains its figures."""

import pytest

from rapport.accounts.roles import Role
from rapport.clients.models import Client
from rapport.compensation import services as pay
from rapport.compensation.models import Statement, StatementLine
from rapport.compensation.tests.support import at, build_world, frozen
from rapport.core.testing import make_user
from rapport.privacy.services import erase_client

pytestmark = pytest.mark.django_db


def test_erasing_a_client_behind_an_approved_statement_keeps_the_statement_and_the_record():
    # given Gamma Kft., won by Anna in January, and January approved
    management = make_user(Role.MANAGEMENT)
    world = build_world(management)
    with frozen(at(2026, 2, 5)):
        pay.period_approve(period=world.january, actor=world.payroll)
    statement = Statement.objects.get(period=world.january, manager=world.anna)
    lines_before = list(StatementLine.objects.filter(statement=statement).values_list("kind", "amount", "evidence"))
    acquisition_line = StatementLine.objects.get(statement=statement, kind="acquisition")
    assert acquisition_line.evidence == {"clients": [world.gamma.pk]}

    # when Management erases Gamma
    erase_client(client=world.gamma, actor=management)

    # then the record stays for the statement, anonymised, and the statement is unchanged
    gamma = Client.objects.get(pk=world.gamma.pk)
    assert gamma.name == f"Anonymised client #{gamma.pk}"
    statement.refresh_from_db()
    assert statement.total == 476200
    assert list(StatementLine.objects.filter(statement=statement).values_list("kind", "amount", "evidence")) == (
        lines_before
    )
