"""Pages of pay: periods (calculate in the background, approve), statements with their explained lines, queries and
overrides, a manager's own statements, the statement as PDF and a period's export for accounting.

Payroll sees and runs everything; Management sees a period's totals and distributions only (a statement is 404 to
them); a client manager sees their own statements; anyone else is refused. Views parse input, call a selector or a
service, and render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rapport.accounts import roles
from rapport.compensation import documents, selectors, services
from rapport.compensation.choices import QueryStatus
from rapport.compensation.forms import AnswerForm, ApproveForm, OpenPeriodForm, OverrideForm, QueryForm
from rapport.compensation.models import LineQuery, PayPeriod, Statement
from rapport.compensation.querysets import sees_pay
from rapport.core.htmx import htmx_partial
from rapport.core.pagination import page_from_request


def _payroll(request) -> None:
    if not sees_pay(request.user):
        raise PermissionDenied


def _period(request, pk) -> PayPeriod:
    try:
        return selectors.period_get(user=request.user, pk=pk)
    except PayPeriod.DoesNotExist as exc:
        raise Http404 from exc


def _statement(request, pk) -> Statement:
    try:
        return selectors.statement_get(user=request.user, pk=pk)
    except Statement.DoesNotExist as exc:
        raise Http404 from exc


def _refused(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# ---------------------------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def period_list(request):
    """Pay periods with their status and totals; Payroll opens a month here."""
    context = page_from_request(request, selectors.period_list(user=request.user))
    totals = selectors.totals_by_period(context["page"].object_list)
    for period in context["page"].object_list:
        period.totals = totals.get(period.pk, [])
    if sees_pay(request.user):
        context["open_form"] = OpenPeriodForm(initial={"month": timezone.localdate().replace(day=1)})
    template = htmx_partial(request, "compensation/period_list.html", "compensation/_period_rows.html")
    return render(request, template, context)


@login_required
@require_POST
def period_open(request):
    """Open (or find) the period of a month and go to it."""
    _payroll(request)
    form = OpenPeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a month."))
        return redirect("compensation:periods")
    try:
        period = services.period_get_or_open(month=form.cleaned_data["month"], actor=request.user)
    except ValidationError as exc:
        _refused(request, exc)
        return redirect("compensation:periods")
    return redirect("compensation:period", pk=period.pk)


@login_required
@require_GET
def period_detail(request, pk):
    """A period: its totals and distributions (Payroll and Management); for Payroll also every statement, the
    calculation with its progress bar, the approval and the exports."""
    period = _period(request, pk)
    summary = selectors.period_summary(user=request.user, period=period)
    if request.htmx and "progress" in request.GET:
        if period.running:
            return render(request, "compensation/_period_progress.html", {"period": period})
        response = HttpResponse()
        response["HX-Refresh"] = "true"
        return response
    context = {"period": period, "summary": summary, "payroll": sees_pay(request.user)}
    if context["payroll"]:
        context.update(page_from_request(request, selectors.period_statements(user=request.user, period=period)))
        context["open_queries"] = selectors.open_queries_count(period)
        context["approve_form"] = ApproveForm()
    template = htmx_partial(request, "compensation/period_detail.html", "compensation/_statement_rows.html")
    return render(request, template, context)


@login_required
@require_POST
def period_calculate(request, pk):
    """Calculate (or recalculate) the period in the background; the page shows the progress."""
    _payroll(request)
    period = _period(request, pk)
    try:
        services.period_calculate_request(period=period, actor=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The calculation of %(month)s has started.") % {"month": f"{period.month:%Y-%m}"})
    return redirect("compensation:period", pk=period.pk)


@login_required
@require_POST
def period_approve(request, pk):
    """Approve (lock) the period; with open queries only when forced, with a note."""
    _payroll(request)
    period = _period(request, pk)
    form = ApproveForm(request.POST)
    form.is_valid()
    try:
        services.period_approve(
            period=period,
            actor=request.user,
            force=form.cleaned_data.get("force", False),
            note=form.cleaned_data.get("note", ""),
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("%(month)s is approved and locked.") % {"month": f"{period.month:%Y-%m}"})
    return redirect("compensation:period", pk=period.pk)


@login_required
@require_GET
def period_export(request, pk, fmt):
    """Every line of the period's statements for accounting, as CSV (streamed) or XLSX (Payroll)."""
    _payroll(request)
    period = _period(request, pk)
    rows = selectors.export_rows(user=request.user, period=period)
    name = f"pay-{period.month:%Y-%m}"
    if fmt == "csv":
        response = StreamingHttpResponse(documents.csv_chunks(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            documents.xlsx_bytes(rows, title=name),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# ---------------------------------------------------------------------------------------------------------------
# Statements
# ---------------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def my_pay(request):
    """A client manager's own statements, month by month."""
    if not roles.is_client_manager(request.user):
        raise PermissionDenied
    context = page_from_request(request, selectors.my_statements(user=request.user))
    template = htmx_partial(request, "compensation/my_pay.html", "compensation/_my_rows.html")
    return render(request, template, context)


def _statement_context(request, statement: Statement) -> dict:
    lines = selectors.statement_lines(user=request.user, statement=statement)
    queries = list(selectors.statement_queries(user=request.user, statement=statement))
    for query in queries:
        query.line_key = selectors.line_key(query.kind, query.reference_month)
    own = statement.manager.user_id == request.user.pk
    locked = statement.period.is_locked
    choices, extra = selectors.line_choices(lines)
    context = {
        "statement": statement,
        "period": statement.period,
        "lines": lines,
        "queries": queries,
        "own": own,
        "payroll": sees_pay(request.user),
        "locked": locked,
    }
    if own and not locked:
        context["query_form"] = QueryForm(lines=choices)
    if context["payroll"] and not locked:
        context["override_form"] = OverrideForm(lines=choices, extra=extra)
        # The query an override closes is named by the forms under each query, not by this one.
        del context["override_form"].fields["query"]
        context["answer_form"] = AnswerForm()
        context["open_query_list"] = [q for q in queries if q.status == QueryStatus.OPEN]
    return context


@login_required
@require_GET
def statement_detail(request, pk):
    """A statement: every line with quantity, rate, amount, its sentence and the evidence behind it; queries, and
    the forms to ask (the manager) or to answer and override (Payroll) while the period is open."""
    statement = _statement(request, pk)
    return render(request, "compensation/statement_detail.html", _statement_context(request, statement))


@login_required
@require_GET
def statement_pdf(request, pk):
    """The statement as a PDF document."""
    statement = _statement(request, pk)
    lines = selectors.statement_lines(user=request.user, statement=statement)
    queries = list(selectors.statement_queries(user=request.user, statement=statement))
    status = statement.period.get_status_display()
    content = documents.statement_pdf(statement=statement, lines=lines, status=str(status), queries=queries)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"statement-{statement.period.month:%Y-%m}-{statement.manager_id}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _back(statement: Statement, anchor: str = ""):
    response = redirect("compensation:statement", pk=statement.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@login_required
@require_POST
def line_query(request, pk):
    """The manager asks about a line of their own statement."""
    statement = _statement(request, pk)
    if statement.manager.user_id != request.user.pk:
        raise PermissionDenied
    choices, _extra = selectors.line_choices(selectors.statement_lines(user=request.user, statement=statement))
    form = QueryForm(request.POST, lines=choices)
    if not form.is_valid():
        messages.error(request, _("Choose a line and write your question."))
        return _back(statement, "ask")
    kind, reference_month = selectors.parse_line_key(form.cleaned_data["line"])
    try:
        services.line_query_create(
            actor=request.user,
            statement=statement,
            kind=kind,
            reference_month=reference_month,
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Your question was sent to Payroll."))
    return _back(statement, "queries")


@login_required
@require_POST
def query_answer(request, pk):
    """Payroll answers a query."""
    _payroll(request)
    query = LineQuery.objects.visible_to(request.user).filter(pk=pk).first()
    if query is None:
        raise Http404
    statement = Statement.objects.filter(period_id=query.period_id, manager_id=query.manager_id).first()
    if statement is None:
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the answer."))
        return _back(statement, "queries")
    try:
        services.line_query_answer(actor=request.user, query=query, answer=form.cleaned_data["answer"])
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The query is answered."))
    return _back(statement, "queries")


@login_required
@require_POST
def line_override(request, pk):
    """Payroll sets a line's amount by hand, with the reason (closing a query when one is named)."""
    _payroll(request)
    statement = _statement(request, pk)
    choices, extra = selectors.line_choices(selectors.statement_lines(user=request.user, statement=statement))
    form = OverrideForm(request.POST, lines=choices, extra=extra)
    if not form.is_valid():
        messages.error(request, _("Choose a line, the amount and the reason."))
        return _back(statement, "override")
    kind, reference_month = selectors.parse_line_key(form.cleaned_data["line"])
    query = None
    if form.cleaned_data.get("query"):
        query = (
            LineQuery.objects.visible_to(request.user)
            .filter(pk=form.cleaned_data["query"], period_id=statement.period_id, manager_id=statement.manager_id)
            .first()
        )
    try:
        services.line_override_set(
            actor=request.user,
            statement=statement,
            kind=kind,
            reference_month=reference_month,
            amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
            query=query,
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The line is overridden; it stays so when the period is recalculated."))
    return _back(statement)
