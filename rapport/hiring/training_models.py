"""Training of client managers (courses, seminars, invited trainers), who took part and how far, and the
knowledge levels HR has assessed for each manager — compared with their requirement profile, the gaps suggest
trainings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rapport.core.models import TimeStampedModel
from rapport.hiring.choices import KnowledgeArea, Participation, TrainingKind
from rapport.hiring.models import CURRENCY_CHOICES, MONEY
from rapport.hiring.querysets import ManagerKnowledgeQuerySet, ParticipantQuerySet, TrainingQuerySet


class Training(TimeStampedModel):
    """A course, a seminar or a session with an invited trainer: when, by whom, what it costs and which
    knowledge areas it covers."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=TrainingKind.choices, default=TrainingKind.COURSE)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    cost = models.DecimalField(_("cost"), default=0, validators=[MinValueValidator(0)], **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, default="HUF")
    knowledge_areas = models.JSONField(_("knowledge areas covered"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-starts_on", "title", "id"]
        indexes = [models.Index(fields=["starts_on"], name="training_starts_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="training_ends_after_start",
                violation_error_message=_("A training cannot end before it starts."),
                violation_error_code="dates_order",
            ),
            models.CheckConstraint(condition=Q(cost__gte=0), name="training_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        areas = self.knowledge_areas or []
        if not isinstance(areas, list) or any(area not in KnowledgeArea.values for area in areas):
            raise ValidationError(
                {"knowledge_areas": ValidationError(_("Choose knowledge areas from the list."), code="invalid_choice")}
            )
        self.knowledge_areas = [area for area in KnowledgeArea.values if area in areas]
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": ValidationError(_("A training cannot end before it starts."), code="dates_order")}
            )

    def get_knowledge_areas_display(self) -> list[str]:
        labels = dict(KnowledgeArea.choices)
        return [str(labels[area]) for area in self.knowledge_areas if area in labels]


class TrainingParticipant(TimeStampedModel):
    """A manager taking part in a training: enrolled, attended (or absent), completed."""

    training = models.ForeignKey(
        Training, verbose_name=_("training"), on_delete=models.PROTECT, related_name="participants"
    )
    manager = models.ForeignKey(
        "managers.ClientManager", verbose_name=_("manager"), on_delete=models.PROTECT, related_name="trainings"
    )
    status = models.CharField(
        _("attendance"), max_length=20, choices=Participation.choices, default=Participation.ENROLLED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("training participant")
        verbose_name_plural = _("training participants")
        ordering = ["training", "manager__user__last_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "manager"],
                name="participant_once_per_training",
                violation_error_message=_("This manager already takes part in the training."),
            ),
            models.CheckConstraint(
                condition=~Q(status=Participation.COMPLETED) | Q(completed_on__isnull=False),
                name="participant_completed_has_date",
                violation_error_message=_("A completed training needs its completion date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.manager} · {self.training}"


class ManagerKnowledge(TimeStampedModel):
    """A manager's level (1–5) in one knowledge area as HR last assessed it; carried over from the interviews on
    hiring, updated after reviews or trainings."""

    manager = models.ForeignKey(
        "managers.ClientManager", verbose_name=_("manager"), on_delete=models.PROTECT, related_name="knowledge"
    )
    area = models.CharField(_("knowledge area"), max_length=30, choices=KnowledgeArea.choices)
    level = models.DecimalField(
        _("level"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessed by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = ManagerKnowledgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessed knowledge")
        verbose_name_plural = _("assessed knowledge")
        ordering = ["manager", "area"]
        constraints = [
            models.UniqueConstraint(fields=["manager", "area"], name="knowledge_once_per_area"),
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=5), name="knowledge_level_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.manager} · {self.get_area_display()}: {self.level}"
