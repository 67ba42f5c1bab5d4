"""Pages of data import (Management): upload → map columns → dry-run report → confirm → result."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from rapport.accounts import roles
from rapport.core.forms import add_service_errors
from rapport.core.htmx import htmx_partial
from rapport.core.pagination import page_from_request
from rapport.dataio import services
from rapport.dataio.models import ImportJob, JobStatus
from rapport.dataio.report import Outcome
from rapport.dataio.schema import TARGETS, Kind

MAX_UPLOAD_BYTES = 512 * 1024 * 1024


def _management(request) -> None:
    if not roles.is_management(request.user):
        raise PermissionDenied


def _job(request, pk) -> ImportJob:
    job = ImportJob.objects.visible_to(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=Kind.CHOICES)
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is too large for the page; use the import command."), code="too_large"
            )
        return upload


class MappingForm(forms.Form):
    """One select per column of the file: the field it fills, or nothing."""

    def __init__(self, *args, job: ImportJob, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— skip this column —")), *((t.name, t.label) for t in TARGETS[job.kind])]
        self.headers = job.headers
        for index, header in enumerate(job.headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or _("(column %(n)s)") % {"n": index + 1},
                choices=choices,
                required=False,
                initial=job.mapping.get(header, ""),
            )

    def mapping(self) -> dict[str, str]:
        return {header: self.cleaned_data[f"column_{index}"] for index, header in enumerate(self.headers)}


@login_required
def job_list(request):
    """Recent imports, and the upload form."""
    _management(request)
    context = page_from_request(request, ImportJob.objects.visible_to(request.user).select_related("created_by"))
    context["form"] = UploadForm()
    return render(request, "dataio/job_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def job_upload(request):
    """Upload a file; its columns are guessed and the mapping page opens."""
    _management(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_create(
                actor=request.user, kind=form.cleaned_data["kind"], filename=upload.name, data=upload.read()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("dataio:map", pk=job.pk)
    return render(request, "dataio/upload.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def job_map(request, pk):
    """Choose the field of every column (guessed from the headers), then start the dry run."""
    _management(request)
    job = _job(request, pk)
    if job.is_running or job.status == JobStatus.DONE:
        return redirect("dataio:job", pk=job.pk)
    form = MappingForm(request.POST or None, job=job)
    if request.method == "POST" and form.is_valid():
        try:
            services.import_job_check(job=job, actor=request.user, mapping=form.mapping())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("dataio:job", pk=job.pk)
    preview = _preview(job)
    return render(request, "dataio/map.html", {"job": job, "form": form, "preview": preview})


def _preview(job: ImportJob, rows: int = 3) -> list[tuple]:
    from itertools import islice

    from rapport.dataio.readers import open_table

    try:
        return list(islice(open_table(bytes(job.data), job.filename).rows, rows))
    except ValidationError:
        return []


@login_required
def job_detail(request, pk):
    """A job: its progress while it runs, then its report (counts and rows, filterable by outcome)."""
    _management(request)
    job = _job(request, pk)
    if request.htmx and "progress" in request.GET:
        if job.is_running:
            return render(request, "dataio/_progress.html", {"job": job, "progress": services.job_progress(job)})
        response = HttpResponse()
        response["HX-Refresh"] = "true"
        return response
    outcome = request.GET.get("outcome", "")
    rows = job.rows.all()
    if outcome in Outcome.VALUES:
        rows = rows.filter(outcome=outcome)
    context = {
        "job": job,
        "outcome": outcome,
        "outcomes": Outcome.CHOICES,
        "counts": job.result_counts if job.status == JobStatus.DONE else job.checked_counts,
        "progress": services.job_progress(job) if job.is_running else None,
        **page_from_request(request, rows),
    }
    template = htmx_partial(request, "dataio/job_detail.html", "dataio/_rows.html")
    return render(request, template, context)


@login_required
@require_POST
def job_confirm(request, pk):
    """Import a checked job."""
    _management(request)
    job = _job(request, pk)
    try:
        services.import_job_confirm(job=job, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("dataio:job", pk=job.pk)
