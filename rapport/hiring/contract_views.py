"""Pages of employment contracts: HR concludes, amends and ends them; the employee reads their own. Ending a
contract offers the departure (handing the manager's clients over), which Management runs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rapport.accounts import roles
from rapport.clients.selectors import history_diffs
from rapport.core.forms import add_service_errors
from rapport.core.pagination import page_from_request
from rapport.hiring import contracts, selectors
from rapport.hiring.filtersets import ContractFilterSet
from rapport.hiring.forms import ContractEndForm, ContractForm
from rapport.hiring.models import Candidate, EmploymentContract
from rapport.hiring.pay import plan_base
from rapport.hiring.views import require_hr, visible_or_404
from rapport.managers.models import ClientManager


def _contract(request, pk) -> EmploymentContract:
    return visible_or_404(
        EmploymentContract.objects.visible_to(request.user).select_related(
            "manager__user", "position", "job_description_version__job_description", "created_by", "ended_by"
        ),
        pk,
    )


@login_required
def contract_list(request):
    require_hr(request)
    queryset = EmploymentContract.objects.visible_to(request.user).select_related("manager__user", "position")
    filterset = ContractFilterSet(data=request.GET or None, queryset=queryset)
    context = {"filterset": filterset, **page_from_request(request, filterset.qs.order_by("-start_date", "-id"))}
    return render(request, "hiring/contract_list.html", context)


@login_required
def contract_detail(request, pk):
    """A contract with its terms, amendments and history; HR and the employee only (anyone else: 404)."""
    contract = _contract(request, pk)
    amendments = list(contract.amendments.select_related("created_by").order_by("-number"))
    for amendment in amendments:
        amendment.rows = selectors.amendment_rows(amendment, currency=contract.currency)
    context = {
        "contract": contract,
        "amendments": amendments,
        "history": history_diffs(
            contract.history.select_related("history_user").order_by("-history_date", "-history_id")[:30]
        ),
        "plan": plan_base(contract),
        "departure_pending": contracts.departure_pending(contract),
        "can_edit": roles.is_hr(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "hiring/contract_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contract_create(request, manager_pk):
    require_hr(request)
    manager = visible_or_404(ClientManager.objects.visible_to(request.user).select_related("user"), manager_pk)
    candidate = Candidate.objects.filter(hired_manager=manager).select_related("position").first()
    initial = {"start_date": manager.hire_date, "protection_clause": contracts.default_protection_clause()}
    if candidate is not None:
        initial.update(position=candidate.position_id, base_salary=candidate.offered_pay, currency=candidate.currency)
    version = selectors.manager_job_version(manager)
    if version is None and candidate is not None and candidate.position_id:
        job = candidate.position.job_descriptions.order_by("-id").first()
        version = job.versions.filter(issued_at__isnull=False).order_by("-number").first() if job else None
    if version is not None:
        initial["job_description_version"] = version.pk
    form = ContractForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contract = contracts.contract_create(actor=request.user, manager=manager, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contract concluded."))
            return redirect("hiring:contract", pk=contract.pk)
    return render(request, "hiring/contract_form.html", {"form": form, "manager": manager})


@login_required
@require_http_methods(["GET", "POST"])
def contract_amend(request, pk):
    require_hr(request)
    contract = _contract(request, pk)
    form = ContractForm(
        request.POST or None,
        instance=contract,
        user=request.user,
        amend=True,
        initial={"effective_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            amendment = contracts.contract_amend(
                actor=request.user,
                contract=contract,
                changes=form.service_data(),
                effective_on=form.cleaned_data["effective_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Amendment %(number)d recorded.") % {"number": amendment.number})
            return redirect("hiring:contract", pk=contract.pk)
    # the instance was changed by the form's validation; show the terms as they are stored
    contract.refresh_from_db()
    return render(request, "hiring/contract_amend.html", {"form": form, "contract": contract})


@login_required
@require_http_methods(["GET", "POST"])
def contract_end(request, pk):
    """Record the end; the departure (handing the clients over) is offered next."""
    require_hr(request)
    contract = _contract(request, pk)
    form = ContractEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            ended = contracts.contract_end(
                actor=request.user,
                contract=contract,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["end_reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            text = _("The contract ends on %(date)s.") % {"date": ended.contract.ended_on.isoformat()}
            if ended.departure_needed:
                text += " " + _(
                    "%(name)s has not left yet: %(count)d personal clients, their open cases and opportunities "
                    "must be handed over first — Management runs the departure."
                ) % {"name": contract.manager.name, "count": ended.clients}
            messages.success(request, text)
            if (
                ended.departure_needed
                and roles.is_management(request.user)
                and ended.contract.ended_on <= timezone.localdate()
            ):
                return redirect("assignment:depart", pk=contract.manager_id)
            return redirect("hiring:contract", pk=contract.pk)
    clients = contract.manager.assignments.filter(end_date__isnull=True).count()
    return render(request, "hiring/contract_end.html", {"form": form, "contract": contract, "clients": clients})
