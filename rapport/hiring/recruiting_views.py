"""Pages of recruiting: requirement profiles, positions with their vacancy text and ranking, candidates with
their assessments, fit, pay, client base, hiring and anonymisation, and the live wording check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rapport.accounts import roles
from rapport.clients.selectors import history_diffs
from rapport.core.forms import add_service_errors
from rapport.core.htmx import htmx_partial
from rapport.core.pagination import page_from_request
from rapport.hiring import clientbase, hire, recruiting, retention, selectors
from rapport.hiring.adcheck import check_text
from rapport.hiring.choices import EntryStatus, KnowledgeArea, Quality
from rapport.hiring.explain import flags_as_dicts, number_text
from rapport.hiring.filtersets import CandidateFilterSet, PositionFilterSet
from rapport.hiring.forms import (
    AssessmentForm,
    CandidateForm,
    ClientBaseForm,
    EvaluateForm,
    HireForm,
    PositionForm,
    ProfileForm,
    StatusForm,
)
from rapport.hiring.models import Assessment, Candidate, ClientBaseEntry, FitEvaluation, Position, RequirementProfile
from rapport.hiring.pay import pay_checks
from rapport.hiring.views import require_hr, require_reader, visible_or_404

# ---------------------------------------------------------------------------------------------------------------
# Requirement profiles
# ---------------------------------------------------------------------------------------------------------------


@login_required
def profile_list(request):
    require_reader(request)
    profiles = RequirementProfile.objects.visible_to(request.user).prefetch_related("positions").order_by("name")
    return render(request, "hiring/profile_list.html", {"profiles": profiles})


@login_required
def profile_detail(request, pk):
    require_reader(request)
    profile = visible_or_404(RequirementProfile.objects.visible_to(request.user), pk)
    knowledge = [
        (label, profile.knowledge[value], value in profile.essential_areas)
        for value, label in KnowledgeArea.choices
        if value in profile.knowledge
    ]
    qualities = [(label, profile.qualities[value]) for value, label in Quality.choices if value in profile.qualities]
    context = {
        "profile": profile,
        "knowledge": knowledge,
        "qualities": qualities,
        "positions": profile.positions.all(),
        "groups": profile.client_base_groups.all(),
    }
    return render(request, "hiring/profile_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, pk=None):
    require_hr(request)
    profile = visible_or_404(RequirementProfile.objects.visible_to(request.user), pk) if pk else None
    form = ProfileForm(request.POST or None, instance=profile, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            profile = recruiting.profile_save(actor=request.user, data=form.service_data(), profile=profile)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Requirement profile saved."))
            return redirect("hiring:profile", pk=profile.pk)
    return render(request, "hiring/profile_form.html", {"form": form, "profile": profile})


# ---------------------------------------------------------------------------------------------------------------
# Positions
# ---------------------------------------------------------------------------------------------------------------


@login_required
def position_list(request):
    require_reader(request)
    queryset = Position.objects.visible_to(request.user).select_related("profile")
    filterset = PositionFilterSet(data=request.GET or None, queryset=queryset)
    return render(request, "hiring/position_list.html", {"filterset": filterset, "positions": filterset.qs})


@login_required
def position_detail(request, pk):
    """A position: its profile, job descriptions, vacancy text with its flags and — for HR — the ranking."""
    require_reader(request)
    position = visible_or_404(Position.objects.visible_to(request.user).select_related("profile"), pk)
    context = {
        "position": position,
        "flags": flags_as_dicts(check_text(position.ad_text)),
        "jobs": position.job_descriptions.all(),
    }
    if position.profile_id and roles.is_hr(request.user):
        context["ranking"] = selectors.ranking(user=request.user, profile=position.profile, position=position)
    return render(request, "hiring/position_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def position_edit(request, pk=None):
    require_hr(request)
    position = visible_or_404(Position.objects.visible_to(request.user), pk) if pk else None
    form = PositionForm(request.POST or None, instance=position, user=request.user)
    flags = []
    if request.method == "POST" and form.is_valid():
        flags = flags_as_dicts(check_text(form.cleaned_data["ad_text"]))
        try:
            position = recruiting.position_save(
                actor=request.user,
                data=form.service_data(),
                position=position,
                confirm_wording=form.cleaned_data["confirm_wording"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Position saved."))
            return redirect("hiring:position", pk=position.pk)
    elif position is not None:
        flags = flags_as_dicts(check_text(position.ad_text))
    return render(request, "hiring/position_form.html", {"form": form, "position": position, "flags": flags})


@login_required
@require_POST
def ad_check(request):
    """The wording check of a text as the user types (htmx): each flagged phrase with why."""
    require_hr(request)
    text = request.POST.get("text") or request.POST.get("ad_text") or ""
    return render(request, "hiring/_ad_flags.html", {"flags": flags_as_dicts(check_text(text))})


# ---------------------------------------------------------------------------------------------------------------
# Candidates
# ---------------------------------------------------------------------------------------------------------------


def _candidate(request, pk) -> Candidate:
    require_hr(request)
    return visible_or_404(
        Candidate.objects.visible_to(request.user).select_related(
            "position__profile", "client_base_group", "hired_manager__user"
        ),
        pk,
    )


@login_required
def candidate_list(request):
    require_hr(request)
    filterset = CandidateFilterSet(data=request.GET or None, queryset=Candidate.objects.none())
    queryset = selectors.candidate_list(user=request.user, filters=request.GET.dict())
    context = {"filterset": filterset, **page_from_request(request, queryset)}
    template = htmx_partial(request, "hiring/candidate_list.html", "hiring/_candidate_results.html")
    return render(request, template, context)


@login_required
def candidate_detail(request, pk):
    """A candidate: the facts, the interviewers' scores, the fit against the position's profile explained line
    by line, pay against the bands, the client base, and the decisions."""
    candidate = _candidate(request, pk)
    profile = candidate.position.profile if candidate.position_id else None
    result = None
    if profile is not None:
        result = recruiting.evaluate(profile=profile, candidates=[candidate])[candidate.pk]
    entries = list(candidate.client_base.all())
    context = {
        "candidate": candidate,
        "scores": selectors.score_table(candidate),
        "profile": profile,
        "result": result,
        "lines": [line.as_dict() for line in result.lines] if result else [],
        "evaluations": FitEvaluation.objects.visible_to(request.user)
        .filter(candidate=candidate)
        .select_related("profile", "evaluated_by")[:10],
        "pay": pay_checks(candidate),
        "entries": entries,
        "entry_counts": {status: sum(1 for e in entries if e.status == status) for status in EntryStatus.values},
        "status_form": StatusForm(initial={"status": candidate.status}),
        "evaluate_form": EvaluateForm(user=request.user, initial={"profile": profile}),
        "history": history_diffs(
            candidate.history.select_related("history_user").order_by("-history_date", "-history_id")[:30]
        ),
    }
    return render(request, "hiring/candidate_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def candidate_edit(request, pk=None):
    require_hr(request)
    candidate = _candidate(request, pk) if pk else None
    initial = {"position": request.GET.get("position")} if candidate is None and request.GET.get("position") else None
    form = CandidateForm(request.POST or None, instance=candidate, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = recruiting.candidate_save(actor=request.user, data=form.service_data(), candidate=candidate)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Candidate saved."))
            return redirect("hiring:candidate", pk=candidate.pk)
    return render(request, "hiring/candidate_form.html", {"form": form, "candidate": candidate})


@login_required
@require_http_methods(["GET", "POST"])
def candidate_assess(request, pk):
    """Record one interviewer's scores (their earlier ones are replaced)."""
    candidate = _candidate(request, pk)
    interviewer = request.POST.get("interviewer") or request.GET.get("interviewer") or request.user.pk
    initial = {"interviewer": interviewer}
    earlier = Assessment.objects.filter(candidate=candidate, interviewer_id=interviewer).first()
    if earlier is not None:
        initial.update({f"k_{k}": v for k, v in earlier.knowledge.items()})
        initial.update({f"q_{k}": v for k, v in earlier.qualities.items()})
        initial.update(assessed_on=earlier.assessed_on, note=earlier.note)
    form = AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            recruiting.assessment_save(
                actor=request.user,
                candidate=candidate,
                interviewer=form.cleaned_data["interviewer"],
                assessed_on=form.cleaned_data["assessed_on"],
                knowledge=form.scores("k_", KnowledgeArea.values),
                qualities=form.scores("q_", Quality.values),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Assessment saved."))
            return redirect("hiring:candidate", pk=candidate.pk)
    return render(request, "hiring/assessment_form.html", {"form": form, "candidate": candidate})


@login_required
@require_POST
def candidate_evaluate(request, pk):
    """Keep the fit against a profile as evaluated now."""
    candidate = _candidate(request, pk)
    form = EvaluateForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose a requirement profile."))
        return redirect("hiring:candidate", pk=candidate.pk)
    try:
        evaluation = recruiting.candidate_evaluate(
            actor=request.user, candidate=candidate, profile=form.cleaned_data["profile"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("hiring:candidate", pk=candidate.pk)
    messages.success(request, _("Evaluated: fit score %(score)s.") % {"score": number_text(evaluation.record.score)})
    return redirect("hiring:evaluation", pk=candidate.pk, evaluation=evaluation.record.pk)


@login_required
def evaluation_detail(request, pk, evaluation):
    candidate = _candidate(request, pk)
    record = visible_or_404(
        FitEvaluation.objects.visible_to(request.user).filter(candidate=candidate).select_related("profile"), evaluation
    )
    return render(
        request, "hiring/evaluation_detail.html", {"candidate": candidate, "evaluation": record, "lines": record.lines}
    )


@login_required
@require_POST
def candidate_status(request, pk):
    candidate = _candidate(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            recruiting.candidate_set_status(
                actor=request.user,
                candidate=candidate,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Status changed."))
    return redirect("hiring:candidate", pk=candidate.pk)


@login_required
@require_http_methods(["GET", "POST"])
def candidate_client_base(request, pk):
    """Import the candidate's own client base from CSV and confirm similar names."""
    candidate = _candidate(request, pk)
    form = ClientBaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and "confirm" in request.POST:
        entry = visible_or_404(
            ClientBaseEntry.objects.visible_to(request.user).filter(candidate=candidate), request.POST["confirm"]
        )
        try:
            clientbase.client_base_confirm(actor=request.user, entry=entry, confirmed=request.POST.get("value") == "1")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("hiring:client_base", pk=candidate.pk)
    if request.method == "POST" and form.is_valid():
        try:
            result = clientbase.client_base_import(
                actor=request.user, candidate=candidate, content=form.cleaned_data["file"].read()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "%(total)d rows: %(new)d new to the company, %(similar)d similar to a client, "
                    "%(duplicate)d already clients, %(skipped)d skipped."
                )
                % {
                    "total": result.total,
                    "new": result.new,
                    "similar": result.similar,
                    "duplicate": result.duplicate,
                    "skipped": result.skipped,
                },
            )
            return redirect("hiring:client_base", pk=candidate.pk)
    entries = candidate.client_base.order_by("row")
    return render(request, "hiring/client_base.html", {"candidate": candidate, "form": form, "entries": entries})


@login_required
@require_http_methods(["GET", "POST"])
def candidate_hire(request, pk):
    """Hire: the account, the manager profile and the prospects in one step."""
    candidate = _candidate(request, pk)
    form = HireForm(request.POST or None, initial=hire.hire_defaults(candidate) | {"convert_client_base": True})
    if request.method == "POST" and form.is_valid():
        try:
            result = hire.candidate_hire(
                actor=request.user,
                candidate=candidate,
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                data=form.service_data(),
                convert_client_base=form.cleaned_data["convert_client_base"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            text = _("%(name)s is hired: a client manager with the account %(username)s.") % {
                "name": result.manager.name,
                "username": result.manager.user.username,
            }
            if result.prospects.created or result.prospects.refused:
                text += " " + _("%(created)d prospects from their client base; %(refused)d already clients.") % {
                    "created": result.prospects.created,
                    "refused": result.prospects.refused,
                }
            text += " " + _("The account has no password yet: an administrator sets one.")
            messages.success(request, text)
            return redirect("hiring:candidate", pk=candidate.pk)
    counting = sum(1 for entry in candidate.client_base.all() if entry.counts)
    return render(request, "hiring/hire_form.html", {"form": form, "candidate": candidate, "counting": counting})


@login_required
@require_POST
def candidate_anonymise(request, pk):
    """Anonymise a candidate now (on their request, or when HR no longer needs the data)."""
    candidate = _candidate(request, pk)
    try:
        retention.candidate_anonymise(actor=request.user, candidate=candidate, reason="request")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The candidate's personal data has been removed."))
    return redirect("hiring:candidate", pk=candidate.pk)
