"""Helpers of the consent tests."""

import re

from rapport.accounts.roles import Role
from rapport.core.testing import make_assignment, make_client, make_manager, make_user


def own_manager_of(client):
    """A client manager with ``client`` assigned to them (so they see and may record for it)."""
    manager = make_manager()
    make_assignment(client, manager)
    return manager.user


def management():
    return make_user(Role.MANAGEMENT)


def person(**fields):
    fields.setdefault("kind", "individual")
    fields.setdefault("email", "eva@example.org")
    return make_client(**fields)


def token_of(body: str) -> str:
    """The token of the consent link in an e-mail's body."""
    return re.search(r"/consent/mine/([^/\s]+)/", body).group(1)
