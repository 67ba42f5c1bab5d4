"""Who sees pay: a manager their own statements; Payroll (and Admin) everything; Management totals only."""

from django.db import models

from rapport.accounts import roles
from rapport.accounts.roles import Role


def sees_pay(user) -> bool:
    """Payroll and Admin see and run every statement."""
    return roles.has_role(user, Role.ADMIN, Role.PAYROLL)


def sees_pay_totals(user) -> bool:
    """Management sees totals and distributions (not individual statements); Payroll and Admin too."""
    return sees_pay(user) or roles.is_management(user)


class PayrollQuerySet(models.QuerySet):
    """Plans, versions, overrides: Payroll's records (Management may read plans to try them in a what-if)."""

    def visible_to(self, user) -> "PayrollQuerySet":
        if sees_pay_totals(user):
            return self.all()
        return self.none()


class ManagementTotalsQuerySet(models.QuerySet):
    """Periods and reference bands: no personal pay, readable by everyone who works with pay or managers."""

    def visible_to(self, user) -> "ManagementTotalsQuerySet":
        if sees_pay_totals(user) or roles.has_role(user, Role.HR) or roles.is_client_manager(user):
            return self.all()
        return self.none()


class StatementQuerySet(models.QuerySet):
    """Statements (and queries, adjustments): Payroll and Admin all; a manager their own; nobody else."""

    def visible_to(self, user) -> "StatementQuerySet":
        if sees_pay(user):
            return self.all()
        if roles.is_client_manager(user):
            return self.filter(manager__user_id=user.pk)
        return self.none()


class StatementLineQuerySet(models.QuerySet):
    def visible_to(self, user) -> "StatementLineQuerySet":
        if sees_pay(user):
            return self.all()
        if roles.is_client_manager(user):
            return self.filter(statement__manager__user_id=user.pk)
        return self.none()
