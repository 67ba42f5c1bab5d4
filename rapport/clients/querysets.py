"""The one restricted queryset of each client-data model: every read path starts here."""

from django.db import models

from rapport.accounts import roles


class ClientQuerySet(models.QuerySet):
    """Clients, restricted to what a user may see."""

    def visible_to(self, user) -> "ClientQuerySet":
        """Management and Admin see all clients; a client manager sees the clients currently assigned to them;
        HR, Payroll, anonymous and inactive users see none."""
        if roles.sees_all_clients(user):
            return self.all()
        if roles.is_client_manager(user):
            return self.filter(assignments__end_date__isnull=True, assignments__manager__user_id=user.pk)
        return self.none()


class ClientGroupQuerySet(models.QuerySet):
    """Client groups hold no personal data; everyone who works with clients or managers may read them."""

    def visible_to(self, user) -> "ClientGroupQuerySet":
        if roles.role_names(user):
            return self.all()
        return self.none()
