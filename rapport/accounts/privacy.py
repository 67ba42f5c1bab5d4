"""Accounts are the staff's, not clients' (see ``rapport.privacy.registry``)."""

from rapport.privacy.registry import register_no_personal_data


def register() -> None:
    from rapport.accounts.models import User, UserSession

    register_no_personal_data(User, "staff accounts; clients have no account")
    register_no_personal_data(UserSession, "staff sign-ins")
