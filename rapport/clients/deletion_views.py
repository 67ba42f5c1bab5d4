"""Pages of recoverable deletes for Management: deleting a client, and the "Recently deleted" page listing the
deleted clients, managers and cases with who deleted them, when, the days left and a Restore button."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.accounts import roles
from rapport.cases.deletion import case_restore
from rapport.cases.models import Case
from rapport.clients import deletion, selectors
from rapport.clients.models import Client
from rapport.core.softdelete import days_left, restore_days, restore_deadline
from rapport.core.softdelete_views import delete_page
from rapport.managers.deletion import manager_restore
from rapport.managers.models import ClientManager

# Kind in the URL → (model, restore service and its argument).
KINDS = {
    "client": (Client, deletion.client_restore, "client"),
    "manager": (ClientManager, manager_restore, "manager"),
    "case": (Case, case_restore, "case"),
}


def _require_management(request) -> None:
    if not roles.is_management(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def client_delete(request, pk):
    """Confirm, then delete the client (Management); what stops it (open cases, opportunities) is listed."""
    try:
        client = selectors.client_get(user=request.user, pk=pk)
    except Client.DoesNotExist as exc:
        raise Http404 from exc
    _require_management(request)
    current = selectors.client_current_assignment(client=client)
    consequences = [_("Past interactions, cases, acquisitions, ratings and pay stay as they are.")]
    if current is not None:
        consequences.insert(
            0,
            _("Its assignment to %(manager)s ends today; a restored client comes back without a personal manager.")
            % {"manager": current.manager.name},
        )
    return delete_page(
        request,
        obj=client,
        delete=lambda obj, actor: deletion.client_delete(client=obj, actor=actor),
        blockers=[sentence for _code, sentence in deletion.delete_blockers(client)],
        consequences=consequences,
        cancel_url=reverse("clients:detail", args=[client.pk]),
        done_url=reverse("clients:list"),
        done_message=_("Client %(name)s deleted. It can be restored under Recently deleted for %(days)d days.")
        % {"name": client.name, "days": restore_days()},
    )


def _rows(model, select_related: tuple[str, ...]) -> list:
    now = timezone.now()
    rows = list(model.all_objects.deleted().select_related("deleted_by", *select_related).order_by("-deleted_at"))
    for row in rows:
        row.days_left = days_left(row.deleted_at, now)
        row.restorable = now <= restore_deadline(row.deleted_at)
    return rows


def _page(request, errors=(), status=200):
    context = {
        "deleted_clients": _rows(Client, ()),
        "deleted_managers": _rows(ClientManager, ("user",)),
        "deleted_cases": _rows(Case, ("client",)),
        "restore_days": restore_days(),
        "errors": list(errors),
    }
    return render(request, "clients/recently_deleted.html", context, status=status)


@login_required
@require_GET
def recently_deleted(request):
    """Deleted clients, managers and cases that may still be restored (and those awaiting the purge)."""
    _require_management(request)
    return _page(request)


@login_required
@require_POST
def restore(request, kind: str, pk: int):
    """Restore a deleted client, manager or case (Management); a refusal is shown on the page, nothing changed."""
    _require_management(request)
    if kind not in KINDS:
        raise Http404
    model, service, argument = KINDS[kind]
    instance = model.all_objects.deleted().filter(pk=pk).first()
    if instance is None:
        raise Http404
    try:
        service(**{argument: instance, "actor": request.user})
    except ValidationError as exc:
        return _page(request, errors=exc.messages, status=400)
    notes = {
        "client": _("%(name)s restored. It has no personal manager: assign one if it needs one."),
        "manager": _("%(name)s restored. The user account stays deactivated until an Admin reactivates it."),
        "case": _("%(name)s restored."),
    }
    messages.success(request, notes[kind] % {"name": instance})
    return redirect("clients:deleted")


@login_required
@require_GET
def deleted_client_export(request, pk: int):
    """The personal data of a deleted client as a JSON download (subject access goes on while it is kept)."""
    from rapport.privacy.services import export_client

    _require_management(request)
    client = Client.all_objects.deleted().filter(pk=pk).first()
    if client is None:
        raise Http404
    export = export_client(client=client, actor=request.user)
    response = HttpResponse(
        json.dumps(export, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="client-{client.pk}-personal-data.json"'
    return response
