"""The restricted queryset of client managers."""

from django.db import models

from rapport.accounts import roles
from rapport.core.softdelete import SoftDeleteQuerySet


class ClientManagerQuerySet(SoftDeleteQuerySet):
    """Manager profiles, restricted to what a user may see; deleted profiles are seen by nobody."""

    def visible_to(self, user) -> "ClientManagerQuerySet":
        """Admin, Management, HR and Payroll see all profiles; a client manager sees their own; others none."""
        if roles.sees_all_managers(user):
            return self.alive()
        if roles.is_client_manager(user):
            return self.alive().filter(user_id=user.pk)
        return self.none()

    def with_load(self) -> "ClientManagerQuerySet":
        """Annotate ``load``: the number of clients currently assigned to each manager."""
        return self.annotate(load=models.Count("assignments", filter=models.Q(assignments__end_date__isnull=True)))
