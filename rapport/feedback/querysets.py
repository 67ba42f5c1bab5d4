"""The restricted querysets of ratings.

Ratings are visible per manager: a user sees either all of a manager's ratings or none of them. The rating
summaries rely on this (they count the ratings of the managers returned by ``managers_with_visible_ratings``).
"""

from django.db import models

from rapport.accounts import roles


def sees_all_ratings(user) -> bool:
    """Management, Admin and Payroll (rating bonuses) see every manager's ratings."""
    return roles.sees_all_clients(user) or roles.has_role(user, roles.Role.PAYROLL)


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
        if sees_all_ratings(user):
            return self.all()
        if roles.is_client_manager(user):
            return self.filter(manager__user_id=user.pk)
        return self.none()


def managers_with_visible_ratings(user):
    """The manager profiles whose ratings ``user`` sees (the same rule as ``RatingQuerySet.visible_to``)."""
    from rapport.managers.models import ClientManager

    if sees_all_ratings(user):
        return ClientManager.objects.all()
    if roles.is_client_manager(user):
        return ClientManager.objects.filter(user_id=user.pk)
    return ClientManager.objects.none()
