"""Employment contracts: the rules of type, term, probation and overlap; amendments with their history; the end
of a contract offering the manager's departure."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from rapport.accounts.roles import Role
from rapport.assignment.departure import manager_depart
from rapport.core.testing import make_assignment, make_client, make_manager, make_user
from rapport.hiring.contract_models import CIVIL_LAW_EXPLANATION, EmploymentContract
from rapport.hiring.contracts import contract_amend, contract_create, contract_end
from rapport.hiring.selectors import contracts_awaiting_departure, current_contract
from rapport.hiring.tests.support import make_contract, make_hr, make_job
from rapport.managers.choices import EmploymentStatus

pytestmark = pytest.mark.django_db
D = Decimal
BASE = {"start_date": datetime.date(2026, 1, 1), "base_salary": D("450000.4"), "currency": "HUF"}


def field_codes(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


def test_a_contract_is_indefinite_full_time_with_probation_and_the_protection_clause_by_default():
    hr, manager = make_hr(), make_manager()
    _job, version = make_job(hr)
    contract = contract_create(actor=hr, manager=manager, data={**BASE, "job_description_version": version})
    assert (contract.contract_type, contract.term, contract.end_date, contract.probation_months) == (
        "employment",
        "indefinite",
        None,
        3,
    )
    assert (contract.working_time, contract.hours_per_week, contract.base_salary) == ("full_time", D(40), D(450000))
    assert contract.client_base_protection and "hands over every client" in contract.protection_clause
    assert contract.probation_until == datetime.date(2026, 3, 31)
    assert current_contract(manager, on=datetime.date(2026, 2, 1)) == contract
    assert contract.history.get().history_user == hr


def test_a_civil_law_contract_is_refused_with_the_explanation_by_the_service_and_the_database():
    hr, manager = make_hr(), make_manager()
    with pytest.raises(ValidationError) as refusal:
        contract_create(actor=hr, manager=manager, data={**BASE, "contract_type": "civil_law"})
    assert refusal.value.message_dict["contract_type"] == [str(CIVIL_LAW_EXPLANATION)]
    assert field_codes(refusal.value)["contract_type"] == ["civil_law_refused"]
    assert "practically excludes a civil-law contract" in str(CIVIL_LAW_EXPLANATION)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_contract(manager, hr, contract_type="civil_law")
    assert EmploymentContract.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"term": "fixed"}, "end_date", "end_date_required"),
        ({"term": "indefinite", "end_date": datetime.date(2027, 1, 1)}, "end_date", "end_date_not_allowed"),
        ({"term": "fixed", "end_date": datetime.date(2025, 12, 31)}, "end_date", "dates_order"),
        ({"probation_months": 7}, "probation_months", "probation_too_long"),
        ({"base_salary": D(0)}, "base_salary", "invalid"),
        ({"client_base_protection": True, "protection_clause": " "}, None, None),
    ],
)
def test_contract_terms_are_checked(data, field, code):
    hr, manager = make_hr(), make_manager()
    if field is None:  # a blank clause takes the product's wording instead of being refused
        contract = contract_create(actor=hr, manager=manager, data={**BASE, **data})
        assert "confidential" in contract.protection_clause
        return
    with pytest.raises(ValidationError) as refusal:
        contract_create(actor=hr, manager=manager, data={**BASE, **data})
    assert code in field_codes(refusal.value)[field]
    assert EmploymentContract.objects.count() == 0


def test_contracts_of_a_manager_never_overlap_and_name_only_issued_job_descriptions():
    hr, manager = make_hr(), make_manager()
    make_contract(manager, hr, start_date=datetime.date(2024, 1, 1), term="fixed", end_date=datetime.date(2026, 1, 31))
    with pytest.raises(ValidationError) as refusal:
        contract_create(actor=hr, manager=manager, data=BASE)
    assert field_codes(refusal.value) == {"start_date": ["contract_overlap"]}
    _job, draft = make_job(hr, issued=False)
    with pytest.raises(ValidationError) as refusal:
        contract_create(
            actor=hr,
            manager=manager,
            data={**BASE, "start_date": datetime.date(2026, 2, 1), "job_description_version": draft},
        )
    assert field_codes(refusal.value) == {"job_description_version": ["version_not_issued"]}
    contract_create(actor=hr, manager=manager, data={**BASE, "start_date": datetime.date(2026, 2, 1)})
    assert EmploymentContract.objects.count() == 2


def test_an_amendment_records_each_changed_term_and_the_contract_history():
    hr, manager = make_hr(), make_manager()
    contract = contract_create(actor=hr, manager=manager, data=BASE)
    _job, version = make_job(hr)
    amendment = contract_amend(
        actor=hr,
        contract=contract,
        changes={"base_salary": D("520000"), "working_time": "full_time", "job_description_version": version},
        effective_on=datetime.date(2026, 7, 1),
        note="Promotion",
    )
    assert (amendment.number, amendment.effective_on, amendment.note, amendment.created_by) == (
        1,
        datetime.date(2026, 7, 1),
        "Promotion",
        hr,
    )
    assert amendment.changes == [
        {"field": "base_salary", "old": "450000", "new": "520000"},
        {"field": "job_description_version", "old": "", "new": str(version.pk)},
    ]
    contract.refresh_from_db()
    assert (contract.base_salary, contract.job_description_version) == (D(520000), version)
    assert [h.history_change_reason for h in contract.history.order_by("history_id")] == ["create", "amendment 1"]
    second = contract_amend(
        actor=hr,
        contract=contract,
        changes={"term": "fixed", "end_date": datetime.date(2027, 6, 30)},
        effective_on=datetime.date(2026, 8, 1),
    )
    assert second.number == 2


def test_an_amendment_that_changes_nothing_or_breaks_a_rule_is_refused_and_nothing_is_recorded():
    hr, manager = make_hr(), make_manager()
    contract = contract_create(actor=hr, manager=manager, data=BASE)
    with pytest.raises(ValidationError) as refusal:
        contract_amend(
            actor=hr, contract=contract, changes={"base_salary": D(450000)}, effective_on=datetime.date(2026, 2, 1)
        )
    assert refusal.value.code == "nothing_changed"
    with pytest.raises(ValidationError):
        contract_amend(
            actor=hr, contract=contract, changes={"probation_months": 9}, effective_on=datetime.date(2026, 2, 1)
        )
    with pytest.raises(ValueError, match="cannot be amended"):
        contract_amend(
            actor=hr, contract=contract, changes={"contract_type": "civil_law"}, effective_on=datetime.date(2026, 2, 1)
        )
    contract.refresh_from_db()
    assert (contract.amendments.count(), contract.probation_months, contract.history.count()) == (0, 3, 1)


def test_ending_a_contract_offers_the_departure_until_management_hands_the_clients_over():
    # given a manager with a client and a contract
    hr, boss = make_hr(), make_user(Role.MANAGEMENT)
    leaving, colleague = make_manager(), make_manager()
    client = make_client()
    make_assignment(client, leaving, start_date=datetime.date(2025, 6, 1))
    contract = contract_create(actor=hr, manager=leaving, data={**BASE, "start_date": datetime.date(2025, 1, 1)})
    # when HR records the end of the contract
    today = datetime.date.today()
    ended = contract_end(actor=hr, contract=contract, ended_on=today, reason="Resigned")
    # then the manager has not left yet: their client must be handed over first, so the departure is offered
    assert (ended.departure_needed, ended.clients) == (True, 1)
    leaving.refresh_from_db()
    assert leaving.employment_status == EmploymentStatus.ACTIVE
    assert contracts_awaiting_departure(user=hr) == [contract]
    # when Management runs the departure
    manager_depart(manager=leaving, actor=boss, effective_on=today)
    # then the client is with the colleague, the manager has left and nothing awaits
    assert client.assignments.get(end_date__isnull=True).manager == colleague
    assert contracts_awaiting_departure(user=hr) == []
    with pytest.raises(ValidationError) as refusal:
        contract_end(actor=hr, contract=contract, ended_on=today, reason="Again")
    assert refusal.value.code == "contract_ended"


def test_an_ended_contract_can_no_longer_be_amended():
    hr, manager = make_hr(), make_manager()
    contract = contract_create(actor=hr, manager=manager, data=BASE)
    contract_end(actor=hr, contract=contract, ended_on=datetime.date(2026, 3, 31), reason="Mutual agreement")
    with pytest.raises(ValidationError) as refusal:
        contract_amend(
            actor=hr, contract=contract, changes={"base_salary": D(1)}, effective_on=datetime.date(2026, 3, 1)
        )
    assert refusal.value.code == "contract_ended"


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.CLIENT_MANAGER, Role.PAYROLL])
def test_only_hr_concludes_contracts(role):
    with pytest.raises(PermissionDenied):
        contract_create(actor=make_user(role), manager=make_manager(), data=BASE)
    assert EmploymentContract.objects.count() == 0
