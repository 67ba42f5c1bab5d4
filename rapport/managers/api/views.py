"""API of manager profiles."""

from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from rapport.accounts.roles import Role
from rapport.core.conditional import if_match, versioned_retrieve, versioned_update, with_etag
from rapport.core.softdelete_api import SoftDeleteViewMixin
from rapport.managers import selectors, services
from rapport.managers.api.serializers import ManagerSerializer
from rapport.managers.deletion import manager_delete, manager_restore
from rapport.managers.filtersets import ManagerFilterSet
from rapport.managers.models import ClientManager


@extend_schema_view(
    retrieve=versioned_retrieve(),
    update=versioned_update(ManagerSerializer),
    partial_update=versioned_update(ManagerSerializer),
)
class ManagerViewSet(
    SoftDeleteViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Client manager profiles with their current load. Management and HR create and change them."""

    write_roles = (Role.MANAGEMENT, Role.HR)

    serializer_class = ManagerSerializer
    filterset_class = ManagerFilterSet
    queryset = ClientManager.objects.none()
    # DELETE soft-deletes, POST {id}/restore/ restores (Management; see ``rapport.core.softdelete_api``).
    delete_service = manager_delete
    restore_service = manager_restore
    service_argument = "manager"

    def get_queryset(self):
        return selectors.manager_list(user=self.request.user)

    def _render(self, manager, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=manager.pk)
        return with_etag(Response(self.get_serializer(fresh).data, status=code), fresh)

    def retrieve(self, request, *args, **kwargs):
        manager = self.get_object()
        return with_etag(Response(self.get_serializer(manager).data), manager)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        user = data.pop("user")
        if data.get("capacity") is None:
            data.pop("capacity", None)
        manager = services.manager_create(actor=request.user, user=user, data=data)
        return self._render(manager, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        manager = self.get_object()
        serializer = self.get_serializer(manager, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("user", None)
        manager = services.manager_update(manager=manager, actor=request.user, data=data, version=if_match(request))
        return self._render(manager)
