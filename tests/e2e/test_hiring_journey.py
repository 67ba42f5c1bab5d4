"""End to end: HR makes a job description from a template and downloads its PDF, evaluates two candidates against
a requirement profile, hires the better one, and the new manager appears in the manager list."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from rapport.accounts.roles import Role
from rapport.core.testing import PASSWORD, make_user
from rapport.hiring.choices import CandidateStatus
from rapport.hiring.models import Candidate, FitEvaluation, JobDescription
from rapport.hiring.tests.support import make_candidate, make_position, make_profile, make_template
from rapport.managers.models import ClientManager
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def assess(page, url, candidate, *, communication, offering, teamwork):
    page.goto(f"{url}/hr/candidates/{candidate.pk}/")
    page.click("#assess")
    page.select_option("#id_k_communication", str(communication))
    page.select_option("#id_k_offering", str(offering))
    page.select_option("#id_q_teamwork", str(teamwork))
    page.click("#save-assessment")
    expect(page.locator(".message.success")).to_contain_text("Assessment saved.")


def test_hr_describes_the_job_evaluates_two_candidates_and_hires_one(page, live_server):
    # given HR, a partnership template, a profile asking communication 4 (essential) and offering 3, a position
    # using it, and two candidates for the position
    hr = make_user(Role.HR, username="hr", first_name="Hanna", last_name="Humán")
    make_template(name="Partnership, middle", title="Client manager – partnership type, middle level")
    profile = make_profile(
        name="Partnership manager, middle",
        knowledge={"communication": 4, "offering": 3},
        essential_areas=["communication"],
        qualities={"teamwork": 2},
    )
    position = make_position(profile, title="Partnership manager, industry")
    dora = make_candidate(hr, first_name="Dóra", last_name="Papp", position=position, years_of_experience=Decimal(5))
    jozsef = make_candidate(
        hr, first_name="József", last_name="Vass", position=position, years_of_experience=Decimal(4)
    )
    url = live_server.url
    login(page, url, "hr", PASSWORD)

    # when HR makes a job description for the position from the template
    page.click("nav.mainnav >> text=HR")
    page.click(".hr-nav >> text=Templates")
    page.locator("tr", has_text="Partnership, middle").locator("text=Make a job description").click()
    page.select_option("#id_position", str(position.pk))
    page.fill("#id_company_tasks", "- Visit two industry fairs a year.")
    page.click("#create-job")
    expect(page.locator(".message.success")).to_contain_text("created as a draft")
    expect(page.locator("#section-company_tasks")).to_contain_text("Visit two industry fairs a year.")
    page.click("#issue-job")
    expect(page.locator("#in-force")).to_have_text("version 1")

    # and downloads its PDF
    with page.expect_download() as download_info:
        page.click("#download-pdf")
    download = download_info.value
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    job = JobDescription.objects.get(position=position)
    assert download.suggested_filename == f"job-description-{job.pk}-v1.pdf"

    # when HR records the interviews: Dóra strong, József below the essential communication level
    assess(page, url, dora, communication=5, offering=4, teamwork=4)
    assess(page, url, jozsef, communication=3, offering=3, teamwork=5)

    # then the position ranks Dóra first and József, knocked out, second — each with an explained score
    page.goto(f"{url}/hr/positions/{position.pk}/")
    rows = page.locator("#ranking tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Dóra Papp")
    # 20 experience + 10 education + 35 knowledge + 20 teamwork (4 of 5) + 0 client base
    expect(rows.nth(0).locator("td.num")).to_have_text("85")
    expect(rows.nth(1)).to_contain_text("József Vass")
    expect(rows.nth(1).locator("td.num")).to_have_text("81.6")
    expect(rows.nth(1)).to_contain_text("Knowledge")
    page.click(f"#rank-{jozsef.pk} >> text=József Vass")
    expect(page.locator("#fit")).to_contain_text(
        "Interpersonal communication theory is essential: assessed 3, below the required 4 — knock-out."
    )

    # when HR keeps Dóra's evaluation and hires her
    page.goto(f"{url}/hr/candidates/{dora.pk}/")
    page.click("#evaluate")
    expect(page.locator(".message.success")).to_have_text("Evaluated: fit score 85.")
    page.goto(f"{url}/hr/candidates/{dora.pk}/")
    page.click("#hire")
    page.fill("#id_username", "dora")
    page.click("#confirm-hire")
    expect(page.locator("ul.messages .message.success")).to_contain_text("Dóra Papp is hired")
    expect(page.locator("#candidate-status")).to_have_text("Hired")

    # then she is in the manager list
    page.click("nav.mainnav >> text=Managers")
    expect(page.locator("table.table tbody")).to_contain_text("Dóra Papp")
    manager = ClientManager.objects.get(user__username="dora")
    assert (manager.manager_type, manager.level, manager.years_of_experience) == ("partnership", "middle", 5)
    assert Candidate.objects.get(pk=dora.pk).status == CandidateStatus.HIRED
    assert Candidate.objects.get(pk=jozsef.pk).status == CandidateStatus.INTERVIEWING
    assert FitEvaluation.objects.get(candidate=dora).knocked_out is False
