"""Pages of manager profiles: list, detail with the portfolio against capacity, create and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rapport.accounts import roles
from rapport.clients.models import Client
from rapport.core.concurrency import StaleVersion, version_of
from rapport.core.export import EXPORT_FORMATS
from rapport.core.forms import add_service_errors
from rapport.core.htmx import htmx_partial
from rapport.core.pagination import page_from_request
from rapport.managers import exports, selectors, services
from rapport.managers.filtersets import ManagerFilterSet
from rapport.managers.forms import ManagerForm
from rapport.managers.models import ClientManager


def _get_manager(request, pk) -> ClientManager:
    try:
        return selectors.manager_get(user=request.user, pk=pk)
    except ClientManager.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def manager_list(request):
    """Managers with their load against capacity."""
    if not (roles.sees_all_managers(request.user) or roles.is_client_manager(request.user)):
        raise PermissionDenied
    filterset = ManagerFilterSet(data=request.GET or None, queryset=ClientManager.objects.none())
    queryset = selectors.manager_list(user=request.user, filters=request.GET.dict())
    context = {"filterset": filterset, **page_from_request(request, queryset)}
    template = htmx_partial(request, "managers/manager_list.html", "managers/_manager_results.html")
    return render(request, template, context)


@login_required
@require_GET
def manager_export(request, fmt: str):
    """The manager list as CSV or XLSX: the page's filters and visibility, every matching row."""
    if not (roles.sees_all_managers(request.user) or roles.is_client_manager(request.user)):
        raise PermissionDenied
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return exports.manager_export(user=request.user, filters=request.GET.dict(), fmt=fmt)


@login_required
def manager_detail(request, pk):
    """A manager's profile, their personal clients (as far as the viewer may see clients) and history."""
    manager = _get_manager(request, pk)
    clients = (
        Client.objects.visible_to(request.user)
        .filter(assignments__manager=manager, assignments__end_date__isnull=True)
        .select_related("group")
        .order_by("name", "id")
    )
    context = {
        "manager": manager,
        "clients": clients[:500],
        "utilisation": round(100 * manager.load / manager.capacity) if manager.capacity else None,
        "history": selectors.manager_history(manager=manager),
        "can_edit": roles.may_edit_managers(request.user),
    }
    return render(request, "managers/manager_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def manager_edit(request, pk=None):
    """Create a manager profile for a user account, or edit one (Management and HR)."""
    if not roles.may_edit_managers(request.user):
        raise PermissionDenied
    manager = _get_manager(request, pk) if pk is not None else None
    form = ManagerForm(request.POST or None, instance=manager, user=request.user)
    # An edit carries the version the page was opened at; a stale save re-renders with what changed (see clients).
    if request.method == "POST":
        version = request.POST.get("version") or None
    else:
        version = version_of(manager) if manager is not None else None
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            if manager is None:
                manager = services.manager_create(
                    actor=request.user, user=form.cleaned_data["user"], data=form.service_data()
                )
            else:
                services.manager_update(manager=manager, actor=request.user, data=form.service_data(), version=version)
        except StaleVersion as exc:
            version, stale = exc.version, exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Manager profile saved."))
            return redirect("managers:detail", pk=manager.pk)
    context = {"form": form, "manager": manager, "version": version, "stale": stale}
    return render(request, "managers/manager_form.html", context, status=409 if stale else 200)
