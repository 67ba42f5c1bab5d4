"""API of assignments: the history is read-only; creating one is the assign action."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from rapport.accounts.permissions import IsManagement
from rapport.assignment import services
from rapport.assignment.api.serializers import AssignmentCreateSerializer, AssignmentSerializer
from rapport.assignment.filtersets import AssignmentFilterSet
from rapport.assignment.models import Assignment
from rapport.clients.models import Client


class AssignmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Assignments of the clients the caller may see. POST assigns (Management only, under the hard rules)."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilterSet
    queryset = Assignment.objects.none()

    def get_queryset(self):
        return Assignment.objects.visible_to(self.request.user).order_by("-start_date", "-id")

    @extend_schema(request=AssignmentCreateSerializer, responses={201: AssignmentSerializer})
    def get_permissions(self):
        if self.action == "create":
            return [IsAuthenticated(), IsManagement()]
        return super().get_permissions()

    def create(self, request, *args, **kwargs):
        serializer = AssignmentCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        client = Client.objects.visible_to(request.user).filter(pk=data.pop("client")).first()
        if client is None:
            raise Http404
        assignment = services.assignment_create(client=client, actor=request.user, **data)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)
