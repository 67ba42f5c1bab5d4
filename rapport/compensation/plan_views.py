"""Pages of pay plans (Payroll): plans and their versions, which manager is on which plan, the reference salary
bands (readable by Management and HR), and the what-if of a plan on past months (Payroll and Management)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.accounts import roles
from rapport.accounts.roles import Role
from rapport.compensation import chart, selectors, services
from rapport.compensation.forms import FIGURE_FIELDS, BandForm, ManagerPlanForm, PlanForm, VersionForm, WhatIfForm
from rapport.compensation.models import CompensationPlan, PlanVersion, SalaryBand
from rapport.compensation.querysets import sees_pay, sees_pay_totals
from rapport.core.forms import add_service_errors
from rapport.managers.models import ClientManager


def _payroll(request) -> None:
    if not sees_pay(request.user):
        raise PermissionDenied


def _plan(request, pk) -> CompensationPlan:
    plan = CompensationPlan.objects.visible_to(request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


# ---------------------------------------------------------------------------------------------------------------
# Plans and versions
# ---------------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request):
    """Every plan with its currency, versions and how many managers it pays."""
    _payroll(request)
    plans = list(CompensationPlan.objects.visible_to(request.user).prefetch_related("versions"))
    counts = selectors.plan_manager_counts()
    for plan in plans:
        plan.manager_count = counts.get(plan.pk, 0)
    return render(request, "compensation/plan_list.html", {"plans": plans})


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk=None):
    """Create a plan, or rename it (its currency is fixed once it has versions)."""
    _payroll(request)
    plan = _plan(request, pk) if pk else None
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_save(actor=request.user, data=form.cleaned_data, plan=plan)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Plan %(name)s saved.") % {"name": plan.name})
            return redirect("compensation:plan", pk=plan.pk)
    return render(request, "compensation/plan_form.html", {"form": form, "plan": plan})


@login_required
@require_GET
def plan_detail(request, pk):
    """A plan: its versions (figures, band warnings, whether approved pay used them) and its managers."""
    _payroll(request)
    plan = _plan(request, pk)
    versions = list(plan.versions.order_by("-effective_from"))
    used = set(
        PlanVersion.objects.filter(plan=plan, statements__period__status="approved").values_list("pk", flat=True)
    )
    for version in versions:
        version.in_use = version.pk in used
        version.warnings = services.band_warnings(version)
    managers = ClientManager.objects.visible_to(request.user).filter(pay_plan__plan=plan).select_related("user")
    context = {"plan": plan, "versions": versions, "managers": managers.order_by("user__last_name", "pk")}
    return render(request, "compensation/plan_detail.html", context)


def _next_month(day):
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


@login_required
@require_http_methods(["GET", "POST"])
def version_edit(request, plan_pk=None, pk=None):
    """Add a version to a plan (figures copied from the latest) or change one that no approved pay used."""
    _payroll(request)
    version = None
    if pk is not None:
        version = PlanVersion.objects.visible_to(request.user).select_related("plan").filter(pk=pk).first()
        if version is None:
            raise Http404
        plan = version.plan
        initial = VersionForm.initial_of(version)
    else:
        plan = _plan(request, plan_pk)
        latest = plan.versions.order_by("-effective_from").first()
        initial = VersionForm.initial_of(latest) if latest else {"rating_min_count": 3}
        initial["effective_from"] = _next_month(timezone.localdate())
        initial["note"] = ""
    form = VersionForm(request.POST or None, initial=initial)
    in_use = version is not None and selectors.version_in_use(version)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.plan_version_save(actor=request.user, plan=plan, data=form.service_data(), version=version)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The version from %(month)s is saved.") % {"month": f"{saved.effective_from:%Y-%m}"}
            )
            for warning in services.band_warnings(saved):
                messages.warning(request, warning)
            return redirect("compensation:plan", pk=plan.pk)
    context = {"form": form, "plan": plan, "version": version, "in_use": in_use}
    return render(request, "compensation/version_form.html", context)


@login_required
@require_GET
def manager_plans(request):
    """Every manager with the plan that pays them; each row changes it on its own (htmx)."""
    _payroll(request)
    plans = list(CompensationPlan.objects.visible_to(request.user))
    managers = selectors.managers_with_plans(user=request.user)
    return render(request, "compensation/manager_plans.html", {"managers": managers, "plans": plans})


@login_required
@require_POST
def manager_plan_set(request, pk):
    """Put one manager on a plan."""
    _payroll(request)
    manager = ClientManager.objects.visible_to(request.user).select_related("user").filter(pk=pk).first()
    if manager is None:
        raise Http404
    form = ManagerPlanForm(request.POST, user=request.user)
    error = None
    if form.is_valid():
        try:
            services.manager_plan_set(actor=request.user, manager=manager, plan=form.cleaned_data["plan"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Choose a plan.")
    if request.htmx:
        manager = selectors.managers_with_plans(user=request.user).get(pk=manager.pk)
        context = {
            "manager": manager,
            "plans": CompensationPlan.objects.visible_to(request.user),
            "error": error,
            "saved": error is None,
        }
        return render(request, "compensation/_manager_plan_row.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("%(name)s is on the plan now.") % {"name": manager.name})
    return redirect("compensation:manager_plans")


# ---------------------------------------------------------------------------------------------------------------
# Salary bands
# ---------------------------------------------------------------------------------------------------------------


def _sees_bands(user) -> bool:
    return sees_pay_totals(user) or roles.has_role(user, Role.HR)


@login_required
@require_GET
def band_list(request):
    """The market salary bands (reference data); for Payroll and Management also where each manager's base lies in
    the offered band of their plan's currency."""
    if not _sees_bands(request.user):
        raise PermissionDenied
    context = {
        "bands": SalaryBand.objects.visible_to(request.user),
        "payroll": sees_pay(request.user),
        "positions": selectors.band_positions(user=request.user, on=timezone.localdate())
        if sees_pay_totals(request.user)
        else None,
    }
    return render(request, "compensation/band_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def band_edit(request, pk=None):
    """Add or change a reference band (Payroll)."""
    _payroll(request)
    band = None
    if pk is not None:
        band = SalaryBand.objects.visible_to(request.user).filter(pk=pk).first()
        if band is None:
            raise Http404
    form = BandForm(request.POST or None, instance=band)
    if request.method == "POST" and form.is_valid():
        try:
            services.salary_band_save(actor=request.user, data=form.cleaned_data, band=band)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The salary band is saved."))
            return redirect("compensation:bands")
    return render(request, "compensation/band_form.html", {"form": form, "band": band})


# ---------------------------------------------------------------------------------------------------------------
# What-if
# ---------------------------------------------------------------------------------------------------------------


def _whatif_result(request, form: WhatIfForm) -> dict:
    data = form.cleaned_data
    if data["source"] == "version":
        version = data["version"]
        result = selectors.whatif_result(
            user=request.user, months=form.months(), currency=version.plan.currency, version=version
        )
    else:
        rates = services.draft_rates(currency=data["currency"], data=form.figures())
        result = selectors.whatif_result(user=request.user, months=form.months(), currency=rates.currency, rates=rates)
    result["chart"] = chart.bars([(r["month"], r["paid"], r["whatif"]) for r in result["months"]])
    return result


@login_required
@require_GET
def whatif(request):
    """Try a plan version — or figures typed here, not saved — on past months: what was paid against what it would
    have paid, per month (Payroll also per manager), with a chart."""
    if not sees_pay_totals(request.user):
        raise PermissionDenied
    today = timezone.localdate().replace(day=1)
    bound = "start" in request.GET
    initial = {"start": (today - datetime.timedelta(days=62)).replace(day=1), "end": today, "rating_min_count": 3}
    form = WhatIfForm(request.GET if bound else None, user=request.user, initial=initial)
    result = None
    if bound and form.is_valid():
        try:
            result = _whatif_result(request, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
    context = {
        "form": form,
        "main_fields": [form[name] for name in ("source", "version", "start", "end")],
        "draft_fields": [form[name] for name in ("currency", *FIGURE_FIELDS)],
        "draft_open": form.is_bound and form.data.get("source") == "draft",
        "result": result,
        "payroll": sees_pay(request.user),
    }
    return render(request, "compensation/whatif.html", context)
