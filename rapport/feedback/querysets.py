"""The restricted querysets of ratings."""

from django.db import models

from rapport.accounts import roles


class RatingRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RatingRequestQuerySet":
        """Management and Admin see all requests; a manager the requests about their own work."""
        if roles.sees_all_clients(user):
            return self.all()
        if roles.is_client_manager(user):
            return self.filter(manager__user_id=user.pk)
        return self.none()


class RatingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RatingQuerySet":
        """Management, Admin and Payroll (rating bonuses) see all ratings; a manager sees their own."""
        if roles.sees_all_clients(user) or roles.has_role(user, roles.Role.PAYROLL):
            return self.all()
        if roles.is_client_manager(user):
            return self.filter(manager__user_id=user.pk)
        return self.none()
