"""Users. People are deactivated, never deleted: records that name them keep pointing at them.

Deactivating a user (``is_active`` set to false by any save: the admin, HR, a script — or by a set-based
``update``/``bulk_update``) ends their web sessions and API tokens in the same transaction, so access stops at
once and not at the next expiry.
"""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class UserQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """Update; users this update deactivates lose every session and API token in the same transaction."""
        if "is_active" not in kwargs or kwargs["is_active"] is True:
            return super().update(**kwargs)
        from rapport.accounts.sessions import end_all_access

        with transaction.atomic(using=self.db):
            active = list(self.filter(is_active=True).values_list("pk", flat=True))
            count = super().update(**kwargs)
            for user in self.model._base_manager.using(self.db).filter(pk__in=active, is_active=False):
                end_all_access(user)
        return count


class RapportUserManager(UserManager.from_queryset(UserQuerySet)):
    """Django's user manager over ``UserQuerySet``."""


class User(AbstractUser):
    """A person who signs in to Rapport; what they may do comes from their role groups (see ``roles``)."""

    objects = RapportUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_is_active = instance.__dict__.get("is_active")
        return instance

    def save(self, *args, **kwargs):
        """Save; a user who stops being active loses every session and API token in the same transaction."""
        deactivated = self.pk is not None and not self.is_active and getattr(self, "_stored_is_active", True)
        if not deactivated:
            super().save(*args, **kwargs)
        else:
            from rapport.accounts.sessions import end_all_access

            with transaction.atomic(using=kwargs.get("using")):
                super().save(*args, **kwargs)
                end_all_access(self)
        self._stored_is_active = self.is_active

    @property
    def display_name(self) -> str:
        """Full name, or the username when no name is recorded."""
        return self.get_full_name() or self.username

    def __str__(self) -> str:
        return self.display_name


class UserSession(models.Model):
    """A web session opened by a login, so that all of a user's sessions can be found and ended by one query.

    Rows are written at login and removed at logout or when the user is deactivated; a row whose session has
    expired on its own is harmless (deleting a missing session is a no-op) and goes with the user's next
    deactivation.
    """

    # A session belongs to its user and means nothing without them (users are never deleted anyway).
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="web_sessions", verbose_name=_("user"))
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("web session")
        verbose_name_plural = _("web sessions")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d %H:%M}"
