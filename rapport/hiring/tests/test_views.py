"""The HR pages: every page renders for HR, forms call the services, documents download."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client as Browser
from django.urls import reverse

from rapport.accounts.roles import Role
from rapport.core.testing import make_group, make_manager, make_user
from rapport.hiring.choices import CandidateStatus
from rapport.hiring.models import Candidate, EmploymentContract, JobDescription, Position, Training
from rapport.hiring.tests.support import (
    make_assessment,
    make_candidate,
    make_contract,
    make_hr,
    make_job,
    make_position,
    make_profile,
    make_template,
)
from rapport.hiring.training import participant_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    hr = make_hr(username="hrview")
    manager = make_manager()
    group = make_group("Software")
    profile = make_profile(knowledge={"communication": 4}, qualities={"teamwork": 2}, client_base_groups=[group])
    position = make_position(
        profile, ad_text="Friendly team, 3 years of experience.", pay_min=Decimal(300000), pay_max=Decimal(500000)
    )
    template = make_template()
    job, version = make_job(hr, manager=manager)
    candidate = make_candidate(hr, position=position, expected_pay=Decimal(450000), offered_pay=Decimal(420000))
    make_assessment(candidate, hr, knowledge={"communication": 4}, qualities={"teamwork": 5})
    contract = make_contract(manager, hr, job_description_version=version)
    training = Training.objects.create(
        title="Negotiation", starts_on=datetime.date(2026, 3, 2), ends_on=datetime.date(2026, 3, 2), created_by=hr
    )
    participant_add(actor=hr, training=training, manager=manager)
    browser = Browser()
    browser.force_login(hr)
    return {
        "hr": hr,
        "browser": browser,
        "manager": manager,
        "profile": profile,
        "position": position,
        "template": template,
        "job": job,
        "version": version,
        "candidate": candidate,
        "contract": contract,
        "training": training,
    }


def pages(w):
    return [
        reverse("hiring:overview"),
        reverse("hiring:templates"),
        reverse("hiring:template_create"),
        reverse("hiring:template", args=[w["template"].pk]),
        reverse("hiring:template_edit", args=[w["template"].pk]),
        reverse("hiring:jobs"),
        reverse("hiring:job_create") + f"?template={w['template'].pk}",
        reverse("hiring:job", args=[w["job"].pk]),
        reverse("hiring:job_edit", args=[w["job"].pk]),
        reverse("hiring:version", args=[w["job"].pk, 1]),
        reverse("hiring:profiles"),
        reverse("hiring:profile_create"),
        reverse("hiring:profile", args=[w["profile"].pk]),
        reverse("hiring:profile_edit", args=[w["profile"].pk]),
        reverse("hiring:positions"),
        reverse("hiring:position_create"),
        reverse("hiring:position", args=[w["position"].pk]),
        reverse("hiring:position_edit", args=[w["position"].pk]),
        reverse("hiring:candidates") + "?order=-experience&status=new",
        reverse("hiring:candidate_create"),
        reverse("hiring:candidate", args=[w["candidate"].pk]),
        reverse("hiring:candidate_edit", args=[w["candidate"].pk]),
        reverse("hiring:assess", args=[w["candidate"].pk]),
        reverse("hiring:client_base", args=[w["candidate"].pk]),
        reverse("hiring:hire", args=[w["candidate"].pk]),
        reverse("hiring:contracts"),
        reverse("hiring:contract", args=[w["contract"].pk]),
        reverse("hiring:contract_amend", args=[w["contract"].pk]),
        reverse("hiring:contract_end", args=[w["contract"].pk]),
        reverse("hiring:contract_create", args=[w["manager"].pk]),
        reverse("hiring:manager", args=[w["manager"].pk]),
        reverse("hiring:trainings") + "?area=negotiation&year=2026",
        reverse("hiring:training_create"),
        reverse("hiring:training", args=[w["training"].pk]),
        reverse("hiring:training_edit", args=[w["training"].pk]),
        reverse("hiring:training_report") + "?year=2026",
    ]


def test_every_hr_page_renders_for_hr(world):
    for url in pages(world):
        response = world["browser"].get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("language", ["hu", "ru"])
def test_pages_render_in_hungarian_and_russian(world, language):
    world["browser"].cookies["django_language"] = language
    for url in pages(world)[:12]:
        assert world["browser"].get(url, HTTP_ACCEPT_LANGUAGE=language).status_code == 200, url


def test_the_pdf_of_a_version_downloads(world):
    response = world["browser"].get(reverse("hiring:version_pdf", args=[world["job"].pk, 1]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f"job-description-{world['job'].pk}-v1.pdf" in response["Content-Disposition"]


def test_the_live_wording_check_answers_a_partial_with_the_flags(world):
    response = world["browser"].post(
        reverse("hiring:ad_check"), {"ad_text": "Fiatal csapat, 25–40 év között."}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "«Fiatal»" in body and "«25–40 év»" in body and "2000/78/EC" in body


def test_a_vacancy_with_an_age_limit_is_refused_on_the_page_and_nothing_changes(world):
    position = world["position"]
    response = world["browser"].post(
        reverse("hiring:position_edit", args=[position.pk]),
        {
            "title": position.title,
            "manager_type": "partnership",
            "level": "middle",
            "work_mode": "personal",
            "profile": world["profile"].pk,
            "currency": "HUF",
            "pay_min": "300000",
            "pay_max": "500000",
            "is_open": "on",
            "ad_text": "Partnership manager under 35.",
        },
    )
    assert response.status_code == 200
    assert "«under 35»" in response.content.decode()
    position.refresh_from_db()
    assert position.ad_text == "Friendly team, 3 years of experience."


def test_a_job_description_is_created_from_a_template_on_the_page(world):
    response = world["browser"].post(
        reverse("hiring:job_create"),
        {"template": world["template"].pk, "position": world["position"].pk, "company_tasks": "- Visit fairs"},
    )
    job = JobDescription.objects.latest("id")
    assert response.status_code == 302 and response["Location"] == reverse("hiring:job", args=[job.pk])
    assert job.versions.get().company_tasks.endswith("- Visit fairs")


def test_an_assessment_and_a_kept_evaluation_from_the_pages(world):
    candidate = world["candidate"]
    other = make_user(Role.MANAGEMENT)
    response = world["browser"].post(
        reverse("hiring:assess", args=[candidate.pk]),
        {"interviewer": other.pk, "assessed_on": "2026-01-20", "k_communication": "5", "q_teamwork": "3"},
    )
    assert response.status_code == 302
    assert candidate.assessments.count() == 2
    response = world["browser"].post(reverse("hiring:evaluate", args=[candidate.pk]), {"profile": world["profile"].pk})
    evaluation = candidate.evaluations.get()
    assert response["Location"] == reverse("hiring:evaluation", args=[candidate.pk, evaluation.pk])
    page = world["browser"].get(response["Location"]).content.decode()
    assert "Interpersonal communication theory: assessed 4.5, required 4 — met." in page


def test_hiring_from_the_page_makes_a_manager(world):
    candidate = world["candidate"]
    response = world["browser"].post(
        reverse("hiring:hire", args=[candidate.pk]),
        {
            "username": "newbie",
            "manager_type": "partnership",
            "level": "middle",
            "work_mode": "personal",
            "hire_date": "2026-02-01",
            "convert_client_base": "on",
        },
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.HIRED and candidate.hired_manager.user.username == "newbie"
    page = world["browser"].get(reverse("hiring:contract_create", args=[candidate.hired_manager.pk])).content.decode()
    assert 'value="420000' in page  # the offered pay is proposed as the base salary


def test_a_civil_law_contract_is_refused_on_the_page_with_the_explanation(world):
    manager = make_manager()
    response = world["browser"].post(
        reverse("hiring:contract_create", args=[manager.pk]),
        {
            "contract_type": "civil_law",
            "term": "indefinite",
            "start_date": "2026-02-01",
            "probation_months": "3",
            "working_time": "full_time",
            "hours_per_week": "40",
            "base_salary": "400000",
            "currency": "HUF",
            "client_base_protection": "on",
        },
    )
    assert response.status_code == 200
    assert "practically excludes a civil-law contract" in response.content.decode()
    assert not EmploymentContract.objects.filter(manager=manager).exists()


def test_an_amendment_from_the_page_is_listed_with_old_and_new_values(world):
    contract = world["contract"]
    response = world["browser"].post(
        reverse("hiring:contract_amend", args=[contract.pk]),
        {
            "term": "indefinite",
            "probation_months": "3",
            "working_time": "part_time",
            "hours_per_week": "30",
            "base_salary": "450000",
            "currency": "HUF",
            "job_description_version": world["version"].pk,
            "client_base_protection": "on",
            "protection_clause": contract.protection_clause,
            "effective_on": "2026-03-01",
            "note": "Asked for part time",
        },
    )
    assert response.status_code == 302
    page = world["browser"].get(reverse("hiring:contract", args=[contract.pk])).content.decode()
    assert "<strong>working time</strong>: Full time → Part time" in page
    assert "<strong>hours per week</strong>: 40 → 30" in page


def test_candidate_list_search_and_filters_never_offer_protected_characteristics(world):
    response = world["browser"].get(reverse("hiring:candidates"))
    form = response.context["filterset"].form
    assert list(form.fields) == [
        "q",
        "status",
        "position",
        "education_level",
        "min_experience",
        "has_client_base",
        "anonymised",
        "order",
    ]
    assert [value for value, _label in form.fields["order"].choices] == [
        "name",
        "-experience",
        "-client_base",
        "-activity",
        "-created",
    ]
    # a filter or sort by a protected characteristic is ignored, never applied
    response = world["browser"].get(reverse("hiring:candidates") + "?age=30&sex=f&nationality=hu&order=age")
    assert [c.pk for c in response.context["page"].object_list] == [world["candidate"].pk]
    assert Candidate.objects.count() == 1 and Position.objects.count() == 1
