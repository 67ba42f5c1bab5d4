"""The import API: upload a file as a job (dry run or import, in the background as on the pages), follow it, read
its rows, confirm it. Management only: others get 403 and nothing is created."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from rapport.accounts.roles import Role
from rapport.clients.models import Client
from rapport.core.testing import make_manager, make_user
from rapport.dataio.models import ImportJob

pytestmark = pytest.mark.django_db

CSV = (
    "Client ID,Company name,Registration number,E-mail\n"
    "C-1,Alfa Kft.,01-09-000001,info@alfa.hu\n"
    "C-2,Béta Zrt.,01-09-000002,not-an-email\n"
    "C-3,Gamma Kft.,01-09-000003,\n"
).encode()
COUNTS = {"created": 2, "updated": 0, "unchanged": 0, "refused": 1}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def upload(caller, data=CSV, name="clients.csv", **fields):
    fields.setdefault("kind", "clients")
    return caller.post(
        "/api/v1/imports/", {"file": SimpleUploadedFile(name, data, "text/csv"), **fields}, format="multipart"
    )


def test_upload_dry_run_rows_and_confirm():
    # given Management
    boss = make_user(Role.MANAGEMENT)
    caller = api(boss)
    # when a file is uploaded (a dry run by default)
    answer = upload(caller)
    # then the job is created, its columns guessed, and its dry run has run (tests run tasks at once)
    assert answer.status_code == 201
    job = answer.json()
    assert {k: job[k] for k in ("kind", "status", "filename", "file_format", "headers", "estimated_rows")} == {
        "kind": "clients",
        "status": "checked",
        "filename": "clients.csv",
        "file_format": "csv",
        "headers": ["Client ID", "Company name", "Registration number", "E-mail"],
        "estimated_rows": 3,
    }
    assert job["mapping"] == {
        "Client ID": "external_id",
        "Company name": "name",
        "Registration number": "registration_number",
        "E-mail": "email",
    }
    assert (job["progress"], job["dry_run_counts"], job["import_counts"]) == (
        {"done": 3, "total": 3, "percent": 100, "stage": ""},
        COUNTS,
        None,
    )
    assert job["created_by"] == boss.pk
    assert Client.objects.count() == 0

    # when its refused rows are read / then the one refused row with its code and message
    refused = caller.get(f"/api/v1/imports/{job['id']}/rows/?outcome=refused").json()
    assert refused["results"] == [
        {
            "line": 3,
            "outcome": "refused",
            "key": "C-2",
            "label": "Béta Zrt.",
            "changed": [],
            "errors": [{"field": "email", "code": "invalid", "message": "Enter a valid email address."}],
        }
    ]
    all_rows = caller.get(f"/api/v1/imports/{job['id']}/rows/").json()["results"]
    assert [(r["line"], r["outcome"]) for r in all_rows] == [(2, "created"), (3, "refused"), (4, "created")]

    # when the job is confirmed / then it is imported
    confirmed = caller.post(f"/api/v1/imports/{job['id']}/confirm/")
    assert confirmed.status_code == 202
    assert (confirmed.json()["status"], confirmed.json()["import_counts"]) == ("done", COUNTS)
    assert sorted(Client.objects.values_list("external_id", flat=True)) == ["C-1", "C-3"]
    # and GET shows the same
    got = caller.get(f"/api/v1/imports/{job['id']}/").json()
    assert (got["status"], got["dry_run_counts"], got["import_counts"]) == ("done", COUNTS, COUNTS)


def test_a_given_mapping_and_dry_run_false_import_at_once():
    caller = api(make_user(Role.MANAGEMENT))
    mapping = {"Client ID": "external_id", "Company name": "name", "Registration number": "registration_number"}
    answer = upload(caller, mapping=json.dumps(mapping), dry_run="false")
    assert answer.status_code == 201
    job = answer.json()
    # the e-mail column is not mapped, so Béta's bad address is not read: all three are created
    assert (job["status"], job["mapping"], job["dry_run_counts"], job["import_counts"]) == (
        "done",
        mapping,
        None,
        {"created": 3, "updated": 0, "unchanged": 0, "refused": 0},
    )
    assert Client.objects.count() == 3
    # and a finished import cannot be confirmed
    again = caller.post(f"/api/v1/imports/{job['id']}/confirm/")
    assert again.status_code == 400
    assert again.json()["non_field_errors"][0]["code"] == "job_not_ready"


@pytest.mark.parametrize(
    ("fields", "data", "field", "code"),
    [
        ({"kind": "cats"}, CSV, "kind", "invalid_choice"),
        ({"mapping": "not json"}, CSV, "mapping", "invalid_mapping"),
        ({"mapping": '["a"]'}, CSV, "mapping", "invalid_mapping"),
        ({"mapping": '{"Nope": "name"}'}, CSV, "mapping", "mapping_unknown_column"),
        ({"mapping": '{"Client ID": "external_id"}'}, CSV, "mapping", "mapping_missing_field"),
        ({}, b"", "file", "empty"),
        ({}, b"\n", "non_field_errors", "no_rows"),
        ({}, b"PK\x03\x04 not a workbook", "non_field_errors", "unreadable_file"),
        ({"extra": "1"}, CSV, "extra", "unknown_field"),
    ],
)
def test_bad_input_answers_400_with_a_code_and_creates_nothing(fields, data, field, code):
    answer = upload(api(make_user(Role.MANAGEMENT)), data=data, **fields)
    assert answer.status_code == 400
    assert [e["code"] for e in answer.json()[field]] == [code]
    assert (ImportJob.objects.count(), Client.objects.count()) == (0, 0)


def test_an_unknown_outcome_filter_is_refused():
    caller = api(make_user(Role.MANAGEMENT))
    job = upload(caller).json()
    answer = caller.get(f"/api/v1/imports/{job['id']}/rows/?outcome=lost")
    assert answer.status_code == 400
    assert [e["code"] for e in answer.json()["outcome"]] == ["invalid_choice"]


@pytest.mark.parametrize("role", ["manager", "hr", "payroll"])
def test_others_get_403_and_nothing_is_created_or_imported(role):
    # given a checked job of Management's
    owner = api(make_user(Role.MANAGEMENT))
    job = upload(owner).json()
    user = make_manager().user if role == "manager" else make_user(Role.HR if role == "hr" else Role.PAYROLL)
    caller = api(user)
    # when another role uploads, lists, reads, confirms / then 403 every time, and nothing changed
    answers = [
        upload(caller).status_code,
        caller.get("/api/v1/imports/").status_code,
        caller.get(f"/api/v1/imports/{job['id']}/").status_code,
        caller.get(f"/api/v1/imports/{job['id']}/rows/").status_code,
        caller.post(f"/api/v1/imports/{job['id']}/confirm/").status_code,
    ]
    assert answers == [403] * 5
    assert list(ImportJob.objects.values_list("status", flat=True)) == ["checked"]
    assert Client.objects.count() == 0


def test_the_list_shows_jobs_newest_first_without_the_file():
    caller = api(make_user(Role.ADMIN))
    first = upload(caller).json()["id"]
    second = upload(caller, kind="clients", name="more.csv").json()["id"]
    listed = caller.get("/api/v1/imports/").json()["results"]
    assert [j["id"] for j in listed] == [second, first]
    assert "data" not in listed[0]
