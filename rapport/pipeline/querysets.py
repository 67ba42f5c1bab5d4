"""The restricted querysets of the pipeline: Management sees every opportunity, a manager their own."""

from django.db import models

from rapport.accounts import roles


class OpportunityQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OpportunityQuerySet":
        """Management and Admin see all opportunities; a client manager sees their own; others none. Those of a
        deleted client are hidden with it (it can have only closed ones) until it is restored."""
        if roles.sees_all_clients(user):
            return self.filter(client__deleted_at__isnull=True)
        if roles.is_client_manager(user):
            return self.filter(manager__user_id=user.pk, client__deleted_at__isnull=True)
        return self.none()


class StageChangeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "StageChangeQuerySet":
        """The stage changes of the opportunities the user sees."""
        if roles.sees_all_clients(user):
            return self.filter(opportunity__client__deleted_at__isnull=True)
        if roles.is_client_manager(user):
            return self.filter(opportunity__manager__user_id=user.pk, opportunity__client__deleted_at__isnull=True)
        return self.none()


class AcquisitionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AcquisitionQuerySet":
        """Management, Admin and Payroll (who pay for them) see all acquisitions; a manager their own."""
        if roles.sees_all_clients(user) or roles.has_role(user, roles.Role.PAYROLL):
            return self.all()
        if roles.is_client_manager(user):
            return self.filter(manager__user_id=user.pk)
        return self.none()

    def active(self) -> "AcquisitionQuerySet":
        """Credits that stand (not reversed)."""
        return self.filter(reversed_at__isnull=True)
