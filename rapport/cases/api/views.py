"""API of interactions, cases and their timelines: parse, call a selector or service, serialize."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from rapport.accounts.roles import Role
from rapport.cases import selectors, services
from rapport.cases.api.serializers import (
    AcknowledgeSerializer,
    CaseCreateSerializer,
    CaseEventSerializer,
    CaseSerializer,
    InteractionCreateSerializer,
    InteractionSerializer,
    NoteSerializer,
    ReassignSerializer,
    ReopenSerializer,
    ResolveSerializer,
)
from rapport.cases.deletion import case_delete, case_restore
from rapport.cases.filtersets import CaseEventFilterSet, CaseFilterSet, InteractionFilterSet
from rapport.cases.lifecycle import Action, may_act
from rapport.cases.models import Case, CaseEvent, Interaction
from rapport.clients.models import Client
from rapport.core.conditional import ETAG, IF_MATCH, STALE_RESPONSE, if_match, versioned_retrieve, with_etag
from rapport.core.softdelete_api import SoftDeleteViewMixin


def _visible_client(request, pk: int) -> Client:
    client = Client.objects.visible_to(request.user).filter(pk=pk).first()
    if client is None:
        raise Http404
    return client


class InteractionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Interactions the caller may see. POST logs one (a client manager for themselves, Management for a manager)."""

    write_roles = (Role.MANAGEMENT, Role.CLIENT_MANAGER)

    serializer_class = InteractionSerializer
    filterset_class = InteractionFilterSet
    queryset = Interaction.objects.none()

    def get_queryset(self):
        return selectors.interaction_list(user=self.request.user, request=self.request)

    @extend_schema(request=InteractionCreateSerializer, responses={201: InteractionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = InteractionCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        client = _visible_client(request, data.pop("client"))
        request_rating = data.pop("request_rating")
        interaction = services.interaction_log(
            actor=request.user, client=client, data=data, request_rating=request_rating
        )
        return Response(InteractionSerializer(interaction).data, status=status.HTTP_201_CREATED)


# A lifecycle action with If-Match of an older version is refused with 409 and what changed.
TRANSITION_HEADERS = [IF_MATCH, ETAG]
TRANSITION_RESPONSES = {200: CaseSerializer, 409: STALE_RESPONSE}


class CaseViewSet(
    SoftDeleteViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Cases the caller may see. POST opens one (routed at once); the lifecycle moves only through the actions,
    each allowed to the handler or Management (reassign: Management only)."""

    write_roles = (Role.MANAGEMENT, Role.CLIENT_MANAGER)

    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet
    queryset = Case.objects.none()
    # DELETE soft-deletes, POST {id}/restore/ restores (Management; see ``rapport.core.softdelete_api``).
    delete_service = case_delete
    restore_service = case_restore
    service_argument = "case"

    def get_queryset(self):
        return selectors.case_list(user=self.request.user, request=self.request)

    def _render(self, case: Case, code=status.HTTP_200_OK) -> Response:
        fresh = selectors.case_get(user=self.request.user, pk=case.pk)
        return with_etag(Response(CaseSerializer(fresh).data, status=code), fresh)

    @versioned_retrieve()
    def retrieve(self, request, *args, **kwargs):
        case = self.get_object()
        return with_etag(Response(self.get_serializer(case).data), case)

    @extend_schema(request=CaseCreateSerializer, responses={201: CaseSerializer})
    def create(self, request, *args, **kwargs):
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        client = _visible_client(request, data.pop("client"))
        case = services.case_open(actor=request.user, client=client, data=data)
        return self._render(case, status.HTTP_201_CREATED)

    def _transition(self, request, action_name: Action, serializer_class) -> Response:
        case = self.get_object()
        if not may_act(case, request.user, action_name):
            # Before parsing: someone who may not act learns nothing from validation errors.
            raise PermissionDenied
        serializer = serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.case_transition(
            case=case, actor=request.user, action=action_name, version=if_match(request), **serializer.validated_data
        )
        return self._render(case)

    @extend_schema(request=AcknowledgeSerializer, parameters=TRANSITION_HEADERS, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"], filterset_class=None)
    def acknowledge(self, request, pk=None):
        """Acknowledge a new case with the problem statement."""
        return self._transition(request, Action.ACKNOWLEDGE, AcknowledgeSerializer)

    @extend_schema(request=NoteSerializer, parameters=TRANSITION_HEADERS, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"], filterset_class=None)
    def start(self, request, pk=None):
        """Start work on an acknowledged case."""
        return self._transition(request, Action.START, NoteSerializer)

    @extend_schema(request=ResolveSerializer, parameters=TRANSITION_HEADERS, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"], filterset_class=None)
    def resolve(self, request, pk=None):
        """Resolve the case with its resolution; the client is asked to rate the handler."""
        return self._transition(request, Action.RESOLVE, ResolveSerializer)

    @extend_schema(request=NoteSerializer, parameters=TRANSITION_HEADERS, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"], filterset_class=None)
    def close(self, request, pk=None):
        """Close a resolved case."""
        return self._transition(request, Action.CLOSE, NoteSerializer)

    @extend_schema(request=ReopenSerializer, parameters=TRANSITION_HEADERS, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"], filterset_class=None)
    def reopen(self, request, pk=None):
        """Reopen a resolved or closed case, with the reason."""
        return self._transition(request, Action.REOPEN, ReopenSerializer)

    @extend_schema(request=ReassignSerializer, parameters=TRANSITION_HEADERS, responses=TRANSITION_RESPONSES)
    @action(detail=True, methods=["post"], filterset_class=None)
    def reassign(self, request, pk=None):
        """Give an open case to another active manager (Management)."""
        return self._transition(request, Action.REASSIGN, ReassignSerializer)

    @extend_schema(responses={200: CaseEventSerializer(many=True)})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def events(self, request, pk=None):
        """The case's whole timeline, in time order."""
        case = self.get_object()
        events = case.events.select_related("actor", "manager").order_by("at", "id")
        return Response(CaseEventSerializer(events, many=True).data)


class CaseEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Timeline entries of the cases the caller may see (filter by case, kind, manager)."""

    serializer_class = CaseEventSerializer
    filterset_class = CaseEventFilterSet
    queryset = CaseEvent.objects.none()

    def get_queryset(self):
        return selectors.case_events(user=self.request.user)
