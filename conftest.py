"""Fixtures for the whole suite."""

import pytest

from rapport.accounts.roles import Role
from rapport.core.testing import make_user


@pytest.fixture
def management(db):
    """A Management user."""
    return make_user(Role.MANAGEMENT, username="boss")


@pytest.fixture
def admin_user(db):
    """An Admin user (staff, may open the admin)."""
    return make_user(Role.ADMIN, username="admin", is_staff=True)


@pytest.fixture
def hr(db):
    return make_user(Role.HR, username="hr")


@pytest.fixture
def payroll(db):
    return make_user(Role.PAYROLL, username="payroll")
