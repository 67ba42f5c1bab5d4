"""The Delete action of a manager profile (Management): a confirmation page, then the soft delete."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rapport.accounts import roles
from rapport.core.softdelete import restore_days
from rapport.core.softdelete_views import delete_page
from rapport.managers import deletion, selectors
from rapport.managers.models import ClientManager


@login_required
@require_http_methods(["GET", "POST"])
def manager_delete(request, pk):
    """Confirm, then delete the profile (Management); current clients or open work stop it (use the departure
    wizard)."""
    try:
        manager = selectors.manager_get(user=request.user, pk=pk)
    except ClientManager.DoesNotExist as exc:
        raise Http404 from exc
    if not roles.is_management(request.user):
        raise PermissionDenied
    return delete_page(
        request,
        obj=manager,
        delete=lambda obj, actor: deletion.manager_delete(manager=obj, actor=actor),
        blockers=[sentence for _code, sentence in deletion.delete_blockers(manager)],
        consequences=[
            _("The user account %(username)s is deactivated: its sessions and API tokens end.")
            % {"username": manager.user.username},
            _("A restored profile's account stays deactivated until an Admin reactivates it."),
        ],
        cancel_url=reverse("managers:detail", args=[manager.pk]),
        done_url=reverse("managers:list"),
        done_message=_("%(name)s deleted. The profile can be restored under Recently deleted for %(days)d days.")
        % {"name": manager.name, "days": restore_days()},
    )
