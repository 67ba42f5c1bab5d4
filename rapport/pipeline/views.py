"""Pages of the pipeline: the board, prospects, an opportunity and the funnel. Views parse input, call a selector
or service, and render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rapport.accounts import roles
from rapport.assignment.reasons import describe_reasons
from rapport.clients.models import Client
from rapport.core.forms import add_service_errors
from rapport.core.htmx import htmx_partial
from rapport.managers.models import ClientManager
from rapport.pipeline import selectors, services
from rapport.pipeline.choices import Stage
from rapport.pipeline.errors import PipelineError
from rapport.pipeline.forms import MoveForm, OpportunityForm, ProspectForm, UndoWinForm
from rapport.pipeline.models import Opportunity


def _may_work_pipeline(user) -> None:
    if not (roles.is_management(user) or roles.is_client_manager(user)):
        raise PermissionDenied


def _opportunity(request, pk) -> Opportunity:
    try:
        return selectors.opportunity_get(user=request.user, pk=pk)
    except Opportunity.DoesNotExist as exc:
        raise Http404 from exc


def _board_manager(request) -> ClientManager | None:
    """The manager whose board is shown: Management picks one (or all); a manager sees their own."""
    if roles.is_management(request.user):
        raw = request.GET.get("manager") or request.POST.get("board_manager") or ""
        if raw.isdigit():
            return ClientManager.objects.visible_to(request.user).select_related("user").filter(pk=int(raw)).first()
        return None
    return ClientManager.objects.filter(user_id=request.user.pk).select_related("user").first()


def _board_context(request) -> dict:
    manager = _board_manager(request)
    if not roles.is_management(request.user) and manager is None:
        return {"columns": [], "board_manager": None, "managers": []}
    columns = selectors.board(user=request.user, manager_id=manager.pk if manager else None)
    managers = (
        ClientManager.objects.visible_to(request.user).select_related("user")
        if roles.is_management(request.user)
        else []
    )
    return {
        "columns": columns,
        "board_manager": manager,
        "managers": managers,
        "move_form": MoveForm(),
        "open_stages": [Stage.NEW, Stage.CONTACTED, Stage.NEEDS_IDENTIFIED, Stage.OFFER],
    }


@login_required
def board(request):
    """A pipeline board: columns by stage, cards move with a click (htmx swaps the board)."""
    _may_work_pipeline(request.user)
    template = htmx_partial(request, "pipeline/board.html", "pipeline/_board.html")
    return render(request, template, _board_context(request))


def _win_message(result: services.WinResult) -> str:
    client = result.opportunity.client
    text = _("Won: %(client)s is now an active client, credited to %(manager)s.") % {
        "client": client.name,
        "manager": result.acquisition.manager.name,
    }
    placement = result.placement
    if placement.outcome in ("winner", "engine", "kept"):
        manager = placement.assignment.manager.name
        text += " " + _("Personal manager: %(manager)s.") % {"manager": manager}
        if placement.outcome == "engine":
            text += " " + _("Chosen by the assignment engine: %(reasons)s.") % {
                "reasons": "; ".join(describe_reasons(placement.reasons)[:4])
            }
    elif placement.outcome == "queued":
        text += " " + _("No personal manager may take the client now: it waits in the queue of clients without one.")
    return text


@login_required
@require_POST
def move(request, pk):
    """Move an opportunity one stage (board buttons, detail page)."""
    opportunity = _opportunity(request, pk)
    form = MoveForm(request.POST)
    error = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = services.opportunity_move(
                opportunity=opportunity,
                to_stage=data["to_stage"],
                actor=request.user,
                note=data["note"],
                motivation=data["motivation"] or None,
                lost_reason=data["lost_reason"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if isinstance(result, services.WinResult):
                messages.success(request, _win_message(result))
            else:
                messages.success(
                    request,
                    _("%(title)s moved to %(stage)s.") % {"title": result.title, "stage": result.get_stage_display()},
                )
    else:
        error = _("Choose a stage.")
    if error:
        messages.error(request, error)
    if request.htmx and request.POST.get("from") == "board":
        context = _board_context(request)
        return render(request, "pipeline/_board.html", context)
    return redirect("pipeline:detail", pk=opportunity.pk)


@login_required
@require_http_methods(["GET", "POST"])
def prospect_create(request):
    """A new prospect with its first opportunity; duplicates are refused, similar names must be confirmed."""
    _may_work_pipeline(request.user)
    form = ProspectForm(request.POST or None, user=request.user)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.prospect_create(
                actor=request.user,
                data=form.service_data(),
                title=form.cleaned_data["title"],
                note=form.cleaned_data["note"],
                manager=form.cleaned_data.get("manager"),
                confirm_similar=form.cleaned_data["confirm_similar"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            duplicate = _duplicates(request.user, exc)
            form.show_confirm = duplicate is not None and duplicate["code"] == PipelineError.SIMILAR_CLIENT
        else:
            messages.success(request, _("Prospect %(name)s created.") % {"name": opportunity.client.name})
            return redirect("pipeline:detail", pk=opportunity.pk)
    return render(request, "pipeline/prospect_form.html", {"form": form, "duplicate": duplicate})


def _duplicates(user, exc: ValidationError) -> dict | None:
    """The existing clients a duplicate refusal names, those the user may open as links."""
    errors = [e for group in exc.error_dict.values() for e in group] if hasattr(exc, "error_dict") else exc.error_list
    for error in errors:
        params = error.params or {}
        ids = params.get("client_ids") or ([params["client_id"]] if "client_id" in params else [])
        if ids:
            visible = Client.objects.visible_to(user).filter(pk__in=ids).only("pk", "name")
            return {"code": error.code, "clients": list(visible)}
    return None


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_create(request):
    """A new opportunity on an existing prospect."""
    _may_work_pipeline(request.user)
    initial = {"client": request.GET.get("client")} if request.GET.get("client", "").isdigit() else None
    form = OpportunityForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.opportunity_create(
                actor=request.user,
                client=form.cleaned_data["client"],
                title=form.cleaned_data["title"],
                note=form.cleaned_data["note"],
                manager=form.cleaned_data.get("manager"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Opportunity %(title)s opened.") % {"title": opportunity.title})
            return redirect("pipeline:detail", pk=opportunity.pk)
    return render(request, "pipeline/opportunity_form.html", {"form": form})


@login_required
def detail(request, pk):
    """An opportunity: its client, stage, the moves allowed now, and every stage change."""
    opportunity = _opportunity(request, pk)
    acquisition = getattr(opportunity, "acquisition", None) if opportunity.stage == Stage.WON else None
    may_work = roles.is_management(request.user) or opportunity.manager.user_id == request.user.pk
    context = {
        "opportunity": opportunity,
        "changes": opportunity.stage_changes.select_related("actor"),
        "moves": services.allowed_moves(opportunity.stage) if may_work else [],
        "move_form": MoveForm(),
        "acquisition": acquisition,
        "undo_form": UndoWinForm()
        if acquisition and not acquisition.is_reversed and roles.is_management(request.user)
        else None,
        "needs_motivation": opportunity.client.motivation == "unknown",
    }
    return render(request, "pipeline/opportunity_detail.html", context)


@login_required
@require_POST
def undo_win(request, pk):
    """Management undoes a win (the deal fell through)."""
    opportunity = _opportunity(request, pk)
    if not roles.is_management(request.user):
        raise PermissionDenied
    form = UndoWinForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the win is undone."))
        return redirect("pipeline:detail", pk=pk)
    try:
        services.opportunity_undo_win(opportunity=opportunity, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The win is undone; the acquisition credit is reversed."))
    return redirect("pipeline:detail", pk=pk)


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _parse_date(raw: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


@login_required
def funnel(request):
    """Management's funnel: how many opportunities reached each stage and the conversion between stages, per
    manager or per month of opening."""
    if not roles.is_management(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    default_start = _month_start(today - datetime.timedelta(days=180))
    start = _parse_date(request.GET.get("start"), default_start)
    end = _parse_date(request.GET.get("end"), today)
    by = "month" if request.GET.get("by") == "month" else "manager"
    manager = _board_manager(request)
    total, rows = selectors.funnel(
        user=request.user, start=start, end=end, manager_id=manager.pk if manager else None, by=by
    )
    context = {
        "total": total,
        "rows": rows,
        "stages": [Stage(stage).label for stage in selectors.FUNNEL_STAGES],
        "start": start,
        "end": end,
        "by": by,
        "board_manager": manager,
        "managers": ClientManager.objects.visible_to(request.user).select_related("user"),
    }
    return render(request, "pipeline/funnel.html", context)
