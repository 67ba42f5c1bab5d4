"""The Delete action of a case (Management): for duplicates and spam; a resolved case cannot be deleted."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rapport.accounts import roles
from rapport.cases import deletion, selectors
from rapport.cases.choices import CaseStatus
from rapport.cases.models import Case
from rapport.core.softdelete import restore_days
from rapport.core.softdelete_views import delete_page


@login_required
@require_http_methods(["GET", "POST"])
def case_delete(request, pk):
    """Confirm, then delete the case (Management)."""
    try:
        case = selectors.case_get(user=request.user, pk=pk)
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    if not roles.is_management(request.user):
        raise PermissionDenied
    resolved = case.status in (CaseStatus.RESOLVED, CaseStatus.CLOSED) or case.resolved_by_id is not None
    return delete_page(
        request,
        obj=case,
        delete=lambda obj, actor: deletion.case_delete(case=obj, actor=actor),
        blockers=[_("A resolved case is part of the service record and of pay.")] if resolved else [],
        consequences=[_("Its timeline stays with it; interactions logged on it stay with the client.")],
        cancel_url=reverse("cases:detail", args=[case.pk]),
        done_url=reverse("cases:list"),
        done_message=_("Case %(case)s deleted. It can be restored under Recently deleted for %(days)d days.")
        % {"case": case, "days": restore_days()},
    )
