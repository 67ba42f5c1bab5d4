"""Fixtures for the whole suite."""

import pytest

from rapport.accounts.roles import Role
from rapport.core.testing import make_user

# The longest tests (a minute or more each) run first among the database tests: with parallel workers (`make test`
# hands tests out one at a time) the short tests then fill in behind them and the workers finish together.
SLOW_FIRST = (
    "tests/fuzz/",
    "tests/test_write_matrix.py",
    "tests/test_get_changes_nothing.py",
    "tests/test_no_leak.py",
)


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: not item.nodeid.startswith(SLOW_FIRST))


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
