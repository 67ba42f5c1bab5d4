"""Pages of interactions and cases. Views parse input, call a selector or service, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.accounts import roles
from rapport.cases import exports, selectors, services
from rapport.cases.filtersets import CaseFilterSet, InteractionFilterSet
from rapport.cases.forms import CaseOpenForm, InteractionForm, transition_form
from rapport.cases.lifecycle import Action, available_actions, manager_profile, may_act
from rapport.cases.models import Case, Interaction
from rapport.clients.models import Client
from rapport.core.concurrency import StaleVersion, version_of
from rapport.core.export import EXPORT_FORMATS
from rapport.core.forms import add_service_errors
from rapport.core.htmx import htmx_partial
from rapport.core.pagination import page_from_request
from rapport.core.workspace import workspace_panels

ACTION_DONE = {
    Action.ACKNOWLEDGE: lambda: _("The case is acknowledged."),
    Action.START: lambda: _("Work on the case has started."),
    Action.RESOLVE: lambda: _("The case is resolved."),
    Action.CLOSE: lambda: _("The case is closed."),
    Action.REOPEN: lambda: _("The case is reopened."),
    Action.REASSIGN: lambda: _("The case is reassigned."),
}


def _works_with_clients(request) -> None:
    if not (roles.sees_all_clients(request.user) or roles.is_client_manager(request.user)):
        raise PermissionDenied


def _client_from_query(request) -> Client | None:
    """The client named by ``?client=<id>`` (404 when the user cannot see it), or None."""
    raw = request.GET.get("client") or request.POST.get("client_id")
    if not raw:
        return None
    if not str(raw).isdigit():
        raise Http404
    client = Client.objects.visible_to(request.user).filter(pk=int(raw)).first()
    if client is None:
        raise Http404
    return client


def _case(request, pk) -> Case:
    try:
        return selectors.case_get(user=request.user, pk=pk)
    except Case.DoesNotExist as exc:
        raise Http404 from exc


# ---------------------------------------------------------------------------------------------------------------
# Workspace
# ---------------------------------------------------------------------------------------------------------------


def _workspace_context(request, manager, form=None) -> dict:
    return {
        "manager": manager,
        "rows": selectors.my_open_cases(manager=manager),
        "follow_ups": selectors.follow_ups_due(manager=manager),
        "not_contacted": selectors.not_contacted(manager=manager),
        "not_contacted_days": selectors.not_contacted_days(),
        "form": form or InteractionForm(user=request.user, quick=True, prefix="quick"),
        "recent": selectors.recent_interactions(user=request.user),
        "panels": workspace_panels(request, manager),
    }


@login_required
def workspace(request):
    """ "My work": a manager's open cases by time left, a quick interaction log, due follow-ups and clients not
    contacted for a while."""
    _works_with_clients(request)
    manager = manager_profile(request.user)
    if manager is None:
        # Management without a manager profile works from the case list and its queues.
        return redirect("cases:list")
    return render(request, "cases/workspace.html", _workspace_context(request, manager))


# ---------------------------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------------------------


@login_required
def case_list(request):
    """Cases with filters; quick links to open cases, missed targets and (for Management) the unrouted queue."""
    _works_with_clients(request)
    filterset = CaseFilterSet(data=request.GET or None, queryset=Case.objects.none(), request=request)
    queryset = selectors.case_list(user=request.user, filters=request.GET.dict(), request=request)
    context = {"filterset": filterset, **page_from_request(request, queryset)}
    context["rows"] = selectors.with_targets(context["page"].object_list)
    template = htmx_partial(request, "cases/case_list.html", "cases/_case_results.html")
    return render(request, template, context)


@login_required
@require_GET
def case_export(request, fmt: str):
    """The case list as CSV or XLSX: the page's filters and visibility, every matching row."""
    _works_with_clients(request)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return exports.case_export(user=request.user, filters=request.GET.dict(), fmt=fmt, request=request)


@login_required
@require_GET
def interaction_export(request, fmt: str):
    """The interaction list as CSV or XLSX: the page's filters and visibility, every matching row."""
    _works_with_clients(request)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return exports.interaction_export(user=request.user, filters=request.GET.dict(), fmt=fmt, request=request)


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    """Open a case for the client of ``?client=<id>`` (or one of the manager's clients)."""
    _works_with_clients(request)
    client = _client_from_query(request)
    if client is None and roles.sees_all_clients(request.user):
        messages.info(request, _("Choose a client, then open a case from the client's page."))
        return redirect("clients:list")
    form = CaseOpenForm(request.POST or None, user=request.user, client=client)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(actor=request.user, client=form.chosen_client(), data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if case.handler_id is None:
                messages.warning(request, _("Case opened; nobody may take it yet, so it waits for Management."))
            else:
                messages.success(request, _("Case opened and given to %(manager)s.") % {"manager": case.handler.name})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "client": client})


def _detail_context(request, case: Case, bound: dict | None = None) -> dict:
    """The case page: the case, its targets, timeline and one form per action the user may take now."""
    bound = bound or {}
    forms = [
        (action, bound.get(action) or transition_form(action, user=request.user, case=case))
        for action in available_actions(case, request.user)
    ]
    return {
        "case": case,
        "row": selectors.with_targets([case])[0],
        "timeline": selectors.case_timeline(case=case),
        "forms": forms,
        "can_log": manager_profile(request.user) is not None or roles.is_management(request.user),
        "version": version_of(case),  # each action's form carries it: an action on a changed case is stopped
    }


@login_required
def case_detail(request, pk):
    """A case with the whole timeline (events and linked interactions) and the transition forms."""
    case = _case(request, pk)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


@login_required
@require_POST
def case_transition(request, pk, action):
    """Take one lifecycle action; a refused one shows its reason on the form and changes nothing."""
    case = _case(request, pk)
    try:
        action = Action(action)
    except ValueError as exc:
        raise Http404 from exc
    if not may_act(case, request.user, action):
        raise PermissionDenied
    form = transition_form(action, user=request.user, case=case, data=request.POST)
    version = request.POST.get("version") or None
    if form.is_valid():
        try:
            services.case_transition(case=case, actor=request.user, action=action, version=version, **form.cleaned_data)
        except StaleVersion as exc:
            # The page was opened before someone else changed the case: show what changed, keep the input; the
            # forms now carry the current version, so taking the action again goes through.
            context = {**_detail_context(request, case, bound={action: form}), "stale": exc}
            return render(request, "cases/case_detail.html", context, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, ACTION_DONE[action]())
            return redirect("cases:detail", pk=case.pk)
    context = _detail_context(request, case, bound={action: form})
    if all(offered != action for offered, _form in context["forms"]):
        # The action is not offered in the case's status (the page was stale): show the reason on top.
        context["refused"] = form
    return render(request, "cases/case_detail.html", context, status=400)


# ---------------------------------------------------------------------------------------------------------------
# Interactions
# ---------------------------------------------------------------------------------------------------------------


@login_required
def interaction_list(request):
    """Interactions with filters by client, manager, channel and dates."""
    _works_with_clients(request)
    filterset = InteractionFilterSet(data=request.GET or None, queryset=Interaction.objects.none(), request=request)
    queryset = selectors.interaction_list(user=request.user, filters=request.GET.dict(), request=request)
    context = {"filterset": filterset, **page_from_request(request, queryset)}
    template = htmx_partial(request, "cases/interaction_list.html", "cases/_interaction_results.html")
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def interaction_create(request):
    """Log an interaction. From the workspace's quick form (htmx) the form and the recent list are re-rendered;
    otherwise the full page, then the client's page."""
    _works_with_clients(request)
    quick = request.POST.get("quick") == "1" or request.GET.get("quick") == "1"
    client = None if quick else _client_from_query(request)
    if client is None and not quick and roles.sees_all_clients(request.user):
        messages.info(request, _("Choose a client, then log an interaction from the client's page."))
        return redirect("clients:list")
    initial = {"case": request.GET.get("case")} if request.GET.get("case", "").isdigit() else {}
    form = InteractionForm(
        request.POST or None,
        user=request.user,
        client=client,
        quick=quick,
        prefix="quick" if quick else None,
        initial=initial,
    )
    saved = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.interaction_log(
                actor=request.user,
                client=form.chosen_client(),
                data=form.service_data(),
                request_rating=form.cleaned_data["request_rating"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not quick:
                messages.success(request, _("Interaction logged."))
                return redirect("clients:detail", pk=saved.client_id)
            form = InteractionForm(user=request.user, quick=True, prefix="quick")
    if quick:
        if request.htmx:
            context = {"form": form, "saved": saved, "recent": selectors.recent_interactions(user=request.user)}
            return render(request, "cases/_quick_log.html", context)
        if saved is not None:
            messages.success(request, _("Interaction logged."))
            return redirect("cases:workspace")
        manager = manager_profile(request.user)
        if manager is None:
            return redirect("cases:interactions")
        return render(request, "cases/workspace.html", _workspace_context(request, manager, form))
    return render(request, "cases/interaction_form.html", {"form": form, "client": client})
