"""Pages of training: the catalogue, a training with its participants' attendance and completion, the reports
for HR and Management (training by manager, spend by month), and a manager's development (assessed knowledge,
gaps against the requirement profile, suggested trainings)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rapport.accounts import roles
from rapport.core.forms import add_service_errors
from rapport.core.htmx import htmx_partial
from rapport.core.pagination import page_from_request
from rapport.hiring import selectors, training
from rapport.hiring.filtersets import TrainingFilterSet
from rapport.hiring.forms import KnowledgeForm, ParticipantAddForm, ParticipantForm, TrainingForm
from rapport.hiring.models import EmploymentContract, JobDescription, ManagerKnowledge, Training, TrainingParticipant
from rapport.hiring.views import require_hr, require_reader, visible_or_404
from rapport.managers.models import ClientManager


@login_required
def training_list(request):
    require_reader(request)
    filterset = TrainingFilterSet(data=request.GET or None, queryset=Training.objects.none())
    queryset = selectors.training_list(user=request.user, filters=request.GET.dict())
    context = {"filterset": filterset, **page_from_request(request, queryset)}
    template = htmx_partial(request, "hiring/training_list.html", "hiring/_training_results.html")
    return render(request, template, context)


@login_required
def training_detail(request, pk):
    require_reader(request)
    item = visible_or_404(Training.objects.visible_to(request.user).select_related("created_by"), pk)
    participants = list(selectors.participants_of(item, user=request.user))
    for participant in participants:
        participant.form = ParticipantForm(
            initial={"status": participant.status, "completed_on": participant.completed_on, "note": participant.note},
            prefix=f"p{participant.pk}",
        )
    context = {
        "training": item,
        "participants": participants,
        "add_form": ParticipantAddForm(user=request.user, training=item) if roles.is_hr(request.user) else None,
        "can_edit": roles.is_hr(request.user),
    }
    return render(request, "hiring/training_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def training_edit(request, pk=None):
    require_hr(request)
    item = visible_or_404(Training.objects.visible_to(request.user), pk) if pk else None
    form = TrainingForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            item = training.training_save(actor=request.user, data=form.service_data(), training=item)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Training saved."))
            return redirect("hiring:training", pk=item.pk)
    return render(request, "hiring/training_form.html", {"form": form, "training": item})


@login_required
@require_POST
def participant_add(request, pk):
    require_hr(request)
    item = visible_or_404(Training.objects.visible_to(request.user), pk)
    form = ParticipantAddForm(request.POST, user=request.user, training=item)
    if form.is_valid():
        try:
            training.participant_add(actor=request.user, training=item, manager=form.cleaned_data["manager"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose a manager."))
    return redirect("hiring:training", pk=item.pk)


@login_required
@require_POST
def participant_update(request, pk, participant):
    require_hr(request)
    row = visible_or_404(TrainingParticipant.objects.visible_to(request.user).filter(training_id=pk), participant)
    if "remove" in request.POST:
        try:
            training.participant_remove(actor=request.user, participant=row)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("hiring:training", pk=pk)
    form = ParticipantForm(request.POST, prefix=f"p{row.pk}")
    if form.is_valid():
        try:
            training.participant_update(
                actor=request.user,
                participant=row,
                status=form.cleaned_data["status"],
                completed_on=form.cleaned_data["completed_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Attendance saved for %(name)s.") % {"name": row.manager.name})
    return redirect("hiring:training", pk=pk)


@login_required
def training_report(request):
    """Training by manager and spend by month, for a year (HR and Management)."""
    require_reader(request)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    context = {
        "year": year,
        "years": list(range(today.year + 1, today.year - 5, -1)),
        "by_manager": selectors.training_by_manager(user=request.user, year=year),
        "by_month": selectors.training_spend_by_month(user=request.user, year=year),
    }
    return render(request, "hiring/training_report.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def manager_development(request, pk):
    """A manager seen by HR: job description, contracts, assessed knowledge against the profile, trainings."""
    require_hr(request)
    manager = visible_or_404(ClientManager.objects.visible_to(request.user).select_related("user"), pk)
    levels = dict(ManagerKnowledge.objects.filter(manager=manager).values_list("area", "level"))
    form = KnowledgeForm(request.POST or None, initial={f"k_{area}": level for area, level in levels.items()})
    if request.method == "POST" and form.is_valid():
        try:
            training.knowledge_set(
                actor=request.user, manager=manager, levels=form.levels(), assessed_on=form.cleaned_data["assessed_on"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Assessed knowledge saved."))
            return redirect("hiring:manager", pk=manager.pk)
    profile = selectors.manager_profile(manager)
    gaps = selectors.knowledge_gaps(manager, profile)
    context = {
        "manager": manager,
        "form": form,
        "profile": profile,
        "gaps": gaps,
        "suggestions": selectors.suggested_trainings(manager, gaps),
        "version": selectors.manager_job_version(manager),
        "jobs": JobDescription.objects.visible_to(request.user).filter(manager=manager),
        "contracts": EmploymentContract.objects.visible_to(request.user)
        .filter(manager=manager)
        .order_by("-start_date"),
        "participations": manager.trainings.select_related("training").order_by("-training__starts_on"),
    }
    return render(request, "hiring/manager_development.html", context)
