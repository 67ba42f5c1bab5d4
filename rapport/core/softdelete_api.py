"""The API of recoverable deletes (see ``rapport.core.softdelete``): ``DELETE`` on a detail endpoint soft-deletes
the record (204), ``POST …/{id}/restore/`` brings a deleted one back within the window (200). Both are for
Management and Admin (403 for others); a record out of the caller's sight is 404; a refusal (open work, a resolved
case, the window passed) is 409 with the error's code and message, and nothing changes."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from rapport.accounts import roles
from rapport.accounts.permissions import IsManagement
from rapport.core.api import _django_errors

REFUSED = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        "Refused, nothing changed: ``{field: [{message, code}]}`` as for invalid input, with codes such as "
        "``client_has_open_cases``, ``manager_has_clients``, ``case_resolved``, ``already_deleted``, "
        "``not_deleted``, ``restore_window_passed``."
    ),
)


class SoftDeleteViewMixin:
    """Adds ``destroy`` (soft delete) and the ``restore`` action to a model viewset. The viewset names its services
    (``delete_service``, ``restore_service``, keyword-only: ``<service_argument>=obj, actor=user``) and has a
    ``_render(obj)`` that answers the record; its model has ``all_objects``."""

    delete_service = None
    restore_service = None
    service_argument = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # The restored record is answered as the detail answers it: the schema names the viewset's serializer.
        if "serializer_class" in cls.__dict__:
            extend_schema_view(
                restore=extend_schema(request=None, responses={200: cls.serializer_class, 409: REFUSED})
            )(cls)

    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description="Deleted; restorable for the restore window."), 409: REFUSED},
    )
    def destroy(self, request, *args, **kwargs):
        """Delete the record (Management): it is hidden everywhere and may be restored for
        ``RAPPORT_RESTORE_DAYS`` days (15 by default), then it is purged."""
        instance = self.get_object()
        if not roles.is_management(request.user):
            raise PermissionDenied
        try:
            type(self).delete_service(**{self.service_argument: instance, "actor": request.user})
        except ValidationError as exc:
            return Response(_django_errors(exc), status=status.HTTP_409_CONFLICT)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated, IsManagement],
        filterset_class=None,
        pagination_class=None,
    )
    def restore(self, request, pk=None):
        """Restore a deleted record within the restore window (Management). A restored client has no personal
        manager; a restored manager's user account stays deactivated until an Admin reactivates it."""
        model = self.queryset.model
        instance = model.all_objects.deleted().filter(pk=pk).first() if str(pk).isdigit() else None
        if instance is None:
            raise Http404
        try:
            type(self).restore_service(**{self.service_argument: instance, "actor": request.user})
        except ValidationError as exc:
            return Response(_django_errors(exc), status=status.HTTP_409_CONFLICT)
        return self._render(instance)
