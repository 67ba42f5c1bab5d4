"""Opening a case: routing (personal manager, pool, nobody), priorities and due times, who may open."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rapport.accounts.roles import Role
from rapport.assignment import routing
from rapport.cases import selectors, services
from rapport.cases.models import Case, CaseEvent
from rapport.cases.tests.support import events_of, frozen, local, named_manager, pool_manager
from rapport.clients.models import Client
from rapport.core.testing import make_assignment, make_client, make_group, make_user

pytestmark = pytest.mark.django_db

OPENED = local(2026, 3, 2, 9)
DATA = {
    "subject": "Double charge",
    "description": "The March invoice charges delivery twice.",
    "category": "billing",
    "priority": "normal",
}


def open_case(actor, client, **data):
    with frozen(OPENED):
        return services.case_open(actor=actor, client=client, data={**DATA, **data})


def test_a_case_of_a_client_with_a_personal_manager_goes_to_that_manager():
    # given Alfa Kft. with its personal manager Anna, and an idle pool manager
    client = make_client(name="Alfa Kft.")
    anna = named_manager("Anna", "Kovács")
    make_assignment(client, anna)
    pool_manager()
    # when Anna opens a case for it on 2 March 09:00 (Budapest)
    case = open_case(anna.user, client)
    # then Anna handles it; the normal targets give a day to acknowledge and five to resolve
    case.refresh_from_db()
    assert (
        case.status,
        case.handler,
        case.routing,
        case.subject,
        case.description,
        case.category,
        case.priority,
        case.client_was_vip,
        case.opened_by,
        case.opened_at,
        case.acknowledge_due_at,
        case.resolve_due_at,
    ) == (
        "new",
        anna,
        ["personal_manager"],
        "Double charge",
        "The March invoice charges delivery twice.",
        "billing",
        "normal",
        False,
        anna.user,
        OPENED,
        local(2026, 3, 3, 9),
        local(2026, 3, 7, 9),
    )
    # and the timeline starts with the opening and the routing
    assert events_of(case) == [("opened", anna.user.pk, None, ""), ("routed", anna.user.pk, anna.pk, "")]
    opened, routed = CaseEvent.objects.filter(case=case).order_by("id")
    assert opened.data == {"requested_priority": "normal", "priority": "normal", "vip": False}
    assert routed.data == {"reasons": ["personal_manager"]}


@pytest.mark.parametrize(
    ("requested", "priority", "acknowledge", "resolve"),
    [
        ("low", "normal", local(2026, 3, 2, 17), local(2026, 3, 4, 9)),
        ("normal", "high", local(2026, 3, 2, 13), local(2026, 3, 3, 9)),
        ("high", "urgent", local(2026, 3, 2, 10), local(2026, 3, 2, 17)),
        ("urgent", "urgent", local(2026, 3, 2, 10), local(2026, 3, 2, 17)),
    ],
)
def test_a_vip_case_is_raised_one_level_and_gets_the_vip_targets(management, requested, priority, acknowledge, resolve):
    # given a VIP client with a VIP-qualified personal manager
    client = make_client(is_vip=True)
    make_assignment(client, named_manager("Vera", "Nagy", vip_qualified=True))
    # when Management opens a case with the requested priority
    case = open_case(management, client, priority=requested)
    # then the priority is one level higher (urgent stays), and the VIP table sets the due times
    assert (case.priority, case.client_was_vip, case.acknowledge_due_at, case.resolve_due_at) == (
        priority,
        True,
        acknowledge,
        resolve,
    )
    assert case.events.get(kind="opened").data == {"requested_priority": requested, "priority": priority, "vip": True}


@pytest.mark.parametrize(
    ("priority", "acknowledge", "resolve"),
    [
        ("low", local(2026, 3, 4, 9), local(2026, 3, 12, 9)),
        ("normal", local(2026, 3, 3, 9), local(2026, 3, 7, 9)),
        ("high", local(2026, 3, 2, 17), local(2026, 3, 4, 9)),
        ("urgent", local(2026, 3, 2, 11), local(2026, 3, 3, 9)),
    ],
)
def test_other_clients_keep_the_priority_and_get_the_normal_targets(management, priority, acknowledge, resolve):
    client = make_client()
    make_assignment(client, named_manager("Anna", "Kovács"))
    case = open_case(management, client, priority=priority)
    assert (case.priority, case.client_was_vip, case.acknowledge_due_at, case.resolve_due_at) == (
        priority,
        False,
        acknowledge,
        resolve,
    )


def test_due_times_do_not_move_when_the_settings_change(management, settings):
    # given a case opened under the current targets
    client = make_client()
    make_assignment(client, named_manager("Anna", "Kovács"))
    case = open_case(management, client)
    # when the targets are tightened later
    settings.RAPPORT = {
        **settings.RAPPORT,
        "CASE_SLA": {**settings.RAPPORT["CASE_SLA"], "normal": {"acknowledge": 1, "resolve": 2}},
    }
    # then the case keeps the due times it was opened with
    case.refresh_from_db()
    assert (case.acknowledge_due_at, case.resolve_due_at) == (local(2026, 3, 3, 9), local(2026, 3, 7, 9))


def test_a_client_without_a_personal_manager_goes_to_the_best_pool_manager(management):
    # given a client with advice motivation in group Retail, and two pool managers
    retail = make_group("Retail")
    client = make_client(name="Gamma Bt.", motivation="advice", group=retail)
    pool_manager(manager_type="partnership")
    adviser = pool_manager(manager_type="advice", groups=[retail])
    # when Management opens a case
    case = open_case(management, client)
    # then the adviser who serves Retail takes it, and now sees the client
    assert (case.handler, case.routing) == (
        adviser,
        ["pool_manager_active", "motivation_match", "group_served", "least_open_work"],
    )
    assert list(Client.objects.visible_to(adviser.user)) == [client]


def test_a_personal_manager_on_leave_is_passed_over_for_the_pool(management):
    client = make_client()
    make_assignment(client, named_manager("Anna", "Kovács", employment_status="on_leave"))
    pool = pool_manager()
    case = open_case(management, client)
    assert (case.handler, case.routing) == (pool, ["pool_manager_active", "least_open_work"])


def test_pool_routing_spreads_cases_by_open_work(management):
    # (the app registers its open-case counter when it starts; another test may have cleared the registry)
    routing.register_open_work(selectors.open_case_counts)
    # given two equal pool managers
    first, second = pool_manager(), pool_manager()
    # when three clients without a manager each open a case
    handlers = [open_case(management, make_client()).handler for _ in range(3)]
    # then the one with less open work takes each next case
    assert handlers == [first, second, first]


def test_a_case_nobody_may_take_waits_unrouted_for_management(management):
    # given a VIP client without a personal manager and only a pool manager who is not VIP-qualified
    client = make_client(is_vip=True)
    pool_manager()
    # when the case is opened
    case = open_case(management, client)
    # then nobody handles it, the reason is stored, and the timeline says it waits for Management
    case.refresh_from_db()
    assert (case.handler, case.routing, case.status) == (None, ["no_vip_qualified_pool_manager"], "new")
    assert events_of(case) == [
        ("opened", management.pk, None, ""),
        ("routed", management.pk, None, "Nobody may take the case: it waits for Management in the unrouted queue."),
    ]
    # and it is in the unrouted queue
    queue = selectors.case_list(user=management, filters={"unrouted": "true"})
    assert [c.pk for c in queue] == [case.pk]
    # when Management gives it to a manager / then it leaves the queue
    taker = named_manager("Vera", "Nagy", vip_qualified=True)
    services.case_reassign(case=case, actor=management, handler=taker)
    assert list(selectors.case_list(user=management, filters={"unrouted": "true"})) == []
    assert Case.objects.get(pk=case.pk).handler == taker


def test_a_manager_cannot_open_a_case_for_a_client_they_do_not_see():
    client = make_client()
    make_assignment(client, named_manager("Anna", "Kovács"))
    bence = named_manager("Bence", "Szabó")
    with pytest.raises(Client.DoesNotExist):
        open_case(bence.user, client)
    assert (Case.objects.count(), CaseEvent.objects.count()) == (0, 0)


@pytest.mark.parametrize("role", [Role.HR, Role.PAYROLL])
def test_hr_and_payroll_open_no_cases(role):
    client = make_client()
    with pytest.raises(PermissionDenied):
        open_case(make_user(role), client)
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"subject": "  "}, "subject", "blank"),
        ({"description": ""}, "description", "blank"),
        ({"priority": "asap"}, "priority", "invalid_choice"),
        ({"category": "gossip"}, "category", "invalid_choice"),
    ],
)
def test_bad_input_opens_nothing(management, data, field, code):
    client = make_client()
    with pytest.raises(ValidationError) as refused:
        open_case(management, client, **data)
    assert [e.code for e in refused.value.error_dict[field]] == [code]
    assert (Case.objects.count(), CaseEvent.objects.count()) == (0, 0)
