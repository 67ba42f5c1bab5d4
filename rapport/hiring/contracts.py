"""Writes of employment contracts: conclude, amend, end.

Rules (the model checks the ones that always hold): the type is always "employment" — a civil-law contract is
refused with the source document's explanation; a fixed term needs its end date, an indefinite contract has none;
probation at most six months; the base salary above zero; a manager's contracts never overlap; a contract names
an issued job description version, never a draft. Every change after the contract is concluded is an amendment
that records each changed term (old → new), from when and why. Ending a contract does not dismiss the manager by
itself: their clients must be handed over first, so the departure of the assignment feature is offered.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.core.errors import refuse
from rapport.core.history import save_with_history
from rapport.core.money import quantize
from rapport.hiring.choices import ContractTerm
from rapport.hiring.contract_models import ContractAmendment, EmploymentContract
from rapport.hiring.errors import HiringError
from rapport.hiring.jobs import require_hr
from rapport.hiring.models import JobDescriptionVersion
from rapport.managers.choices import EmploymentStatus
from rapport.managers.models import ClientManager

CONTRACT_FIELDS = frozenset(
    {
        "position",
        "contract_type",
        "term",
        "start_date",
        "end_date",
        "probation_months",
        "working_time",
        "hours_per_week",
        "base_salary",
        "currency",
        "job_description_version",
        "client_base_protection",
        "protection_clause",
        "signed_on",
    }
)
# Terms an amendment may change (the employee and the start stay; the type is always employment).
AMENDABLE_FIELDS = frozenset(
    {
        "position",
        "term",
        "end_date",
        "probation_months",
        "working_time",
        "hours_per_week",
        "base_salary",
        "currency",
        "job_description_version",
        "client_base_protection",
        "protection_clause",
    }
)


def default_protection_clause() -> str:
    """The product's wording of the client-base protection clause, in the active language."""
    return _(
        "The clients the employee serves or wins are clients of the employer. When the employment ends, the "
        "employee hands over every client, open case and opportunity with their records as the employer "
        "directs, and keeps the client base and its data confidential during and after the employment."
    )


def _check(contract: EmploymentContract) -> None:
    contract.full_clean()
    if contract.base_salary is not None:
        contract.base_salary = quantize(Decimal(contract.base_salary), contract.currency)
    version = contract.job_description_version
    if version is not None and version.issued_at is None:
        raise refuse(
            HiringError.VERSION_NOT_ISSUED,
            _("A contract names an issued job description version, not a draft."),
            field="job_description_version",
        )
    others = EmploymentContract.objects.filter(manager_id=contract.manager_id).exclude(pk=contract.pk)
    for other in others:
        other_end = other.last_day or datetime.date.max
        this_end = contract.last_day or datetime.date.max
        if contract.start_date <= other_end and other.start_date <= this_end:
            raise refuse(
                HiringError.CONTRACT_OVERLAP,
                _("%(name)s already has a contract from %(start)s%(until)s: end it before this one starts.")
                % {
                    "name": contract.manager.name,
                    "start": other.start_date.isoformat(),
                    "until": f" – {other.last_day.isoformat()}" if other.last_day else "",
                },
                field="start_date",
            )


@transaction.atomic
def contract_create(*, actor, manager: ClientManager, data: dict[str, Any]) -> EmploymentContract:
    """Conclude an employment contract with ``manager`` (HR)."""
    require_hr(actor)
    unknown = set(data) - CONTRACT_FIELDS
    if unknown:
        raise ValueError(f"Unknown contract fields: {sorted(unknown)}")
    manager = ClientManager.objects.select_for_update(of=("self",)).select_related("user").get(pk=manager.pk)
    if manager.employment_status == EmploymentStatus.DISMISSED:
        raise refuse(HiringError.MANAGER_NOT_ACTIVE, _("%(name)s has left.") % {"name": manager.name})
    contract = EmploymentContract(manager=manager, created_by=actor)
    for name, value in data.items():
        setattr(contract, name, value)
    if contract.term == ContractTerm.INDEFINITE and "end_date" not in data:
        contract.end_date = None
    if contract.client_base_protection and not (contract.protection_clause or "").strip():
        contract.protection_clause = default_protection_clause()
    _check(contract)
    save_with_history(contract, actor=actor, reason="create")
    return contract


def _shown(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, JobDescriptionVersion):
        return str(value.pk)
    if hasattr(value, "pk"):
        return str(value.pk)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal | int):
        number = Decimal(value)
        return str(number.quantize(Decimal(1))) if number == number.to_integral_value() else str(number.normalize())
    return str(value)


@transaction.atomic
def contract_amend(
    *, actor, contract: EmploymentContract, changes: dict[str, Any], effective_on: datetime.date, note: str = ""
) -> ContractAmendment:
    """Amend the terms in ``changes`` from ``effective_on``; the amendment keeps each term's old and new value."""
    require_hr(actor)
    unknown = set(changes) - AMENDABLE_FIELDS
    if unknown:
        raise ValueError(f"Terms that cannot be amended: {sorted(unknown)}")
    contract = (
        EmploymentContract.objects.select_for_update(of=("self",)).select_related("manager__user").get(pk=contract.pk)
    )
    if contract.ended_on is not None:
        raise refuse(HiringError.CONTRACT_ENDED, _("This contract has ended; it can no longer be amended."))
    if effective_on < contract.start_date:
        raise refuse(
            HiringError.DATES_ORDER,
            _("An amendment cannot take effect before the contract starts."),
            field="effective_on",
        )
    if "term" in changes and changes["term"] == ContractTerm.INDEFINITE and "end_date" not in changes:
        changes = {**changes, "end_date": None}
    if "base_salary" in changes and changes["base_salary"] is not None:
        currency = changes.get("currency") or contract.currency
        changes = {**changes, "base_salary": quantize(Decimal(changes["base_salary"]), currency)}
    diff = []
    for name, value in changes.items():
        old = getattr(contract, name)
        if _shown(old) != _shown(value):
            diff.append({"field": name, "old": _shown(old), "new": _shown(value)})
            setattr(contract, name, value)
    if not diff:
        raise refuse(HiringError.NOTHING_CHANGED, _("Nothing changed: the contract already has these terms."))
    _check(contract)
    number = (contract.amendments.aggregate(last=Max("number"))["last"] or 0) + 1
    save_with_history(contract, actor=actor, reason=f"amendment {number}")
    return ContractAmendment.objects.create(
        contract=contract, number=number, effective_on=effective_on, changes=diff, note=note.strip(), created_by=actor
    )


@dataclass(frozen=True)
class ContractEnd:
    """An ended contract; whether the manager's departure (handing over their clients) is still to be done, and
    how many personal clients they hold now. Management can run the departure from the contract's last day."""

    contract: EmploymentContract
    departure_needed: bool
    clients: int


def departure_pending(contract: EmploymentContract) -> bool:
    """The contract has ended (or ends today) but the manager has not left yet in the assignment feature."""
    last = contract.last_day
    return (
        last is not None
        and last <= timezone.localdate()
        and contract.manager.employment_status != EmploymentStatus.DISMISSED
    )


@transaction.atomic
def contract_end(*, actor, contract: EmploymentContract, ended_on: datetime.date, reason: str) -> ContractEnd:
    """Record the end of a contract. The manager is not dismissed here: their clients, cases and opportunities
    must be handed over first, which Management does with the departure this returns as needed."""
    require_hr(actor)
    contract = (
        EmploymentContract.objects.select_for_update(of=("self",)).select_related("manager__user").get(pk=contract.pk)
    )
    if contract.ended_on is not None:
        raise refuse(HiringError.CONTRACT_ENDED, _("This contract has already ended."))
    if ended_on < contract.start_date:
        raise refuse(HiringError.DATES_ORDER, _("The contract cannot end before it starts."), field="ended_on")
    if not (reason or "").strip():
        raise refuse(HiringError.REASON_REQUIRED, _("Say why the contract ends."), field="end_reason")
    contract.ended_on = ended_on
    contract.end_reason = reason.strip()
    contract.ended_by = actor
    contract.full_clean()
    save_with_history(contract, actor=actor, reason="ended")
    clients = contract.manager.assignments.filter(end_date__isnull=True).count()
    needed = contract.manager.employment_status != EmploymentStatus.DISMISSED
    return ContractEnd(contract=contract, departure_needed=needed, clients=clients)
