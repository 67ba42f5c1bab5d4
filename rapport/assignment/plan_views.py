"""Pages of assignment plans and of a manager's departure (Management)."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from rapport.accounts import roles
from rapport.assignment import departure, plans
from rapport.assignment import leave as leave_services
from rapport.assignment.filtersets import PlanChangeFilterSet
from rapport.assignment.models import AssignmentPlan, ManagerLeave
from rapport.core.forms import add_service_errors
from rapport.core.htmx import htmx_partial
from rapport.core.pagination import page_from_request
from rapport.managers.models import ClientManager


def _management(request) -> None:
    if not roles.is_management(request.user):
        raise PermissionDenied


def _plan(request, pk) -> AssignmentPlan:
    plan = AssignmentPlan.objects.visible_to(request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


@login_required
def plan_list(request):
    """Recent plans, and the button that computes a new one."""
    _management(request)
    plans_page = page_from_request(
        request, AssignmentPlan.objects.visible_to(request.user).select_related("created_by")
    )
    return render(request, "assignment/plan_list.html", plans_page)


@login_required
@require_POST
def plan_run(request):
    """Compute a new plan for the current data and show it."""
    _management(request)
    plan = plans.assignment_plan_request(actor=request.user, note=request.POST.get("note", "")[:500])
    return redirect("assignment:plan", pk=plan.pk)


@login_required
def plan_detail(request, pk):
    """A plan as a filterable diff: every change with its reasons."""
    _management(request)
    plan = _plan(request, pk)
    if request.htmx and "progress" in request.GET:
        if plan.status == "computing":
            return render(request, "assignment/_plan_progress.html", {"plan": plan})
        response = HttpResponse()
        response["HX-Refresh"] = "true"
        return response
    changes = plan.changes.select_related("client", "from_manager__user", "to_manager__user", "reason").order_by(
        "kind", "id"
    )
    filterset = PlanChangeFilterSet(data=request.GET or None, queryset=changes, request=request)
    context = {"plan": plan, "filterset": filterset, **page_from_request(request, filterset.qs)}
    for change in context["page"].object_list:
        change.explained = change.explanation()
    template = htmx_partial(request, "assignment/plan_detail.html", "assignment/_plan_changes.html")
    return render(request, template, context)


@login_required
@require_POST
def plan_decide(request, pk, decision):
    """Apply or discard a draft plan."""
    _management(request)
    plan = _plan(request, pk)
    try:
        if decision == "apply":
            plans.assignment_plan_apply(plan=plan, actor=request.user)
            messages.success(request, _("The plan was applied."))
        else:
            plans.assignment_plan_discard(plan=plan, actor=request.user)
            messages.success(request, _("The plan was discarded."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("assignment:plan", pk=plan.pk)


class DepartureForm(forms.Form):
    effective_on = forms.DateField(label=gettext_lazy("Leaves on"), widget=forms.DateInput(attrs={"type": "date"}))
    queue_unplaced = forms.BooleanField(
        label=gettext_lazy("Put clients that cannot be placed in the queue of clients without a manager"),
        required=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def depart(request, pk):
    """The departure wizard: choose the date, preview who goes where, confirm."""
    _management(request)
    manager = ClientManager.objects.visible_to(request.user).select_related("user").filter(pk=pk).first()
    if manager is None:
        raise Http404
    form = DepartureForm(request.POST or None, initial={"effective_on": timezone.localdate()})
    preview = None
    if request.method == "POST" and form.is_valid():
        effective_on: datetime.date = form.cleaned_data["effective_on"]
        try:
            if "confirm" in request.POST:
                plan = _plan(request, request.POST.get("plan"))
                departure.manager_depart(
                    manager=manager,
                    actor=request.user,
                    plan=plan,
                    queue_unplaced=form.cleaned_data["queue_unplaced"],
                )
                messages.success(
                    request, _("%(name)s has left; every client was handed over.") % {"name": manager.name}
                )
                return redirect("assignment:plan", pk=plan.pk)
            preview = departure.departure_preview(manager=manager, effective_on=effective_on, actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
    context = {"manager": manager, "form": form, "preview": preview}
    if preview is not None:
        changes = preview.changes.select_related("client", "from_manager__user", "to_manager__user", "reason")
        context["changes"] = list(changes.order_by("kind", "client__name")[:500])
        for change in context["changes"]:
            change.explained = change.explanation()
        context["stranded"] = [c for c in context["changes"] if c.kind == "unassign"]
    return render(request, "assignment/depart.html", context)


class LeaveForm(forms.Form):
    cover = forms.ModelChoiceField(queryset=ClientManager.objects.none(), label=gettext_lazy("Cover manager"))
    planned_end = forms.DateField(
        label=gettext_lazy("Planned return"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, manager, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cover"].queryset = (
            ClientManager.objects.visible_to(user)
            .filter(employment_status="active", work_mode="personal")
            .exclude(pk=manager.pk)
            .select_related("user")
            .with_load()
        )
        self.fields["cover"].label_from_instance = lambda m: f"{m.name} — {m.load}/{m.capacity}"


@login_required
@require_http_methods(["GET", "POST"])
def leave(request, pk):
    """Send a manager on leave with a cover manager, or end the leave."""
    _management(request)
    manager = ClientManager.objects.visible_to(request.user).select_related("user").filter(pk=pk).first()
    if manager is None:
        raise Http404
    open_leave = ManagerLeave.objects.visible_to(request.user).filter(manager=manager, returned_on__isnull=True).first()
    form = LeaveForm(request.POST or None, manager=manager, user=request.user)
    if request.method == "POST":
        try:
            if open_leave is not None:
                leave_services.manager_leave_end(manager=manager, actor=request.user)
                messages.success(request, _("%(name)s is back; the clients returned.") % {"name": manager.name})
                return redirect("managers:detail", pk=manager.pk)
            if form.is_valid():
                leave_services.manager_leave_start(
                    manager=manager,
                    cover=form.cleaned_data["cover"],
                    actor=request.user,
                    planned_end=form.cleaned_data["planned_end"],
                    note=form.cleaned_data["note"],
                )
                messages.success(
                    request,
                    _("%(name)s is on leave; %(cover)s covers the clients.")
                    % {"name": manager.name, "cover": form.cleaned_data["cover"].name},
                )
                return redirect("managers:detail", pk=manager.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "assignment/leave.html", {"manager": manager, "form": form, "open_leave": open_leave})
