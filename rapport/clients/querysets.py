"""The one restricted queryset of each client-data model: every read path starts here."""

from collections.abc import Callable

from django.db import models

from rapport.accounts import roles
from rapport.core.softdelete import SoftDeleteQuerySet

# A reach gives, for a user, a query of the ids of clients they work with through some feature (their
# opportunities, the cases routed to them): ``lambda user: Opportunity.objects.filter(...).values_list("client_id")``.
ClientReach = Callable[[object], models.QuerySet]
_reaches: list[ClientReach] = []


def register_client_reach(reach: ClientReach) -> None:
    """Let a client manager see the clients ``reach`` returns for them, besides their assigned clients. Features
    that give a manager work on a client who is not (or not yet) theirs register one (in ``AppConfig.ready``)."""
    if reach not in _reaches:
        _reaches.append(reach)


class ClientQuerySet(SoftDeleteQuerySet):
    """Clients, restricted to what a user may see; deleted clients are seen by nobody."""

    def visible_to(self, user) -> "ClientQuerySet":
        """Management and Admin see all clients; a client manager sees the clients currently assigned to them and
        those a registered reach gives them (their prospects, clients whose cases they handle); HR, Payroll,
        anonymous and inactive users see none."""
        if roles.sees_all_clients(user):
            return self.alive()
        if roles.is_client_manager(user):
            assigned = self.alive().filter(assignments__end_date__isnull=True, assignments__manager__user_id=user.pk)
            if not _reaches:
                return assigned
            # A manager's clients are few (capacity bounds them), so their ids are read at once in one UNION query
            # and the list is filtered by primary key: cheap on both databases, unlike an OR of subqueries.
            ids = assigned.order_by().values_list("pk", flat=True)
            ids = ids.union(*(reach(user).order_by() for reach in _reaches))
            return self.alive().filter(pk__in=list(ids))
        return self.none()


class ClientGroupQuerySet(models.QuerySet):
    """Client groups hold no personal data; everyone who works with clients or managers may read them."""

    def visible_to(self, user) -> "ClientGroupQuerySet":
        if roles.role_names(user):
            return self.all()
        return self.none()
