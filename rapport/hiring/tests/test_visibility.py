"""Who sees what of HR, on pages and API alike: a manager reads only their own contract and job description and
no candidate; Management reads job descriptions and training reports but no contract or candidate; HR reads all.
Out of scope is 404 on a single record, an empty list on a list; denied writes change nothing."""

import pytest
from django.test import Client as Browser
from django.urls import reverse
from rest_framework.test import APIClient

from rapport.accounts.roles import Role
from rapport.core.testing import make_manager, make_user
from rapport.hiring.models import Candidate, EmploymentContract
from rapport.hiring.tests.support import make_candidate, make_contract, make_hr, make_job, make_position, make_profile

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "admin", "hr", "management", "owner", "other_manager", "payroll"]

# role → status of: contract page, own job description version page, candidate page, candidate list page,
# HR overview, training report, my job, API contract, API version, API candidate, API candidate list (count),
# API contract list (count)
EXPECTED = {
    "anonymous": (302, 302, 302, 302, 302, 302, 302, 403, 403, 403, 403, 403),
    "admin": (200, 200, 200, 200, 200, 200, 403, 200, 200, 200, 1, 1),
    "hr": (200, 200, 200, 200, 200, 200, 403, 200, 200, 200, 1, 1),
    "management": (404, 200, 403, 403, 200, 200, 403, 404, 200, 404, 0, 0),
    "owner": (200, 200, 403, 403, 403, 403, 200, 200, 200, 404, 0, 1),
    "other_manager": (404, 404, 403, 403, 403, 403, 200, 404, 404, 404, 0, 0),
    "payroll": (404, 404, 403, 403, 403, 403, 403, 404, 404, 404, 0, 0),
}


@pytest.fixture
def world():
    hr = make_hr(username="hr0")
    owner, other = make_manager(), make_manager()
    job, version = make_job(hr, title="Secret duties", manager=owner)
    contract = make_contract(owner, hr, job_description_version=version)
    candidate = make_candidate(hr, first_name="Secret", position=make_position(make_profile()))
    users = {
        "anonymous": None,
        "admin": make_user(Role.ADMIN, is_staff=True),
        "hr": hr,
        "management": make_user(Role.MANAGEMENT),
        "owner": owner.user,
        "other_manager": other.user,
        "payroll": make_user(Role.PAYROLL),
    }
    return {"users": users, "contract": contract, "version": version, "job": job, "candidate": candidate}


def count_or_status(response):
    if response.status_code != 200:
        return response.status_code
    return len(response.json()["results"])


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_exactly_its_share(world, role):
    user = world["users"][role]
    browser, api = Browser(), APIClient()
    if user is not None:
        browser.force_login(user)
        api.force_authenticate(user)
    contract, version, candidate = world["contract"], world["version"], world["candidate"]
    got = (
        browser.get(reverse("hiring:contract", args=[contract.pk])).status_code,
        browser.get(reverse("hiring:version", args=[version.job_description_id, version.number])).status_code,
        browser.get(reverse("hiring:candidate", args=[candidate.pk])).status_code,
        browser.get(reverse("hiring:candidates")).status_code,
        browser.get(reverse("hiring:overview")).status_code,
        browser.get(reverse("hiring:training_report")).status_code,
        browser.get(reverse("hiring:my_job")).status_code,
        api.get(f"/api/v1/hr/contracts/{contract.pk}/").status_code,
        api.get(f"/api/v1/hr/job-description-versions/{version.pk}/").status_code,
        api.get(f"/api/v1/hr/candidates/{candidate.pk}/").status_code,
        count_or_status(api.get("/api/v1/hr/candidates/")),
        count_or_status(api.get("/api/v1/hr/contracts/")),
    )
    assert got == EXPECTED[role]


def test_the_owner_reads_their_own_job_description_and_contract_in_my_job(world):
    browser = Browser()
    browser.force_login(world["users"]["owner"])
    page = browser.get(reverse("hiring:my_job")).content.decode()
    assert "Secret duties" in page and "Serve the clients" in page and "450,000 HUF" in page
    pdf = browser.get(reverse("hiring:version_pdf", args=[world["job"].pk, 1]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    other = Browser()
    other.force_login(world["users"]["other_manager"])
    assert other.get(reverse("hiring:version_pdf", args=[world["job"].pk, 1])).status_code == 404
    assert "Secret duties" not in other.get(reverse("hiring:my_job")).content.decode()


@pytest.mark.parametrize("role", ["management", "owner", "other_manager", "payroll"])
def test_denied_writes_change_nothing(world, role):
    user = world["users"][role]
    api = APIClient()
    api.force_authenticate(user)
    contract, candidate = world["contract"], world["candidate"]
    responses = [
        api.post(f"/api/v1/hr/contracts/{contract.pk}/amend/", {"effective_on": "2026-02-01", "base_salary": "1"}),
        api.post(f"/api/v1/hr/contracts/{contract.pk}/end/", {"ended_on": "2026-02-01", "end_reason": "x"}),
        api.post(f"/api/v1/hr/candidates/{candidate.pk}/anonymise/"),
        api.patch(f"/api/v1/hr/candidates/{candidate.pk}/", {"first_name": "Changed"}),
        api.post("/api/v1/hr/candidates/", {"first_name": "New", "last_name": "One"}),
    ]
    assert all(r.status_code in (403, 404) for r in responses), [r.status_code for r in responses]
    contract.refresh_from_db()
    candidate.refresh_from_db()
    assert (contract.base_salary, contract.ended_on, contract.amendments.count()) == (450000, None, 0)
    assert (candidate.first_name, candidate.anonymised_at, Candidate.objects.count()) == ("Secret", None, 1)
    assert EmploymentContract.objects.count() == 1
