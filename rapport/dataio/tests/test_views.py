"""The import pages: only Management and Admin use them; upload → map → dry run → import through the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as Browser

from rapport.accounts.roles import Role
from rapport.clients.models import Client
from rapport.core.testing import make_manager, make_user
from rapport.dataio.models import ImportJob, ImportRow

pytestmark = pytest.mark.django_db

CSV = (
    "Client ID,Company name,Registration number,E-mail\n"
    "C-1,Alfa Kft.,01-09-000001,info@alfa.hu\n"
    "C-2,Béta Zrt.,01-09-000002,not-an-email\n"
    "C-3,Gamma Kft.,01-09-000003,\n"
).encode()


def upload(browser, data=CSV, name="clients.csv", kind="clients"):
    return browser.post("/data/import/", {"kind": kind, "file": SimpleUploadedFile(name, data, "text/csv")})


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("admin", 200), ("management", 200), ("manager", 403), ("hr", 403), ("payroll", 403)],
)
def test_who_may_open_the_import_pages(role, expected):
    # given a user of each role and an import job
    users = {
        "anonymous": None,
        "admin": make_user(Role.ADMIN),
        "management": make_user(Role.MANAGEMENT),
        "manager": make_manager().user,
        "hr": make_user(Role.HR),
        "payroll": make_user(Role.PAYROLL),
    }
    boss = make_user(Role.MANAGEMENT)
    owner = Browser()
    owner.force_login(boss)
    upload(owner)
    job = ImportJob.objects.get()
    browser = Browser()
    if users[role] is not None:
        browser.force_login(users[role])

    # when the pages are opened
    got = {
        browser.get("/data/").status_code,
        browser.get("/data/import/").status_code,
        browser.get(f"/data/import/{job.pk}/").status_code,
        browser.get(f"/data/import/{job.pk}/map/").status_code,
    }

    # then each answers as the role allows
    assert got == {expected}


@pytest.mark.parametrize("role", [Role.CLIENT_MANAGER, Role.HR])
def test_denied_import_changes_nothing(role):
    # given a checked job
    boss = make_user(Role.MANAGEMENT)
    owner = Browser()
    owner.force_login(boss)
    upload(owner)
    job = ImportJob.objects.get()
    owner.post(
        f"/data/import/{job.pk}/map/",
        {"column_0": "external_id", "column_1": "name", "column_2": "registration_number", "column_3": "email"},
    )
    intruder = Browser()
    intruder.force_login(make_manager().user if role == Role.CLIENT_MANAGER else make_user(role))

    # when someone else tries to confirm it or upload a file
    confirm = intruder.post(f"/data/import/{job.pk}/confirm/")
    other_upload = upload(intruder)

    # then both are refused and nothing changed
    assert (confirm.status_code, other_upload.status_code) == (403, 403)
    assert Client.objects.count() == 0
    assert list(ImportJob.objects.values_list("status", flat=True)) == ["checked"]


def test_upload_map_dry_run_and_import():
    # given Management
    browser = Browser()
    browser.force_login(make_user(Role.MANAGEMENT))

    # when a file is uploaded / then its columns are guessed on the mapping page
    response = upload(browser)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/data/import/{job.pk}/map/"
    assert job.mapping == {
        "Client ID": "external_id",
        "Company name": "name",
        "Registration number": "registration_number",
        "E-mail": "email",
    }
    page = browser.get(f"/data/import/{job.pk}/map/")
    assert 'option value="external_id" selected' in page.content.decode()

    # when the mapping is confirmed / then the dry run reports every row, writing nothing
    browser.post(
        f"/data/import/{job.pk}/map/",
        {"column_0": "external_id", "column_1": "name", "column_2": "registration_number", "column_3": "email"},
    )
    job.refresh_from_db()
    assert (job.status, job.checked_counts) == ("checked", {"created": 2, "updated": 0, "unchanged": 0, "refused": 1})
    assert Client.objects.count() == 0
    refused = browser.get(f"/data/import/{job.pk}/?outcome=refused").content.decode()
    assert "Enter a valid email address." in refused and "Gamma Kft." not in refused

    # when the import is confirmed / then the rows are written and the job shows the result
    browser.post(f"/data/import/{job.pk}/confirm/")
    job.refresh_from_db()
    assert (job.status, job.result_counts) == ("done", {"created": 2, "updated": 0, "unchanged": 0, "refused": 1})
    assert sorted(Client.objects.values_list("external_id", flat=True)) == ["C-1", "C-3"]
    assert list(ImportRow.objects.filter(job=job).values_list("line", "outcome")) == [
        (2, "created"),
        (3, "refused"),
        (4, "created"),
    ]


def test_mapping_without_a_name_is_refused():
    # given an uploaded file
    browser = Browser()
    browser.force_login(make_user(Role.MANAGEMENT))
    upload(browser)
    job = ImportJob.objects.get()

    # when no column is mapped to the name
    response = browser.post(f"/data/import/{job.pk}/map/", {"column_0": "external_id"})

    # then the page says so and no dry run starts
    assert "Map a column to: Name." in response.content.decode()
    job.refresh_from_db()
    assert job.status == "uploaded"


def test_the_client_list_links_to_the_import_for_management_only():
    # given Management and a client manager
    boss, manager = make_user(Role.MANAGEMENT), make_manager().user
    browser = Browser()

    # when each opens the client list / then only Management sees the link to the data import
    browser.force_login(boss)
    assert 'href="/data/" id="data-import"' in browser.get("/clients/").content.decode()
    browser.force_login(manager)
    assert 'id="data-import"' not in browser.get("/clients/").content.decode()
