"""API of consent: the purposes and their wording; a client's consent states, history, and recording consent
given or withdrawn. Every client lookup starts from the caller's restricted queryset; others' clients are 404."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from rapport.clients import selectors as client_selectors
from rapport.clients.models import Client
from rapport.consent import selectors, services
from rapport.consent.api.serializers import (
    ConsentPurposeSerializer,
    ConsentRecordRequestSerializer,
    ConsentRecordSerializer,
    ConsentStateSerializer,
)
from rapport.consent.models import ConsentPurpose, ConsentRecord


class ConsentPurposeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The active consent purposes, each with its current wording."""

    serializer_class = ConsentPurposeSerializer
    queryset = ConsentPurpose.objects.none()
    filter_backends = []
    pagination_class = None

    def list(self, request, *args, **kwargs):
        purposes = selectors.purposes_with_wording(user=request.user)
        return Response(self.get_serializer(purposes, many=True).data)


def _client(request, client_pk) -> Client:
    try:
        return client_selectors.client_get(user=request.user, pk=client_pk)
    except Client.DoesNotExist as exc:
        raise Http404 from exc


class ClientConsentView(APIView):
    """A client's consent per purpose (GET), and recording consent given or withdrawn (POST)."""

    @extend_schema(responses={200: ConsentStateSerializer(many=True)})
    def get(self, request, client_pk: int):
        """The client's current state for every active purpose: the latest record, its wording and source."""
        client = _client(request, client_pk)
        return Response(ConsentStateSerializer(selectors.client_consent_states(client=client), many=True).data)

    @extend_schema(
        request=ConsentRecordRequestSerializer,
        responses={
            201: ConsentRecordSerializer,
            403: OpenApiResponse(description="Neither Management nor the client's manager."),
        },
    )
    def post(self, request, client_pk: int):
        """Record consent given or withdrawn with the purpose's current wording, now. Refused with
        ``consent_unchanged`` when that state already holds."""
        client = _client(request, client_pk)
        serializer = ConsentRecordRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record = services.consent_record(
            client=client,
            purpose=data["purpose"],
            granted=data["granted"],
            source=data["source"],
            note=data["note"],
            actor=request.user,
        )
        return Response(ConsentRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class ClientConsentRecordViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every consent record of a client, newest first (the history behind the current states)."""

    serializer_class = ConsentRecordSerializer
    queryset = ConsentRecord.objects.none()
    filter_backends = []

    def get_queryset(self):
        client = _client(self.request, self.kwargs["client_pk"])
        return selectors.consent_history(user=self.request.user, client=client)
