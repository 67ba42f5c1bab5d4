"""Pages of the client registry. Views parse input, call a selector or service, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rapport.accounts import roles
from rapport.assignment.forms import AssignForm
from rapport.clients import exports, selectors, services
from rapport.clients.filtersets import ClientFilterSet
from rapport.clients.forms import ClientForm, ClientGroupForm
from rapport.clients.models import Client, ClientGroup
from rapport.core.concurrency import StaleVersion, version_of
from rapport.core.export import EXPORT_FORMATS
from rapport.core.forms import add_service_errors
from rapport.core.htmx import htmx_partial
from rapport.core.pagination import page_from_request


def _get_client(request, pk) -> Client:
    try:
        return selectors.client_get(user=request.user, pk=pk)
    except Client.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def client_list(request):
    """The client list: filters, search and pages without a total count; htmx swaps only the results."""
    if not (roles.sees_all_clients(request.user) or roles.is_client_manager(request.user)):
        raise PermissionDenied
    filterset = ClientFilterSet(data=request.GET or None, queryset=Client.objects.none(), request=request)
    queryset = selectors.client_list(user=request.user, filters=request.GET.dict(), request=request)
    context = {"filterset": filterset, **page_from_request(request, queryset)}
    selectors.attach_current_managers(context["page"].object_list)
    template = htmx_partial(request, "clients/client_list.html", "clients/_client_results.html")
    return render(request, template, context)


@login_required
@require_GET
def client_export(request, fmt: str):
    """The client list as CSV or XLSX: the page's filters and visibility, every matching row."""
    if not (roles.sees_all_clients(request.user) or roles.is_client_manager(request.user)):
        raise PermissionDenied
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return exports.client_export(user=request.user, filters=request.GET.dict(), fmt=fmt, request=request)


@login_required
def client_detail(request, pk):
    """A client's profile, motivation, current manager, assignment history and change history."""
    client = _get_client(request, pk)
    current = selectors.client_current_assignment(client=client)
    context = {
        "client": client,
        "current": current,
        "assignments": selectors.client_assignments(client=client),
        "history": selectors.client_history(client=client),
        "can_edit": bool(services.client_writable_fields(request.user)) and client.anonymised_at is None,
        "can_manage_personal_data": roles.is_management(request.user),
        "assign_form": AssignForm(user=request.user) if roles.is_management(request.user) else None,
    }
    return render(request, "clients/client_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def client_create(request):
    """Management creates a client."""
    if not roles.is_management(request.user):
        raise PermissionDenied
    form = ClientForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_create(actor=request.user, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Client %(name)s created.") % {"name": client.name})
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/client_form.html", {"form": form, "client": None})


@login_required
@require_http_methods(["GET", "POST"])
def client_edit(request, pk):
    """Edit a client; a manager sees only the fields they may write."""
    client = _get_client(request, pk)
    if not services.client_writable_fields(request.user):
        raise PermissionDenied
    form = ClientForm(request.POST or None, instance=client, user=request.user)
    # The version the page was opened at travels with the form; a stale save re-renders it with the user's input,
    # what changed, and the current version, so saving again on purpose goes through.
    version = (request.POST.get("version") or None) if request.method == "POST" else version_of(client)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.client_update(client=client, actor=request.user, data=form.service_data(), version=version)
        except StaleVersion as exc:
            version, stale = exc.version, exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("clients:detail", pk=client.pk)
    context = {"form": form, "client": client, "version": version, "stale": stale}
    return render(request, "clients/client_form.html", context, status=409 if stale else 200)


@login_required
def group_list(request):
    """Client groups and the manager types that should serve them."""
    groups = ClientGroup.objects.visible_to(request.user)
    if not roles.role_names(request.user):
        raise PermissionDenied
    return render(request, "clients/group_list.html", {"groups": groups})


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, pk=None):
    """Management creates or edits a client group."""
    if not roles.is_management(request.user):
        raise PermissionDenied
    group = None
    if pk is not None:
        group = ClientGroup.objects.visible_to(request.user).filter(pk=pk).first()
        if group is None:
            raise Http404
    form = ClientGroupForm(request.POST or None, instance=group)
    if request.method == "POST":
        version = request.POST.get("version") or None
    else:
        version = version_of(group) if group is not None else None
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.client_group_save(
                actor=request.user,
                data=form.service_data(),
                group=ClientGroup.objects.get(pk=group.pk) if group else None,
                version=version,
            )
        except StaleVersion as exc:
            version, stale = exc.version, exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Client group saved."))
            return redirect("clients:groups")
    context = {"form": form, "group": group, "version": version, "stale": stale}
    return render(request, "clients/group_form.html", context, status=409 if stale else 200)
