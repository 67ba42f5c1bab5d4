"""Recoverable (soft) deletes: a deleted row stays in its table, hidden from every read path, until it is restored
or purged.

A model that can be deleted this way inherits ``SoftDeleteModel`` (``deleted_at``, ``deleted_by``) and declares two
managers built from its restricted queryset (which inherits ``SoftDeleteQuerySet``)::

    objects = AliveManager.from_queryset(ClientQuerySet)()      # the default manager: deleted rows excluded
    all_objects = models.Manager.from_queryset(ClientQuerySet)()  # restore, purge, "Recently deleted" only

and its ``visible_to`` starts from ``self.alive()``, so even a query built on ``all_objects`` never shows a deleted
row to a reader. Django's base manager (used to follow a foreign key) stays unfiltered: an interaction or a pay
statement that points at a deleted client still resolves it.

The window in which a deleted row may be restored is ``settings.RAPPORT["RESTORE_DAYS"]``; after it, the purge
command removes the row for good, or anonymises it where kept records still point at it.
"""

import datetime
import logging
from enum import StrEnum

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.errors import refuse
from rapport.core.history import save_with_history

logger = logging.getLogger("rapport.security")


def restore_days() -> int:
    """How many days a deleted row may be restored."""
    return int(settings.RAPPORT["RESTORE_DAYS"])


def purge_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Rows deleted before this moment are past the restore window and may be purged."""
    return (now or timezone.now()) - datetime.timedelta(days=restore_days())


def restore_deadline(deleted_at: datetime.datetime) -> datetime.datetime:
    """The last moment a row deleted at ``deleted_at`` may be restored."""
    return deleted_at + datetime.timedelta(days=restore_days())


def days_left(deleted_at: datetime.datetime, now: datetime.datetime | None = None) -> int:
    """Days left to restore a row deleted at ``deleted_at``, counting a started day: 15 just after a delete with a
    15-day window, 1 on its last day, 0 after it."""
    left = restore_deadline(deleted_at) - (now or timezone.now())
    if left <= datetime.timedelta(0):
        return 0
    return left.days + (1 if left % datetime.timedelta(days=1) else 0)


class SoftDeleteQuerySet(models.QuerySet):
    """A queryset of rows that can be soft-deleted."""

    def alive(self):
        """The rows that are not deleted."""
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        """The deleted rows (restorable or awaiting purge)."""
        return self.filter(deleted_at__isnull=False)

    def purgeable(self, now: datetime.datetime | None = None):
        """The deleted rows past the restore window."""
        return self.filter(deleted_at__lt=purge_cutoff(now))


class AliveManager(models.Manager):
    """The default manager of a soft-deletable model: deleted rows are not there."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class SoftDeleteModel(models.Model):
    """Adds who deleted the row and when; an empty ``deleted_at`` means the row is live."""

    deleted_at = models.DateTimeField(gettext_lazy("deleted at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("deleted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def restore_deadline(self) -> datetime.datetime | None:
        return restore_deadline(self.deleted_at) if self.deleted_at else None


class DeleteError(StrEnum):
    """Error codes shared by every soft-deletable model."""

    ALREADY_DELETED = "already_deleted"
    NOT_DELETED = "not_deleted"
    RESTORE_WINDOW_PASSED = "restore_window_passed"


def mark_deleted(instance: SoftDeleteModel, *, actor, now: datetime.datetime | None = None) -> None:
    """Soft-delete ``instance`` (locked by the caller) and record it in its history; refused when it already is."""
    if instance.deleted_at is not None:
        raise refuse(DeleteError.ALREADY_DELETED, _("%(object)s is already deleted.") % {"object": instance})
    instance.deleted_at = now or timezone.now()
    instance.deleted_by = actor
    save_with_history(instance, actor=actor, reason="delete", update_fields=["deleted_at", "deleted_by", "updated_at"])
    logger.info("record deleted: user=%s model=%s id=%s", actor.pk, instance._meta.label, instance.pk)


def mark_restored(instance: SoftDeleteModel, *, actor, now: datetime.datetime | None = None) -> None:
    """Bring a soft-deleted ``instance`` (locked by the caller) back as it was; refused when it is not deleted or
    the restore window has passed."""
    if instance.deleted_at is None:
        raise refuse(DeleteError.NOT_DELETED, _("%(object)s is not deleted.") % {"object": instance})
    if (now or timezone.now()) > restore_deadline(instance.deleted_at):
        raise refuse(
            DeleteError.RESTORE_WINDOW_PASSED,
            _("%(object)s was deleted more than %(days)d days ago and can no longer be restored.")
            % {"object": instance, "days": restore_days()},
        )
    instance.deleted_at = None
    instance.deleted_by = None
    save_with_history(instance, actor=actor, reason="restore", update_fields=["deleted_at", "deleted_by", "updated_at"])
    logger.info("record restored: user=%s model=%s id=%s", actor.pk, instance._meta.label, instance.pk)


def remove_for_good(instance: models.Model, *, actor) -> bool:
    """Delete ``instance`` from its table (its CASCADE rows with it), recording the purge in its history. Returns
    False, changing nothing, when kept records still point at it (a PROTECT or RESTRICT foreign key)."""
    pk = instance.pk
    try:
        with transaction.atomic():
            instance._history_user = actor
            instance._change_reason = "purge"
            instance.delete()
    except (models.ProtectedError, models.RestrictedError):
        return False
    finally:
        instance.__dict__.pop("_history_user", None)
        instance.__dict__.pop("_change_reason", None)
    logger.info("record purged: user=%s model=%s id=%s", getattr(actor, "pk", None), type(instance)._meta.label, pk)
    return True
