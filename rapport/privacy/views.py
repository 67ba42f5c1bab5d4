"""Management's pages for a client's personal data: download the export, erase (anonymise) with confirmation."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rapport.accounts import roles
from rapport.clients import selectors
from rapport.clients.models import Client
from rapport.privacy import services


def _client_for_management(request, pk) -> Client:
    if not roles.is_management(request.user):
        # Out-of-scope clients stay invisible: a 404 for clients the user cannot see, 403 otherwise.
        if not Client.objects.visible_to(request.user).filter(pk=pk).exists():
            raise Http404
        raise PermissionDenied
    try:
        return selectors.client_get(user=request.user, pk=pk)
    except Client.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_GET
def client_export(request, pk):
    """The client's personal data as a JSON download (subject access); changes nothing, logs who exported."""
    client = _client_for_management(request, pk)
    export = services.export_client(client=client, actor=request.user)
    response = HttpResponse(
        json.dumps(export, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="client-{client.pk}-personal-data.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def client_erase(request, pk):
    """Confirm, then anonymise the client everywhere; a retention hold refuses with its name."""
    client = _client_for_management(request, pk)
    errors = []
    if request.method == "POST":
        try:
            services.erase_client(client=client, actor=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("The client's personal data was erased."))
            return redirect("clients:detail", pk=client.pk)
    context = {
        "client": client,
        "errors": errors,
        "holds": services.client_holds(client) if client.anonymised_at is None else [],
        "plan": services.erasure_plan(client),
    }
    return render(request, "privacy/erase.html", context, status=400 if errors else 200)
