"""Pool routing: the same hard rules, then motivation, group and open work."""

import pytest

from rapport.assignment import routing
from rapport.core.testing import make_client, make_group, make_manager

pytestmark = pytest.mark.django_db


def pool(**fields):
    fields.setdefault("work_mode", "pool")
    return make_manager(**fields)


def test_vip_goes_only_to_a_vip_qualified_pool_manager():
    # given a plain and a VIP-qualified pool manager, and a personal VIP-qualified one
    pool(manager_type="advice")
    qualified = pool(manager_type="decision", vip_qualified=True)
    make_manager(vip_qualified=True)
    # when a VIP client's request is routed / then the qualified pool manager takes it
    result = routing.pool_route(client=make_client(is_vip=True, kind="individual", name="Kiss Anna"))
    assert result.manager == qualified
    assert result.reasons == ("pool_manager_active", "vip_qualified", "least_open_work")


def test_motivation_then_group_then_open_work():
    retail = make_group("Retail")
    adviser = pool(manager_type="advice")
    adviser_retail = pool(manager_type="advice", groups=[retail])
    pool(manager_type="partnership", groups=[retail])
    client = make_client(motivation="advice", group=retail)
    # then the adviser who serves Retail wins
    assert routing.pool_route(client=client).manager == adviser_retail
    # when that adviser has more open work, the group still outranks work
    registered = list(routing._counters)
    routing.register_open_work(lambda ids: {adviser_retail.pk: 5} if adviser_retail.pk in ids else {})
    try:
        assert routing.pool_route(client=client).manager == adviser_retail
        # and between equal fits the one with less open work wins
        other = make_client(motivation="advice")
        assert routing.pool_route(client=other).manager == adviser
    finally:
        routing._counters[:] = registered


def test_nobody_on_leave_or_personal_and_a_clear_answer_when_none():
    pool(employment_status="on_leave")
    make_manager()
    result = routing.pool_route(client=make_client())
    assert (result.manager, result.reasons) == (None, ("no_pool_manager",))
    vip = routing.pool_route(client=make_client(is_vip=True))
    assert (vip.manager, vip.reasons) == (None, ("no_vip_qualified_pool_manager",))
