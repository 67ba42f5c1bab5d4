"""API of data imports (Management): upload a file as an import job (its dry run, or its import, runs in the
background as on the pages), follow its status and progress, read its per-row report, confirm a dry-run job."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from rapport.accounts.permissions import IsManagement
from rapport.dataio import services
from rapport.dataio.api import services as api_services
from rapport.dataio.api.serializers import (
    ImportJobSerializer,
    ImportRowQuerySerializer,
    ImportRowSerializer,
    ImportUploadSerializer,
)
from rapport.dataio.models import ImportJob

NOT_MANAGEMENT = OpenApiResponse(description="Only Management (and Admin) import data.")


class ImportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Import jobs, newest first (Management and Admin; others 403)."""

    serializer_class = ImportJobSerializer
    permission_classes = [IsAuthenticated, IsManagement]
    queryset = ImportJob.objects.none()
    filter_backends = []
    # Files come as multipart/form-data; no other body is taken (confirm has none).
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        # The file itself stays out of the answers: it may be large, and it is the uploader's.
        return ImportJob.objects.visible_to(self.request.user).defer("data")

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: ImportJobSerializer, 403: NOT_MANAGEMENT},
    )
    def create(self, request, *args, **kwargs):
        """Upload a file as a new import job and start its dry run (``dry_run``, the default) or its import; both
        run in the background. Columns are mapped by ``mapping``, else guessed from the headers. Follow the job with
        GET; confirm a checked dry run to import it."""
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        file = data["file"]
        job = api_services.import_job_upload(
            actor=request.user,
            kind=data["kind"],
            filename=file.name,
            data=file.read(),
            mapping=data.get("mapping"),
            dry_run=data["dry_run"],
        )
        return self._render(job, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={202: ImportJobSerializer, 403: NOT_MANAGEMENT})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Import a job whose dry run is done (status ``checked``); the import runs in the background. Refused
        with ``job_not_ready`` otherwise."""
        job = services.import_job_confirm(job=self.get_object(), actor=request.user)
        return self._render(job, status.HTTP_202_ACCEPTED)

    @extend_schema(parameters=[ImportRowQuerySerializer], responses={200: ImportRowSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def rows(self, request, pk=None):
        """The rows of the job's latest report (dry run, then import) in file order, optionally of one outcome.
        Every refused row is listed (up to 10,000), the others up to 2,000; the counts are always complete."""
        job = self.get_object()
        query = ImportRowQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = job.rows.order_by("line", "id")
        if query.validated_data.get("outcome"):
            rows = rows.filter(outcome=query.validated_data["outcome"])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ImportRowSerializer(page, many=True).data)

    def _render(self, job: ImportJob, code: int) -> Response:
        fresh = self.get_queryset().filter(pk=job.pk).first()
        if fresh is None:
            raise Http404
        return Response(ImportJobSerializer(fresh).data, status=code)
