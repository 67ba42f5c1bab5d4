"""The management dashboard, its exports and the monthly report (thin: the figures come from ``panels``)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from rapport.core.export import table_response
from rapport.insight import panels
from rapport.insight import report as monthly_report
from rapport.insight.filters import DashboardFilterForm, MonthField, add_months, month_start
from rapport.insight.sections import dashboard_sections
from rapport.managers.choices import ManagerType


@login_required
@require_GET
def dashboard(request):
    """Management's dashboard: portfolio, key-person risk, winning and serving, ratings and pay totals — the
    sections the user's roles allow — for a period, a client group and a manager type."""
    if not panels.sees_dashboard(request.user):
        raise PermissionDenied
    form = DashboardFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    context = {
        "form": form,
        "filters": filters,
        "sections": dashboard_sections(request.user, filters),
        "report_month": add_months(month_start(timezone.localdate()), -1),
        "may_report": panels.sees_clients_panels(request.user),
        "manager_type_label": ManagerType(filters.manager_type).label if filters.manager_type else "",
    }
    return render(request, "insight/dashboard.html", context)


@login_required
@require_GET
def export(request, key: str, fmt: str):
    """One dashboard table, all its rows, as CSV or XLSX with the dashboard's filters and the user's visibility."""
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    form = DashboardFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    table = panels.table_for(key, request.user, filters)
    if table is None:
        raise Http404
    name = f"rapport-{key}-{filters.first:%Y-%m}-{filters.last:%Y-%m}"
    return table_response(fmt=fmt, filename=name, header=table.header, rows=table.export_rows(), title=table.title)


@login_required
@require_GET
def report(request):
    """The monthly management report as PDF (``?month=YYYY-MM``, last month by default)."""
    if not panels.sees_clients_panels(request.user):
        raise PermissionDenied
    try:
        month = _month(request.GET.get("month"))
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    content = monthly_report.render(user=request.user, month=month)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rapport-report-{month:%Y-%m}.pdf"'
    return response


def _month(value: str | None) -> datetime.date:
    default = add_months(month_start(timezone.localdate()), -1)
    if not value:
        return default
    return MonthField().clean(value)
