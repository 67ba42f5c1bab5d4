"""Pages of HR: the HR overview, "My job" of a client manager, job description templates and job descriptions
with their HTML and PDF documents. Candidates and positions are in ``recruiting_views``, contracts in
``contract_views``, training in ``training_views``. Views parse input, call a selector or service, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rapport.accounts import roles
from rapport.core.forms import add_service_errors
from rapport.core.htmx import htmx_partial
from rapport.core.pagination import page_from_request
from rapport.hiring import jobs, selectors
from rapport.hiring.choices import OPEN_CANDIDATE_STATUSES, Section
from rapport.hiring.documents import blocks, job_description_pdf, job_document
from rapport.hiring.filtersets import JobDescriptionFilterSet, TemplateFilterSet
from rapport.hiring.forms import JobDescriptionCreateForm, SectionsForm, TemplateForm
from rapport.hiring.models import (
    Candidate,
    JobDescription,
    JobDescriptionTemplate,
    JobDescriptionVersion,
    Position,
    Training,
)
from rapport.hiring.retention import expired_candidates
from rapport.managers.models import ClientManager


def require_hr(request) -> None:
    if not roles.is_hr(request.user):
        raise PermissionDenied


def require_reader(request) -> None:
    """HR, and Management (who reads job descriptions, profiles, positions and training reports)."""
    if not roles.sees_hr_reports(request.user):
        raise PermissionDenied


def visible_or_404(queryset, pk):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


@login_required
def overview(request):
    """HR's desk: open positions, candidates, contracts whose manager must still leave, coming trainings."""
    require_reader(request)
    user = request.user
    today = timezone.localdate()
    context = {
        "positions": Position.objects.visible_to(user)
        .filter(is_open=True)
        .annotate(open_candidates=Count("candidates", filter=Q(candidates__status__in=OPEN_CANDIDATE_STATUSES)))
        .order_by("title")[:20],
        "awaiting_departure": selectors.contracts_awaiting_departure(user=user),
        "trainings": Training.objects.visible_to(user).filter(ends_on__gte=today).order_by("starts_on")[:8],
        "today": today,
    }
    if roles.is_hr(user):
        candidates = Candidate.objects.visible_to(user)
        context["open_candidates"] = candidates.filter(status__in=OPEN_CANDIDATE_STATUSES).count()
        context["retention_due"] = expired_candidates().count()
    return render(request, "hiring/overview.html", context)


@login_required
def my_job(request):
    """A client manager's own job description in force, contract, trainings and suggested trainings."""
    manager = ClientManager.objects.filter(user_id=request.user.pk).select_related("user").first()
    if manager is None or not roles.is_client_manager(request.user):
        raise PermissionDenied
    gaps = selectors.knowledge_gaps(manager)
    version = selectors.manager_job_version(manager)
    context = {
        "manager": manager,
        "version": version,
        "document": job_document(version) if version else None,
        "contract": selectors.current_contract(manager),
        "participations": manager.trainings.select_related("training").order_by("-training__starts_on"),
        "gaps": gaps,
        "suggestions": selectors.suggested_trainings(manager, gaps),
    }
    return render(request, "hiring/my_job.html", context)


# ---------------------------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------------------------


@login_required
def template_list(request):
    require_reader(request)
    queryset = JobDescriptionTemplate.objects.visible_to(request.user)
    filterset = TemplateFilterSet(data=request.GET or None, queryset=queryset)
    context = {
        "filterset": filterset,
        **page_from_request(request, filterset.qs.order_by("language", "manager_type", "level", "name")),
    }
    template = htmx_partial(request, "hiring/template_list.html", "hiring/_template_results.html")
    return render(request, template, context)


@login_required
def template_detail(request, pk):
    require_reader(request)
    template = visible_or_404(JobDescriptionTemplate.objects.visible_to(request.user), pk)
    sections = [(str(Section(s).label), blocks(getattr(template, s))) for s in Section.values]
    return render(request, "hiring/template_detail.html", {"template": template, "sections": sections})


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, pk=None):
    require_hr(request)
    template = visible_or_404(JobDescriptionTemplate.objects.visible_to(request.user), pk) if pk else None
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            template = jobs.template_save(
                actor=request.user,
                data=form.service_data(),
                template=template,
                confirm_wording=form.cleaned_data["confirm_wording"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Template saved."))
            return redirect("hiring:template", pk=template.pk)
    return render(request, "hiring/template_form.html", {"form": form, "template": template})


# ---------------------------------------------------------------------------------------------------------------
# Job descriptions
# ---------------------------------------------------------------------------------------------------------------


def _job(request, pk) -> JobDescription:
    return visible_or_404(
        JobDescription.objects.visible_to(request.user).select_related("position", "manager__user", "template"), pk
    )


@login_required
def job_list(request):
    require_reader(request)
    filterset = JobDescriptionFilterSet(data=request.GET or None, queryset=JobDescription.objects.none())
    queryset = selectors.job_description_list(user=request.user, filters=request.GET.dict())
    context = {"filterset": filterset, **page_from_request(request, queryset)}
    template = htmx_partial(request, "hiring/job_list.html", "hiring/_job_results.html")
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def job_create(request):
    """A job description from a template, for a position or a person."""
    require_hr(request)
    initial = {key: request.GET[key] for key in ("template", "position", "manager") if request.GET.get(key)}
    form = JobDescriptionCreateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = jobs.job_description_create(
                actor=request.user,
                template=data["template"],
                title=data["title"],
                position=data["position"],
                manager=data["manager"],
                company_tasks=data["company_tasks"],
                confirm_wording=data["confirm_wording"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Job description created as a draft: review it, then issue it."))
            return redirect("hiring:job", pk=job.pk)
    return render(request, "hiring/job_create.html", {"form": form})


@login_required
def job_detail(request, pk):
    """A job description: the version in force, the draft, every version with its documents."""
    job = _job(request, pk)
    if not roles.sees_hr_reports(request.user):
        raise Http404  # a manager reads their versions through "My job" and the version pages
    versions = list(job.versions.select_related("created_by", "issued_by").order_by("-number"))
    current = next((v for v in versions if v.issued_at), None)
    draft = next((v for v in versions if v.issued_at is None), None)
    shown = draft or current
    context = {
        "job": job,
        "versions": versions,
        "current": current,
        "draft": draft,
        "document": job_document(shown) if shown else None,
        "shown": shown,
    }
    return render(request, "hiring/job_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def job_edit(request, pk):
    """Edit the draft (or start the next one from the version in force)."""
    require_hr(request)
    job = _job(request, pk)
    base = jobs.draft_version(job) or job.versions.order_by("-number").first()
    initial = {"title": job.title, **(base.section_values() if base else {})}
    if base is not None and base.is_draft:
        initial["note"] = base.note
    form = SectionsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            jobs.job_description_edit(
                actor=request.user,
                job=job,
                sections={section: data[section] for section in Section.values},
                title=data["title"],
                note=data["note"],
                confirm_wording=data["confirm_wording"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("hiring:job", pk=job.pk)
    return render(request, "hiring/job_edit.html", {"form": form, "job": job, "base": base})


@login_required
@require_POST
def job_issue(request, pk):
    require_hr(request)
    job = _job(request, pk)
    try:
        version = jobs.job_description_issue(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Version %(number)d is issued and in force.") % {"number": version.number})
    return redirect("hiring:job", pk=job.pk)


def _version(request, pk, number):
    try:
        return selectors.version_get(user=request.user, job_pk=pk, number=number)
    except JobDescriptionVersion.DoesNotExist as exc:  # out of scope is 404
        raise Http404 from exc


@login_required
def version_document(request, pk, number):
    """One version as an HTML document (printable)."""
    version = _version(request, pk, number)
    return render(request, "hiring/job_document.html", {"version": version, "document": job_document(version)})


@login_required
def version_pdf(request, pk, number):
    """One version as a PDF download."""
    version = _version(request, pk, number)
    response = HttpResponse(job_description_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="job-description-{pk}-v{number}.pdf"'
    return response
