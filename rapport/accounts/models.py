"""Users. People are deactivated, never deleted: records that name them keep pointing at them."""

from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in to Rapport; what they may do comes from their role groups (see ``roles``)."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    @property
    def display_name(self) -> str:
        """Full name, or the username when no name is recorded."""
        return self.get_full_name() or self.username

    def __str__(self) -> str:
        return self.display_name
