"""HR for client managers (capability C8): job description templates and versioned job descriptions,
requirement profiles and positions. Candidates, contracts and training live in ``candidate_models``,
``contract_models`` and ``training_models``; this module imports them so Django sees every model."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rapport.core.models import TimeStampedModel
from rapport.core.money import CURRENCIES
from rapport.hiring.choices import EducationField, EducationLevel, KnowledgeArea, Quality, Section
from rapport.hiring.querysets import HRReferenceQuerySet, JobDescriptionQuerySet, JobDescriptionVersionQuerySet
from rapport.managers.choices import ManagerLevel, ManagerType, WorkMode

CURRENCY_CHOICES = [(code, code) for code in CURRENCIES]
MONEY = {"max_digits": 14, "decimal_places": 2}
YEARS = {"max_digits": 4, "decimal_places": 1, "validators": [MinValueValidator(Decimal(0))]}

# Defaults of a requirement profile by level: minimum years of experience (a knock-out) and the years that earn
# full credit. Junior ≥ 1 and middle 3–5 come from the source document; senior is our reading (the top of the
# middle range as the minimum).
LEVEL_EXPERIENCE = {
    ManagerLevel.JUNIOR: (Decimal(1), Decimal(1)),
    ManagerLevel.MIDDLE: (Decimal(3), Decimal(5)),
    ManagerLevel.SENIOR: (Decimal(5), Decimal(8)),
}
LEVEL_RANGE = range(1, 6)  # knowledge levels and quality scores: 1 (weak) … 5 (excellent)
WEIGHT_RANGE = range(0, 11)  # the weight of one quality in a profile


def _section_field(section: Section, **kwargs) -> models.TextField:
    return models.TextField(section.label, blank=True, **kwargs)


class Sections(models.Model):
    """The eight sections of a job description, shared by templates and versions. Each is plain text; a line
    that starts with "-" is printed as a bullet."""

    purpose = _section_field(Section.PURPOSE)
    duties = _section_field(Section.DUTIES)
    rights = _section_field(Section.RIGHTS)
    responsibilities = _section_field(Section.RESPONSIBILITIES)
    knowledge = _section_field(Section.KNOWLEDGE)
    experience_education = _section_field(Section.EXPERIENCE_EDUCATION)
    qualities = _section_field(Section.QUALITIES)
    company_tasks = _section_field(Section.COMPANY_TASKS)

    class Meta:
        abstract = True

    def section_values(self) -> dict[str, str]:
        return {section: getattr(self, section) for section in Section.values}

    def full_text(self) -> str:
        """Every section's text, for the wording checker."""
        return "\n".join(self.section_values().values())


class JobDescriptionTemplate(Sections, TimeStampedModel):
    """A model job description for a manager type and level, in one language; job descriptions are made from it."""

    name = models.CharField(_("name"), max_length=150)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    manager_type = models.CharField(_("manager type"), max_length=20, choices=ManagerType.choices)
    level = models.CharField(_("level"), max_length=20, choices=ManagerLevel.choices)
    title = models.CharField(_("position title"), max_length=200)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = HRReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("job description template")
        verbose_name_plural = _("job description templates")
        ordering = ["language", "manager_type", "level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "language"],
                name="jdtemplate_unique_name_language",
                violation_error_message=_("A template with this name already exists in this language."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


class JobDescription(TimeStampedModel):
    """A job description for a position or for one person, made from a template and kept in versions; the
    latest issued version is the one in force."""

    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    manager_type = models.CharField(_("manager type"), max_length=20, choices=ManagerType.choices)
    level = models.CharField(_("level"), max_length=20, choices=ManagerLevel.choices)
    template = models.ForeignKey(
        JobDescriptionTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="job_descriptions",
    )
    position = models.ForeignKey(
        "hiring.Position",
        verbose_name=_("position"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="job_descriptions",
    )
    manager = models.ForeignKey(
        "managers.ClientManager",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="job_descriptions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = JobDescriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("job description")
        verbose_name_plural = _("job descriptions")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(position__isnull=True) | Q(manager__isnull=True),
                name="jobdescription_position_or_person",
                violation_error_message=_("A job description is for a position or for a person, not both."),
                violation_error_code="position_or_person",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.position_id and self.manager_id:
            raise ValidationError(
                _("A job description is for a position or for a person, not both."), code="position_or_person"
            )


class JobDescriptionVersion(Sections):
    """One version of a job description. A draft may be edited; issuing freezes it, and a later edit starts the
    next version. Contracts name the version they were signed with."""

    job_description = models.ForeignKey(
        JobDescription, verbose_name=_("job description"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = JobDescriptionVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("job description version")
        verbose_name_plural = _("job description versions")
        ordering = ["job_description", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["job_description", "number"], name="jdversion_unique_number"),
            models.UniqueConstraint(
                fields=["job_description"],
                condition=Q(issued_at__isnull=True),
                name="jdversion_one_draft",
                violation_error_message=_("This job description already has a draft."),
            ),
            models.CheckConstraint(
                condition=Q(issued_at__isnull=True) | Q(issued_by__isnull=False),
                name="jdversion_issued_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_description.title} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.issued_at is None


def _as_int(raw) -> int | None:
    """An integer from JSON or a form (``3`` or ``"3"``); anything else is ``None``."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    return None


def _check_map(value, *, choices, allowed: range, field: str, what) -> dict:
    """A JSON ``{key: int}`` map with known keys and values in ``allowed``; zero values are dropped, the keys are
    put in their listed order."""
    keys, labels = choices.values, dict(choices.choices)
    if not isinstance(value, dict):
        raise ValidationError({field: ValidationError(_("Expected a mapping."), code="invalid")})
    clean = {}
    for key, raw in value.items():
        if key not in keys:
            raise ValidationError({field: ValidationError(_("Unknown item: %(key)s.") % {"key": key}, code="invalid")})
        number = _as_int(raw)
        if number is None or (number != 0 and number not in allowed):
            message = what % {"key": labels[key], "low": allowed.start or 1, "high": allowed.stop - 1}
            raise ValidationError({field: ValidationError(message, code="out_of_range")})
        if number:
            clean[key] = number
    return {key: clean[key] for key in keys if key in clean}


class RequirementProfile(TimeStampedModel):
    """What a position asks of a candidate, and how much each part weighs in the fit score (see
    ``engine.fit`` and docs/hr.md). No age, sex, nationality or other protected characteristic can be asked."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    manager_type = models.CharField(_("manager type"), max_length=20, choices=ManagerType.choices, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=ManagerLevel.choices)
    min_experience_years = models.DecimalField(
        _("minimum years of experience"),
        help_text=_("Fewer years is a knock-out. The source document: junior ≥ 1, middle 3–5."),
        **YEARS,
    )
    full_experience_years = models.DecimalField(
        _("years for full credit"),
        help_text=_("More years earn no more points: experience is never capped from above."),
        **YEARS,
    )
    min_education = models.CharField(
        _("minimum education"),
        max_length=30,
        choices=EducationLevel.choices,
        default=EducationLevel.SECONDARY_PROFESSIONAL,
    )
    accepted_fields = models.JSONField(
        _("accepted fields of education"),
        default=list,
        blank=True,
        help_text=_("Empty: any field is accepted."),
    )
    preferred_field = models.CharField(
        _("preferred field of education"), max_length=20, choices=EducationField.choices, blank=True
    )
    knowledge = models.JSONField(_("required knowledge levels"), default=dict, blank=True)
    essential_areas = models.JSONField(
        _("essential knowledge areas"),
        default=list,
        blank=True,
        help_text=_("An essential area assessed below its required level is a knock-out."),
    )
    qualities = models.JSONField(_("weights of personal qualities"), default=dict, blank=True)
    client_base_groups = models.ManyToManyField(
        "clients.ClientGroup",
        verbose_name=_("fields that count for an own client base"),
        blank=True,
        related_name="+",
        help_text=_("The company's fields (client groups). Empty: a client base in any field counts."),
    )
    client_base_target = models.PositiveIntegerField(
        _("client base size for full credit"), default=20, validators=[MinValueValidator(1)]
    )
    weight_experience = models.PositiveSmallIntegerField(_("weight of experience"), default=20)
    weight_education = models.PositiveSmallIntegerField(_("weight of education"), default=10)
    weight_knowledge = models.PositiveSmallIntegerField(_("weight of knowledge"), default=35)
    weight_qualities = models.PositiveSmallIntegerField(_("weight of personal qualities"), default=25)
    weight_client_base = models.PositiveSmallIntegerField(_("weight of an own client base"), default=10)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"], m2m_fields=[client_base_groups])
    objects = HRReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("requirement profile")
        verbose_name_plural = _("requirement profiles")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(full_experience_years__gte=models.F("min_experience_years")),
                name="profile_full_experience_at_least_min",
                violation_error_message=_("The years for full credit cannot be fewer than the minimum."),
                violation_error_code="experience_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def total_weight(self) -> int:
        return (
            self.weight_experience
            + self.weight_education
            + self.weight_knowledge
            + self.weight_qualities
            + self.weight_client_base
        )

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}

        def collect(exc: ValidationError) -> None:
            for field, items in exc.error_dict.items():
                errors.setdefault(field, []).extend(items)

        try:
            self.knowledge = _check_map(
                self.knowledge,
                choices=KnowledgeArea,
                allowed=LEVEL_RANGE,
                field="knowledge",
                what=_("The required level of %(key)s must be from %(low)d to %(high)d."),
            )
        except ValidationError as exc:
            collect(exc)
        try:
            self.qualities = _check_map(
                self.qualities,
                choices=Quality,
                allowed=WEIGHT_RANGE,
                field="qualities",
                what=_("The weight of %(key)s must be from %(low)d to %(high)d."),
            )
        except ValidationError as exc:
            collect(exc)
        fields = self.accepted_fields or []
        if not isinstance(fields, list) or any(f not in EducationField.values for f in fields):
            errors.setdefault("accepted_fields", []).append(
                ValidationError(_("Choose fields of education from the list."), code="invalid_choice")
            )
        else:
            self.accepted_fields = [f for f in EducationField.values if f in fields]
        if self.preferred_field and self.accepted_fields and self.preferred_field not in self.accepted_fields:
            errors.setdefault("preferred_field", []).append(
                ValidationError(_("The preferred field must be one of the accepted fields."), code="invalid_choice")
            )
        essential = self.essential_areas or []
        knowledge = self.knowledge if isinstance(self.knowledge, dict) else {}
        if not isinstance(essential, list) or any(area not in knowledge for area in essential):
            errors.setdefault("essential_areas", []).append(
                ValidationError(_("An essential area needs a required level."), code="invalid_choice")
            )
        else:
            self.essential_areas = [a for a in KnowledgeArea.values if a in essential]
        if (
            self.min_experience_years is not None
            and self.full_experience_years is not None
            and self.full_experience_years < self.min_experience_years
        ):
            errors.setdefault("full_experience_years", []).append(
                ValidationError(
                    _("The years for full credit cannot be fewer than the minimum."), code="experience_range"
                )
            )
        if self.total_weight == 0:
            errors.setdefault("weight_experience", []).append(
                ValidationError(_("At least one part of the profile needs a weight."), code="invalid_weights")
            )
        if errors:
            raise ValidationError(errors)


class Position(TimeStampedModel):
    """A position HR hires for: its manager type, level and work mode, its requirement profile and job
    description, the pay range offered, and — while it is open — the vacancy text (checked for discriminatory
    wording whenever it is saved)."""

    title = models.CharField(_("title"), max_length=200)
    manager_type = models.CharField(_("manager type"), max_length=20, choices=ManagerType.choices)
    level = models.CharField(_("level"), max_length=20, choices=ManagerLevel.choices)
    work_mode = models.CharField(_("work mode"), max_length=20, choices=WorkMode.choices, default=WorkMode.PERSONAL)
    profile = models.ForeignKey(
        RequirementProfile,
        verbose_name=_("requirement profile"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, default="HUF")
    pay_min = models.DecimalField(_("pay offered from (per month)"), null=True, blank=True, **MONEY)
    pay_max = models.DecimalField(_("pay offered up to (per month)"), null=True, blank=True, **MONEY)
    is_open = models.BooleanField(_("open for applications"), default=True)
    ad_text = models.TextField(_("vacancy text"), blank=True)
    ad_reviewed_at = models.DateTimeField(_("wording reviewed at"), null=True, blank=True)
    ad_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("wording reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = HRReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["-is_open", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pay_min__isnull=True) | Q(pay_max__isnull=True) | Q(pay_min__lte=models.F("pay_max")),
                name="position_pay_min_le_max",
                violation_error_message=_("The pay range starts above its end."),
                violation_error_code="pay_range",
            )
        ]

    def __str__(self) -> str:
        return self.title


from rapport.hiring.candidate_models import (  # noqa: E402
    Assessment,
    Candidate,
    ClientBaseEntry,
    FitEvaluation,
)
from rapport.hiring.contract_models import ContractAmendment, EmploymentContract  # noqa: E402
from rapport.hiring.training_models import ManagerKnowledge, Training, TrainingParticipant  # noqa: E402

__all__ = [
    "Assessment",
    "Candidate",
    "ClientBaseEntry",
    "ContractAmendment",
    "EmploymentContract",
    "FitEvaluation",
    "JobDescription",
    "JobDescriptionTemplate",
    "JobDescriptionVersion",
    "ManagerKnowledge",
    "Position",
    "RequirementProfile",
    "Training",
    "TrainingParticipant",
]
