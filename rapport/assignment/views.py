"""Assign and unassign a client (Management). The service enforces the rules; errors are shown on the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rapport.accounts import roles
from rapport.assignment import services
from rapport.assignment.forms import AssignForm, UnassignForm
from rapport.clients import selectors
from rapport.clients.models import Client
from rapport.core.forms import add_service_errors


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
@require_http_methods(["GET", "POST"])
def assign(request, pk):
    """Assign (or reassign) the client to a personal manager."""
    client = _client_for_management(request, pk)
    form = AssignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assignment_create(
                client=client,
                manager=form.cleaned_data["manager"],
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(client)s is now assigned to %(manager)s.")
                % {"client": client.name, "manager": assignment.manager.name},
            )
            return redirect("clients:detail", pk=client.pk)
    current = selectors.client_current_assignment(client=client)
    return render(request, "assignment/assign.html", {"client": client, "form": form, "current": current})


@login_required
@require_http_methods(["GET", "POST"])
def unassign(request, pk):
    """End the client's current assignment."""
    client = _client_for_management(request, pk)
    form = UnassignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_end(client=client, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(client)s no longer has a personal manager.") % {"client": client.name})
            return redirect("clients:detail", pk=client.pk)
    current = selectors.client_current_assignment(client=client)
    return render(request, "assignment/unassign.html", {"client": client, "form": form, "current": current})
