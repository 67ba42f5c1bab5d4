"""API of clients and client groups: parse, call a selector or service, serialize."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings

from rapport.accounts.permissions import IsManagement
from rapport.accounts.roles import Role
from rapport.assignment import services as assignment_services
from rapport.assignment.api.serializers import (
    AssignmentSerializer,
    AssignRequestSerializer,
    UnassignRequestSerializer,
)
from rapport.clients import selectors, services
from rapport.clients.api import listing
from rapport.clients.api.serializers import ClientGroupSerializer, ClientSerializer, HistoryEntrySerializer
from rapport.clients.deletion import client_delete, client_restore
from rapport.clients.filtersets import ClientFilterSet, ClientGroupFilterSet
from rapport.clients.models import Client, ClientGroup
from rapport.core.conditional import if_match, versioned_retrieve, versioned_update, with_etag
from rapport.core.filter_backends import IdleFilterBackend
from rapport.core.pagination import SeekPagination
from rapport.core.renderers import with_fast_json
from rapport.core.softdelete_api import SoftDeleteViewMixin


@extend_schema_view(
    retrieve=versioned_retrieve(),
    update=versioned_update(ClientSerializer),
    partial_update=versioned_update(ClientSerializer),
)
class ClientViewSet(
    SoftDeleteViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Clients the caller may see. Management creates clients and sets VIP status and groups; a client manager
    updates the profile and motivation of their own clients."""

    write_roles = (Role.MANAGEMENT, Role.CLIENT_MANAGER)

    serializer_class = ClientSerializer
    filterset_class = ClientFilterSet
    filter_backends = [IdleFilterBackend]
    # Filters whose SQL depends only on whether they are present: their pages are read by a compiled query
    compiled_filters = ("q", "group", "kind", "is_vip", "motivation", "status")
    pagination_class = SeekPagination  # ordered by the (name, id) index; next links seek instead of OFFSET
    renderer_classes = with_fast_json(api_settings.DEFAULT_RENDERER_CLASSES)  # same bytes, a list page faster
    queryset = Client.objects.none()
    # DELETE soft-deletes, POST {id}/restore/ restores (Management; see ``rapport.core.softdelete_api``).
    delete_service = client_delete
    restore_service = client_restore
    service_argument = "client"

    def get_queryset(self):
        # The filter backend applies the query's filters; the API answers the group's id only, so no join to it.
        return selectors.client_list(user=self.request.user, request=self.request).select_related(None)

    def list(self, request, *args, **kwargs):
        # The page is shaped from plain rows, not model instances, with the serializer's output (see ``listing``).
        response = listing.list_response(self, request)
        return response if response is not None else super().list(request, *args, **kwargs)

    def _render(self, client: Client, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=client.pk)
        return with_etag(Response(self.get_serializer(fresh).data, status=code), fresh)

    def retrieve(self, request, *args, **kwargs):
        client = self.get_object()
        return with_etag(Response(self.get_serializer(client).data), client)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client = services.client_create(actor=request.user, data=dict(serializer.validated_data))
        return self._render(client, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        client = self.get_object()
        serializer = self.get_serializer(client, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        services.client_update(
            client=client, actor=request.user, data=dict(serializer.validated_data), version=if_match(request)
        )
        return self._render(client)

    @extend_schema(request=AssignRequestSerializer, responses={201: AssignmentSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, IsManagement])
    def assign(self, request, pk=None):
        """Assign the client to a personal manager (Management); ends the current assignment if any."""
        client = self.get_object()
        serializer = AssignRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        assignment = assignment_services.assignment_create(
            client=client, actor=request.user, **serializer.validated_data
        )
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UnassignRequestSerializer, responses={200: AssignmentSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, IsManagement])
    def unassign(self, request, pk=None):
        """End the client's current assignment (Management)."""
        client = self.get_object()
        serializer = UnassignRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignment = assignment_services.assignment_end(client=client, actor=request.user, **serializer.validated_data)
        return Response(AssignmentSerializer(assignment).data)

    @extend_schema(responses={200: HistoryEntrySerializer(many=True)})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def history(self, request, pk=None):
        """Every change to the client: who, when, which fields from what to what."""
        client = self.get_object()
        return Response(HistoryEntrySerializer(selectors.client_history(client=client), many=True).data)


@extend_schema_view(
    retrieve=versioned_retrieve(),
    update=versioned_update(ClientGroupSerializer),
    partial_update=versioned_update(ClientGroupSerializer),
)
class ClientGroupViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Client groups; Management creates and changes them."""

    write_roles = (Role.MANAGEMENT,)

    serializer_class = ClientGroupSerializer
    filterset_class = ClientGroupFilterSet
    queryset = ClientGroup.objects.none()

    def get_queryset(self):
        return ClientGroup.objects.visible_to(self.request.user).order_by("name", "id")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        group = services.client_group_save(actor=request.user, data=dict(serializer.validated_data))
        return Response(self.get_serializer(group).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        group = self.get_object()
        serializer = self.get_serializer(group, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        group = services.client_group_save(
            actor=request.user,
            data=dict(serializer.validated_data),
            group=ClientGroup.objects.get(pk=group.pk),
            version=if_match(request),
        )
        return with_etag(Response(self.get_serializer(group).data), group)

    def retrieve(self, request, *args, **kwargs):
        group = self.get_object()
        return with_etag(Response(self.get_serializer(group).data), group)
