"""The restricted queryset of assignments."""

from django.db import models

from rapport.accounts import roles


class AssignmentQuerySet(models.QuerySet):
    """Assignments, restricted to what a user may see."""

    def visible_to(self, user) -> "AssignmentQuerySet":
        """Management and Admin see all; a client manager sees the assignment history of the clients currently
        assigned to them; everyone else sees none. The history of a deleted client is hidden with it."""
        if roles.sees_all_clients(user):
            return self.filter(client__deleted_at__isnull=True)
        if roles.is_client_manager(user):
            from rapport.clients.models import Client

            return self.filter(client__in=Client.objects.visible_to(user).values("pk"))
        return self.none()

    def current(self) -> "AssignmentQuerySet":
        """Assignments that hold today (not ended)."""
        return self.filter(end_date__isnull=True)
