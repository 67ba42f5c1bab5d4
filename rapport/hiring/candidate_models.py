"""Candidates for client-manager positions, the interviewers' assessments, the own client base a candidate brings,
and fit evaluations against requirement profiles.

A candidate deliberately has no field for age, birth date, sex, nationality, family status, religion, health or a
photo: what is not stored cannot be filtered, sorted or scored by (see docs/hr.md). Candidate data is kept for
``RAPPORT["CANDIDATE_RETENTION_DAYS"]`` after the last activity unless the candidate consented to be kept; then
``manage.py hiring anonymise`` removes it (``retention.py``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rapport.clients.choices import ClientKind
from rapport.core.models import TimeStampedModel
from rapport.hiring.choices import CandidateStatus, EducationField, EducationLevel, EntryStatus
from rapport.hiring.models import CURRENCY_CHOICES, MONEY, YEARS
from rapport.hiring.querysets import CandidateDataQuerySet


class Candidate(TimeStampedModel):
    """A person applying for a position (no protected characteristics: see the module docstring)."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    position = models.ForeignKey(
        "hiring.Position",
        verbose_name=_("position applied for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
    )
    status = models.CharField(_("status"), max_length=20, choices=CandidateStatus.choices, default=CandidateStatus.NEW)
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("Where the application came from."))
    years_of_experience = models.DecimalField(_("years of experience"), default=0, **YEARS)
    experience_note = models.TextField(_("experience"), blank=True)
    education_level = models.CharField(
        _("education"), max_length=30, choices=EducationLevel.choices, default=EducationLevel.GENERAL
    )
    education_field = models.CharField(
        _("field of education"), max_length=20, choices=EducationField.choices, blank=True
    )
    education_note = models.CharField(_("school, degree"), max_length=300, blank=True)
    client_base_size = models.PositiveIntegerField(
        _("own client base (clients)"), default=0, help_text=_("As declared; an imported list replaces it.")
    )
    client_base_group = models.ForeignKey(
        "clients.ClientGroup",
        verbose_name=_("field of the own client base"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, default="HUF")
    expected_pay = models.DecimalField(_("expected pay per month"), null=True, blank=True, **MONEY)
    offered_pay = models.DecimalField(_("offered pay per month"), null=True, blank=True, **MONEY)
    consent_to_keep = models.BooleanField(
        _("consented to be kept"),
        default=False,
        help_text=_("The candidate agreed that their data is kept beyond the retention period (for later vacancies)."),
    )
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    last_activity_at = models.DateTimeField(_("last activity"))
    hired_manager = models.OneToOneField(
        "managers.ClientManager",
        verbose_name=_("hired as"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidate",
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "last_activity_at"])
    objects = CandidateDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["status", "last_activity_at"], name="candidate_retention_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=CandidateStatus.HIRED) | Q(hired_manager__isnull=False),
                name="candidate_hired_has_manager",
                violation_error_message=_("A hired candidate is linked to their manager profile."),
            ),
            models.CheckConstraint(
                condition=Q(consent_to_keep=False) | Q(consent_on__isnull=False),
                name="candidate_consent_has_date",
                violation_error_message=_("Record the day the consent was given."),
                violation_error_code="consent_date_required",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.anonymised_at is not None:
            return gettext("Anonymised candidate #%(id)d") % {"id": self.pk}
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    def clean_fields(self, exclude=None) -> None:
        for name in ("first_name", "last_name", "email", "phone"):
            setattr(self, name, (getattr(self, name) or "").strip())
        self.email = self.email.lower()
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        from rapport.core.phones import normalize_phone

        if self.phone:
            try:
                self.phone = normalize_phone(self.phone)
            except ValidationError as exc:
                raise ValidationError({"phone": exc.error_list}) from exc
        if not self.consent_to_keep:
            self.consent_on = None


class Assessment(TimeStampedModel):
    """One interviewer's scores of a candidate, 1–5 per knowledge area and per personal quality (items not
    scored are left out). Several interviewers' scores are averaged item by item."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="assessments"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("interviewer"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField(_("interview date"))
    knowledge = models.JSONField(_("knowledge levels"), default=dict, blank=True)
    qualities = models.JSONField(_("quality scores"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = CandidateDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["candidate", "assessed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "interviewer"],
                name="assessment_one_per_interviewer",
                violation_error_message=_(
                    "This interviewer has already assessed the candidate: change that assessment."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.interviewer}"

    def clean(self) -> None:
        from rapport.hiring.choices import KnowledgeArea, Quality
        from rapport.hiring.models import LEVEL_RANGE, _check_map

        self.knowledge = _check_map(
            self.knowledge,
            choices=KnowledgeArea,
            allowed=LEVEL_RANGE,
            field="knowledge",
            what=_("The level of %(key)s must be from %(low)d to %(high)d."),
        )
        self.qualities = _check_map(
            self.qualities,
            choices=Quality,
            allowed=LEVEL_RANGE,
            field="qualities",
            what=_("The score of %(key)s must be from %(low)d to %(high)d."),
        )


class ClientBaseEntry(models.Model):
    """A client from the own client base a candidate brings (imported from CSV), checked against the company's
    clients with the pipeline's duplicate rules; on hiring a new one becomes a prospect of the new manager."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="client_base"
    )
    row = models.PositiveIntegerField(_("row"))
    kind = models.CharField(_("kind"), max_length=20, choices=ClientKind.choices, default=ClientKind.LEGAL_ENTITY)
    name = models.CharField(_("name"), max_length=200)
    registration_number = models.CharField(_("registration number"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.NEW)
    match_client = models.ForeignKey(
        "clients.Client",
        verbose_name=_("existing client"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    match_on = models.CharField(_("matched on"), max_length=30, blank=True)
    prospect = models.ForeignKey(
        "clients.Client",
        verbose_name=_("prospect"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    problem = models.CharField(_("problem"), max_length=300, blank=True)
    confirmed = models.BooleanField(
        _("confirmed as a different client"),
        default=False,
        help_text=_("HR has checked that a similar name is another client."),
    )

    objects = CandidateDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("client of a candidate's client base")
        verbose_name_plural = _("candidates' client bases")
        ordering = ["candidate", "row"]
        constraints = [models.UniqueConstraint(fields=["candidate", "row"], name="clientbase_unique_row")]

    def __str__(self) -> str:
        return self.name

    @property
    def match_on_label(self) -> str:
        """What the existing client matched on, in the reader's language."""
        from rapport.clients.models import Client

        if self.match_on in ("registration_number", "email", "phone", "name"):
            return str(Client._meta.get_field(self.match_on).verbose_name)
        return self.match_on

    @property
    def counts(self) -> bool:
        """Whether the entry counts as a client the candidate brings (not one the company already has)."""
        return self.status in (EntryStatus.NEW, EntryStatus.CONVERTED) or (
            self.status == EntryStatus.SIMILAR and self.confirmed
        )


class FitEvaluation(models.Model):
    """A candidate's fit score against a requirement profile as it was computed, with the facts it was computed
    from, so the figure can be explained later whatever changes afterwards."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="evaluations"
    )
    profile = models.ForeignKey(
        "hiring.RequirementProfile", verbose_name=_("requirement profile"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("fit score"), max_digits=5, decimal_places=1)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2)
    max_points = models.DecimalField(_("of points"), max_digits=8, decimal_places=2)
    knocked_out = models.BooleanField(_("knocked out"))
    complete = models.BooleanField(_("every item assessed"))
    lines = models.JSONField(_("explanation"), default=list)
    inputs = models.JSONField(_("inputs snapshot"), default=dict)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("evaluated by"), on_delete=models.PROTECT, related_name="+"
    )
    evaluated_at = models.DateTimeField(_("evaluated at"))

    objects = CandidateDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("fit evaluation")
        verbose_name_plural = _("fit evaluations")
        ordering = ["-evaluated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.candidate}: {self.score}"
