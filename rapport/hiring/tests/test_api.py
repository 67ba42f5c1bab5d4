"""The HR API: the same services and refusals as the pages, with codes; lists in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from rapport.core.testing import make_group, make_manager, make_user
from rapport.hiring.models import Candidate, JobDescription
from rapport.hiring.tests.support import make_candidate, make_hr, make_position, make_profile, make_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr():
    return make_hr(username="hrapi")


@pytest.fixture
def api(hr):
    client = APIClient()
    client.force_authenticate(hr)
    return client


def test_a_job_description_is_made_edited_issued_and_printed(api):
    template = make_template()
    response = api.post(
        "/api/v1/hr/job-descriptions/", {"template": template.pk, "company_tasks": "- Visit fairs"}, format="json"
    )
    assert response.status_code == 201, response.json()
    job_id = response.json()["id"]
    assert response.json()["versions"] == [{"number": 1, "issued_at": None, "note": ""}]
    response = api.post(
        f"/api/v1/hr/job-descriptions/{job_id}/edit/", {"rights": "- Sign offers", "note": "rights"}, format="json"
    )
    assert (response.status_code, response.json()["rights"], response.json()["is_draft"]) == (
        200,
        "- Sign offers",
        True,
    )
    response = api.post(f"/api/v1/hr/job-descriptions/{job_id}/issue/")
    assert response.status_code == 200 and response.json()["issued_at"]
    version_id = response.json()["id"]
    pdf = api.get(f"/api/v1/hr/job-description-versions/{version_id}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    response = api.post(f"/api/v1/hr/job-descriptions/{job_id}/edit/", {"qualities": "- Under 35"}, format="json")
    assert response.status_code == 400
    assert response.json()["duties"][0]["code"] == "discriminatory_text"
    assert JobDescription.objects.get().versions.count() == 1


def test_the_wording_check_endpoint_explains_each_flag(api):
    response = api.post(
        "/api/v1/hr/wording-check/", {"text": "Кандидаты до 35 лет, приятная внешность."}, format="json"
    )
    assert response.status_code == 200
    assert [(f["text"], f["severity"], f["category"]) for f in response.json()] == [
        ("до 35 лет", "block", "age"),
        ("приятная внешность", "warn", "appearance"),
    ]
    assert "2000/78/EC" in response.json()[0]["explanation"]


def test_a_position_with_an_age_limit_is_refused_with_its_code(api):
    data = {"title": "Manager", "manager_type": "advice", "level": "junior", "ad_text": "aged 25 to 40"}
    response = api.post("/api/v1/hr/positions/", data, format="json")
    assert response.status_code == 400 and response.json()["ad_text"][0]["code"] == "discriminatory_text"
    response = api.post("/api/v1/hr/positions/", {**data, "ad_text": "Young team"}, format="json")
    assert response.json()["ad_text"][0]["code"] == "text_needs_review"
    response = api.post(
        "/api/v1/hr/positions/", {**data, "ad_text": "Young team", "confirm_wording": True}, format="json"
    )
    assert response.status_code == 201
    assert [f["code"] for f in response.json()["ad_flags"]] == ["age_wording"]


def test_a_candidate_is_assessed_ranked_evaluated_and_hired(api, hr):
    software = make_group("Software")
    profile = make_profile(knowledge={"communication": 4}, client_base_groups=[software])
    position = make_position(profile, manager_type="decision", level="middle")
    response = api.post(
        "/api/v1/hr/candidates/",
        {
            "first_name": "Dóra",
            "last_name": "Papp",
            "position": position.pk,
            "years_of_experience": "4",
            "education_level": "higher_professional",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    candidate_id = response.json()["id"]
    assert "birth_date" not in response.json() and "sex" not in response.json()
    response = api.post(
        f"/api/v1/hr/candidates/{candidate_id}/assessments/",
        {"assessed_on": "2026-01-10", "knowledge": {"communication": 5}, "qualities": {}},
        format="json",
    )
    assert response.status_code == 201 and response.json()["interviewer"] == hr.pk
    fit = api.get(f"/api/v1/hr/candidates/{candidate_id}/fit/").json()
    # no quality is listed (a maximum of 75) and no client base yet: 16 + 10 + 35 + 0 = 61 → 81.3
    assert (fit["score"], fit["points"], fit["max_points"], fit["knocked_out"]) == ("81.3", "61.00", "75.00", False)
    assert fit["lines"][0]["sentence"] == "4 years of experience of the 5 that earn full credit."
    ranking = api.get(f"/api/v1/hr/positions/{position.pk}/ranking/").json()
    assert [(r["place"], r["name"], r["score"]) for r in ranking] == [(1, "Dóra Papp", "81.3")]
    evaluation = api.post(f"/api/v1/hr/candidates/{candidate_id}/evaluate/", {}, format="json")
    assert evaluation.status_code == 201 and evaluation.json()["score"] == "81.3"
    response = api.post(
        f"/api/v1/hr/candidates/{candidate_id}/client-base/",
        {"csv": "name,registration_number\nEpszilon Kft.,01-09-888888\n"},
        format="json",
    )
    assert [(e["name"], e["status"]) for e in response.json()] == [("Epszilon Kft.", "new")]
    response = api.post(
        f"/api/v1/hr/candidates/{candidate_id}/hire/",
        {"username": "dora", "manager_type": "decision", "level": "middle", "work_mode": "personal"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (
        response.json()["username"],
        response.json()["prospects_created"],
        response.json()["knowledge_carried"],
    ) == ("dora", 1, 1)
    again = api.post(
        f"/api/v1/hr/candidates/{candidate_id}/hire/",
        {"username": "dora2", "manager_type": "decision", "level": "middle"},
        format="json",
    )
    assert again.status_code == 400 and again.json()["non_field_errors"][0]["code"] == "already_hired"


def test_contracts_through_the_api(api):
    manager = make_manager()
    data = {"manager": manager.pk, "start_date": "2026-01-01", "base_salary": "450000", "currency": "HUF"}
    refused = api.post("/api/v1/hr/contracts/", {**data, "contract_type": "civil_law"}, format="json")
    assert refused.status_code == 400 and refused.json()["contract_type"][0]["code"] == "civil_law_refused"
    created = api.post("/api/v1/hr/contracts/", data, format="json")
    assert created.status_code == 201, created.json()
    contract = created.json()
    assert (contract["term"], contract["probation_until"], contract["status"]) == ("indefinite", "2026-03-31", "active")
    amended = api.post(
        f"/api/v1/hr/contracts/{contract['id']}/amend/",
        {"effective_on": "2026-06-01", "base_salary": "500000"},
        format="json",
    )
    assert amended.status_code == 201 and amended.json()["changes"] == [
        {"field": "base_salary", "old": "450000", "new": "500000"}
    ]
    ended = api.post(
        f"/api/v1/hr/contracts/{contract['id']}/end/",
        {"ended_on": "2026-06-30", "end_reason": "Resigned"},
        format="json",
    )
    assert ended.status_code == 200
    assert (ended.json()["departure_needed"], ended.json()["clients"], ended.json()["contract"]["ended_on"]) == (
        True,
        0,
        "2026-06-30",
    )


def test_trainings_and_participants_through_the_api(api):
    manager = make_manager()
    created = api.post(
        "/api/v1/hr/trainings/",
        {
            "title": "Etiquette",
            "kind": "seminar",
            "starts_on": "2026-04-01",
            "ends_on": "2026-04-02",
            "cost": "90000",
            "knowledge_areas": ["etiquette"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    training_id = created.json()["id"]
    joined = api.post(f"/api/v1/hr/trainings/{training_id}/participants/", {"manager": manager.pk}, format="json")
    assert joined.status_code == 201
    updated = api.patch(
        f"/api/v1/hr/training-participants/{joined.json()['id']}/", {"status": "completed"}, format="json"
    )
    assert (updated.json()["status"], updated.json()["completed_on"]) == ("completed", "2026-04-02")
    mine = APIClient()
    mine.force_authenticate(manager.user)
    assert [p["training"] for p in mine.get("/api/v1/hr/training-participants/").json()["results"]] == [training_id]
    other = APIClient()
    other.force_authenticate(make_manager().user)
    assert other.get("/api/v1/hr/training-participants/").json()["results"] == []


def test_the_candidate_list_takes_a_fixed_number_of_queries(api, hr):
    position = make_position(make_profile())
    for _ in range(3):
        make_candidate(hr, position=position)
    api.get("/api/v1/hr/candidates/")  # the caller's roles are read once
    with CaptureQueriesContext(connection) as few:
        assert len(api.get("/api/v1/hr/candidates/").json()["results"]) == 3
    for _ in range(10):
        make_candidate(hr, position=position)
    with CaptureQueriesContext(connection) as many:
        assert len(api.get("/api/v1/hr/candidates/").json()["results"]) == 13
    assert len(many) == len(few)
    assert Candidate.objects.count() == 13


def test_a_manager_cannot_use_candidates_or_others_contracts_through_the_api():
    api = APIClient()
    api.force_authenticate(make_user())
    assert api.get("/api/v1/hr/candidates/").json()["results"] == []
    assert api.post("/api/v1/hr/wording-check/", {"text": "x"}, format="json").status_code == 200
