"""Template context: what the signed-in user's roles allow, for menus and buttons."""

from rapport.accounts import roles as r


def roles(request) -> dict:
    """Expose role flags so templates never re-implement the rules."""
    user = request.user
    return {
        "can": {
            "see_clients": r.sees_all_clients(user) or r.is_client_manager(user),
            "manage": r.is_management(user),
            "see_managers": r.sees_all_managers(user) or r.is_client_manager(user),
            "edit_managers": r.may_edit_managers(user),
            "admin": getattr(user, "is_staff", False),
            "see_ratings": r.sees_all_clients(user) or r.has_role(user, r.Role.PAYROLL),
            "own_ratings": r.is_client_manager(user),
            # Pay: Payroll (and Admin) run it; Management sees totals; a client manager their own statements.
            "pay": r.has_role(user, r.Role.ADMIN, r.Role.PAYROLL),
            "pay_totals": r.has_role(user, r.Role.ADMIN, r.Role.PAYROLL, r.Role.MANAGEMENT),
            "own_pay": r.is_client_manager(user),
            "salary_bands": r.has_role(user, r.Role.ADMIN, r.Role.PAYROLL, r.Role.MANAGEMENT, r.Role.HR),
            # HR: HR (and Admin) run it; Management reads training reports; a client manager reads "My job".
            "hr": r.is_hr(user),
            "hr_reports": r.sees_hr_reports(user),
            "own_job": r.is_client_manager(user),
            # Insight: the dashboard shows Management everything, Payroll ratings and pay totals.
            "dashboard": r.has_role(user, r.Role.ADMIN, r.Role.MANAGEMENT, r.Role.PAYROLL),
        }
    }
