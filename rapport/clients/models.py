"""Clients and client groups (capability C1)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rapport.clients.choices import ClientKind, ClientStatus, Motivation
from rapport.clients.querysets import ClientGroupQuerySet, ClientQuerySet
from rapport.clients.rules import TRIMMED_FIELDS, client_rule_errors, normalize_client_values
from rapport.core.models import TimeStampedModel
from rapport.core.names import name_key
from rapport.core.softdelete import AliveManager, SoftDeleteModel
from rapport.managers.choices import ManagerType


class ClientGroup(TimeStampedModel):
    """A segment of clients that should be served by managers of given types (e.g. "Retail", "Industry")."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    manager_types = models.JSONField(
        _("manager types"),
        default=list,
        blank=True,
        help_text=_("The manager types (advice, decision, partnership) that should serve this group."),
    )

    history = HistoricalRecords()
    objects = ClientGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("client group")
        verbose_name_plural = _("client groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        valid = set(ManagerType.values)
        types = self.manager_types or []
        if not isinstance(types, list) or any(t not in valid for t in types):
            raise ValidationError(
                {"manager_types": ValidationError(_("Choose manager types from the list."), code="invalid_choice")}
            )
        # Keep a stable order and no repeats.
        self.manager_types = [t for t in ManagerType.values if t in types]

    def get_manager_types_display(self) -> str:
        labels = dict(ManagerType.choices)
        return ", ".join(str(labels[t]) for t in self.manager_types)


class Client(SoftDeleteModel, TimeStampedModel):
    """An individual or a legal entity the company works with.

    Only legal entities can have a personal manager (see ``assignment``). VIP status and the client group are set
    by Management; the motivation is determined by the manager who works with the client.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=ClientKind.choices, default=ClientKind.LEGAL_ENTITY)
    name = models.CharField(_("name"), max_length=200)
    registration_number = models.CharField(
        _("registration number"),
        max_length=50,
        blank=True,
        help_text=_("Company registration number; required for legal entities."),
    )
    tax_number = models.CharField(_("tax number"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. HU."))
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of messages to the client; empty means the company's default."),
    )
    name_key = models.CharField(_("name key"), max_length=200, blank=True, editable=False)
    group = models.ForeignKey(
        ClientGroup,
        verbose_name=_("client group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
    )
    status = models.CharField(_("status"), max_length=20, choices=ClientStatus.choices, default=ClientStatus.PROSPECT)

    is_vip = models.BooleanField(_("VIP"), default=False)
    vip_since = models.DateField(_("VIP since"), null=True, blank=True)
    vip_reason = models.CharField(_("VIP reason"), max_length=200, blank=True)
    vip_terms = models.TextField(_("special cooperation terms"), blank=True)

    motivation = models.CharField(
        _("motivation"), max_length=20, choices=Motivation.choices, default=Motivation.UNKNOWN
    )
    motivation_determined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("motivation determined by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    motivation_determined_at = models.DateTimeField(_("motivation determined at"), null=True, blank=True)
    motivation_note = models.TextField(_("motivation note"), blank=True)

    acquired_by = models.ForeignKey(
        "managers.ClientManager",
        verbose_name=_("acquired by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acquired_clients",
    )
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)
    external_id = models.CharField(
        _("external id"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text=_("The client's id in another system; data imports match rows on it."),
    )
    anonymised_at = models.DateTimeField(
        _("anonymised at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the client's personal data was erased; an anonymised client cannot be edited."),
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "name_key"])
    objects = AliveManager.from_queryset(ClientQuerySet)()
    # Deleted rows too: restore, purge, "Recently deleted" and personal data only.
    all_objects = models.Manager.from_queryset(ClientQuerySet)()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["name", "id"], name="client_name_idx"),
            models.Index(fields=["registration_number"], name="client_regno_idx"),
            models.Index(fields=["status", "kind"], name="client_status_kind_idx"),
            models.Index(fields=["name_key"], name="client_name_key_idx"),
            models.Index(fields=["email"], name="client_email_idx"),
            models.Index(fields=["phone"], name="client_phone_idx"),
            # A group's page by name (the API's ?group= with or without a status) without sorting the whole group.
            models.Index(fields=["group", "name", "id"], name="client_group_name_idx"),
            models.Index(fields=["deleted_at"], condition=Q(deleted_at__isnull=False), name="client_deleted_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=Q(kind=ClientKind.LEGAL_ENTITY),
                name="client_unique_registration_number",
                violation_error_message=_("A legal entity with this registration number already exists."),
                violation_error_code="duplicate_registration_number",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ClientKind.LEGAL_ENTITY) | ~Q(registration_number=""),
                name="client_legal_entity_has_registration_number",
                violation_error_message=_("A legal entity must have a registration number."),
                violation_error_code="registration_number_required",
            ),
            models.CheckConstraint(
                condition=Q(is_vip=False) | Q(vip_since__isnull=False),
                name="client_vip_has_since",
                violation_error_message=_("A VIP client needs the date the status was given."),
                violation_error_code="vip_since_required",
            ),
            models.CheckConstraint(
                condition=Q(acquired_by__isnull=True) | Q(acquired_on__isnull=False),
                name="client_acquisition_has_date",
                violation_error_message=_("An acquisition needs its date."),
                violation_error_code="acquired_on_required",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude=None) -> None:
        """Trim and normalise typed values first, so " hu " is read as HU rather than refused as too long."""
        values = {name: getattr(self, name) for name in TRIMMED_FIELDS}
        normalize_client_values(values)
        for name, value in values.items():
            setattr(self, name, value)
        self.external_id = (self.external_id or "").strip() or None
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        """Normalise the phone number and check the rules that involve several fields (``clients.rules``)."""
        values = {
            "kind": self.kind,
            "registration_number": self.registration_number,
            "phone": self.phone,
            "is_vip": self.is_vip,
            "vip_reason": self.vip_reason,
            "acquired_by_id": self.acquired_by_id,
            "acquired_on": self.acquired_on,
        }
        errors = client_rule_errors(values)
        if "phone" not in errors:
            self.phone = values["phone"]
        for field, error in self._held_by_deleted_errors().items():
            errors.setdefault(field, []).append(error)
        if errors:
            raise ValidationError(errors)

    def _held_by_deleted_errors(self) -> dict:
        """A deleted client keeps its registration number and external id (nothing is lost while it may be
        restored), so a new or changed client may not take them: the error points to restoring it instead. The
        uniqueness checks of ``full_clean`` only see live rows."""
        deleted = Client.all_objects.deleted().exclude(pk=self.pk)
        errors = {}
        message = _(
            "A deleted client has this %(field)s. Management can restore it under Recently deleted instead of "
            "creating it again."
        )
        regno = self.registration_number if self.kind == ClientKind.LEGAL_ENTITY else ""
        if regno and deleted.filter(kind=ClientKind.LEGAL_ENTITY, registration_number=regno).exists():
            errors["registration_number"] = ValidationError(
                message % {"field": _("registration number")}, code="duplicate_of_deleted_client"
            )
        if self.external_id and deleted.filter(external_id=self.external_id).exists():
            errors["external_id"] = ValidationError(
                message % {"field": _("external id")}, code="duplicate_of_deleted_client"
            )
        return errors

    def save(self, *args, **kwargs) -> None:
        self.name_key = name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    @property
    def message_language(self) -> str:
        """The language to write to the client in: their own, else the company's default."""
        return self.language or settings.LANGUAGE_CODE

    @property
    def is_legal_entity(self) -> bool:
        return self.kind == ClientKind.LEGAL_ENTITY
