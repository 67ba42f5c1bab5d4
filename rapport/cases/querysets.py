"""The restricted querysets of interactions and cases."""

from django.db import models

from rapport.accounts import roles
from rapport.core.softdelete import SoftDeleteQuerySet


class InteractionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InteractionQuerySet":
        """Management and Admin see all interactions; a manager sees the interactions on the clients they see
        (their colleagues' earlier notes are the client's written-down knowledge) and their own. Interactions with
        a deleted client are hidden with it (a deleted client's ids are few: a short NOT IN list)."""
        from rapport.clients.models import Client

        if roles.sees_all_clients(user):
            return self.exclude(client_id__in=Client.all_objects.deleted().values("pk"))
        if roles.is_client_manager(user):
            return self.filter(
                models.Q(manager__user_id=user.pk) | models.Q(client__in=Client.objects.visible_to(user).values("pk"))
            ).exclude(client_id__in=Client.all_objects.deleted().values("pk"))
        return self.none()


class CaseQuerySet(SoftDeleteQuerySet):
    def visible_to(self, user) -> "CaseQuerySet":
        """Management and Admin see all cases; a manager sees the cases they handle or resolved and the cases of
        the clients they see. Deleted cases are seen by nobody."""
        if roles.sees_all_clients(user):
            return self.alive()
        if roles.is_client_manager(user):
            from rapport.clients.models import Client

            return self.alive().filter(
                models.Q(handler__user_id=user.pk)
                | models.Q(resolved_by__user_id=user.pk)
                | models.Q(client__in=Client.objects.visible_to(user).values("pk"))
            )
        return self.none()


class CaseEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CaseEventQuerySet":
        """The timeline entries of the cases the user sees (not of deleted cases)."""
        from rapport.cases.models import Case

        if roles.sees_all_clients(user):
            return self.exclude(case_id__in=Case.all_objects.deleted().values("pk"))

        return self.filter(case__in=Case.objects.visible_to(user).values("pk"))
