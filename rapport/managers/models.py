"""Client managers (capability C1): the people who win, serve and keep the company's clients."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rapport.core.models import TimeStampedModel
from rapport.core.softdelete import AliveManager, SoftDeleteModel
from rapport.managers.choices import EmploymentStatus, ManagerLevel, ManagerType, WorkMode
from rapport.managers.querysets import ClientManagerQuerySet


def default_capacity(level: str) -> int:
    """The maximum number of personal clients for a manager of ``level`` when none is set."""
    return int(settings.RAPPORT["DEFAULT_CAPACITY"][level])


class ClientManager(SoftDeleteModel, TimeStampedModel):
    """A client manager's profile, linked one-to-one to their user account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="manager_profile",
    )
    manager_type = models.CharField(_("type"), max_length=20, choices=ManagerType.choices)
    level = models.CharField(_("level"), max_length=20, choices=ManagerLevel.choices, default=ManagerLevel.JUNIOR)
    work_mode = models.CharField(_("work mode"), max_length=20, choices=WorkMode.choices, default=WorkMode.POOL)
    vip_qualified = models.BooleanField(_("VIP-qualified"), default=False)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        blank=True,
        help_text=_("Maximum number of personal clients. Leave empty for the level's default."),
    )
    client_groups = models.ManyToManyField(
        "clients.ClientGroup", verbose_name=_("client groups served"), blank=True, related_name="managers"
    )
    employment_status = models.CharField(
        _("employment status"),
        max_length=20,
        choices=EmploymentStatus.choices,
        default=EmploymentStatus.ACTIVE,
    )
    status_since = models.DateField(_("status since"))
    hire_date = models.DateField(_("hire date"))
    dismissal_date = models.DateField(_("dismissal date"), null=True, blank=True)
    years_of_experience = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    external_id = models.CharField(
        _("external id"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text=_("The manager's id in another system; data imports match rows on it."),
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"], m2m_fields=[client_groups])
    objects = AliveManager.from_queryset(ClientManagerQuerySet)()
    # Deleted rows too: restore, purge, "Recently deleted" and personal data only.
    all_objects = models.Manager.from_queryset(ClientManagerQuerySet)()

    class Meta:
        verbose_name = _("client manager")
        verbose_name_plural = _("client managers")
        ordering = ["user__last_name", "user__first_name", "id"]
        indexes = [
            models.Index(fields=["deleted_at"], condition=Q(deleted_at__isnull=False), name="manager_deleted_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(employment_status=EmploymentStatus.DISMISSED) | Q(dismissal_date__isnull=False),
                name="manager_dismissed_has_date",
                violation_error_message=_("A dismissed manager needs a dismissal date."),
                violation_error_code="dismissal_date_required",
            ),
            models.CheckConstraint(
                condition=Q(dismissal_date__isnull=True) | Q(dismissal_date__gte=models.F("hire_date")),
                name="manager_dismissal_after_hire",
                violation_error_message=_("The dismissal date cannot be before the hire date."),
                violation_error_code="dismissal_before_hire",
            ),
        ]

    def __str__(self) -> str:
        return self.user.display_name

    @property
    def name(self) -> str:
        return self.user.display_name

    @property
    def is_active(self) -> bool:
        return self.employment_status == EmploymentStatus.ACTIVE

    @property
    def is_personal(self) -> bool:
        return self.work_mode == WorkMode.PERSONAL

    def clean(self) -> None:
        self.external_id = (self.external_id or "").strip() or None
        if self.capacity is None and self.level:
            self.capacity = default_capacity(self.level)
        if self.employment_status == EmploymentStatus.DISMISSED and not self.dismissal_date:
            raise ValidationError(
                {
                    "dismissal_date": ValidationError(
                        _("A dismissed manager needs a dismissal date."), code="dismissal_date_required"
                    )
                }
            )
        if self.employment_status != EmploymentStatus.DISMISSED:
            self.dismissal_date = None
