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

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    """Whole days left to restore a row deleted at ``deleted_at`` (0 on its last day and after)."""
    left = restore_deadline(deleted_at) - (now or timezone.now())
    return max(left.days, 0)


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

    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
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
