"""The restricted querysets of consent: records and links follow the visibility of their client."""

from django.db import models

from rapport.accounts import roles


def _visible_clients(user):
    from rapport.clients.models import Client

    return Client.objects.visible_to(user)


class ConsentPurposeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConsentPurposeQuerySet":
        """Purposes and their wording hold no personal data: everyone with a role reads them."""
        if roles.role_names(user):
            return self.all()
        return self.none()


class ConsentRecordQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConsentRecordQuerySet":
        """The records of the clients ``user`` sees (Management all; a manager their clients; others none)."""
        if roles.sees_all_clients(user):
            return self.all()
        if roles.is_client_manager(user):
            return self.filter(client__in=_visible_clients(user).values("pk"))
        return self.none()


class ConsentLinkQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConsentLinkQuerySet":
        """The links of the clients ``user`` sees."""
        if roles.sees_all_clients(user):
            return self.all()
        if roles.is_client_manager(user):
            return self.filter(client__in=_visible_clients(user).values("pk"))
        return self.none()
