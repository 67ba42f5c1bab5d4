"""Templates and job descriptions: made from a template, edited as drafts, issued, versioned; fair wording."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rapport.accounts.roles import Role
from rapport.core.testing import make_manager, make_user
from rapport.hiring.jobs import (
    current_version,
    job_description_create,
    job_description_edit,
    job_description_issue,
    template_save,
)
from rapport.hiring.models import JobDescription, JobDescriptionTemplate, JobDescriptionVersion
from rapport.hiring.tests.support import make_hr, make_position, make_template

pytestmark = pytest.mark.django_db


def codes(exc: ValidationError) -> list[str]:
    return [e.code for errors in exc.error_dict.values() for e in errors]


def test_a_job_description_is_made_from_a_template_with_the_company_tasks_added():
    # given a template and a position
    hr = make_hr()
    template = make_template(company_tasks="- Keep the CRM up to date", language="hu")
    position = make_position()
    # when HR makes a job description for the position, adding a company-specific task
    job = job_description_create(actor=hr, template=template, position=position, company_tasks="- Visit fairs")
    # then it takes the template's title, language, type and level, and its first version is a draft
    assert (job.title, job.language, job.manager_type, job.level, job.position, job.template) == (
        template.title,
        "hu",
        template.manager_type,
        template.level,
        position,
        template,
    )
    version = job.versions.get()
    assert (version.number, version.is_draft, version.duties) == (1, True, "duties text")
    assert version.company_tasks == "- Keep the CRM up to date\n- Visit fairs"
    assert current_version(job) is None


def test_a_draft_is_edited_in_place_and_an_issued_version_starts_the_next_draft():
    hr = make_hr()
    job = job_description_create(actor=hr, template=make_template(), manager=make_manager())
    # when HR edits the draft, then issues it
    job_description_edit(actor=hr, job=job, sections={"duties": "- Win clients"}, note="first")
    issued = job_description_issue(actor=hr, job=job)
    # then there is still one version, issued and in force
    assert (job.versions.count(), issued.number, issued.is_draft, issued.issued_by) == (1, 1, False, hr)
    assert current_version(job) == issued
    # when HR edits again
    draft = job_description_edit(actor=hr, job=job, sections={"rights": "- Sign offers"}, note="rights added")
    # then a second version starts from the first, as a draft; the issued one is unchanged and still in force
    assert (draft.number, draft.is_draft, draft.duties, draft.rights, draft.note) == (
        2,
        True,
        "- Win clients",
        "- Sign offers",
        "rights added",
    )
    issued.refresh_from_db()
    assert (issued.rights, current_version(job)) == ("rights text", issued)
    job_description_issue(actor=hr, job=job)
    assert current_version(job).number == 2


def test_issuing_without_a_draft_is_refused():
    hr = make_hr()
    job = job_description_create(actor=hr, template=make_template())
    job_description_issue(actor=hr, job=job)
    with pytest.raises(ValidationError) as refusal:
        job_description_issue(actor=hr, job=job)
    assert refusal.value.code == "nothing_to_issue"


def test_a_job_description_for_a_position_and_a_person_at_once_is_refused():
    hr = make_hr()
    with pytest.raises(ValidationError):
        job_description_create(actor=hr, template=make_template(), position=make_position(), manager=make_manager())
    assert JobDescription.objects.count() == 0


def test_an_age_criterion_in_a_job_description_is_refused_and_nothing_is_saved():
    hr = make_hr()
    job = job_description_create(actor=hr, template=make_template())
    with pytest.raises(ValidationError) as refusal:
        job_description_edit(actor=hr, job=job, sections={"qualities": "- Age 25–40\n- Courtesy"})
    assert codes(refusal.value) == ["discriminatory_text"]
    assert "2000/78/EC" in refusal.value.message_dict["duties"][0]
    assert job.versions.get().qualities == "qualities text"


def test_a_template_with_indirect_wording_needs_a_confirmation():
    hr = make_hr()
    data = {
        "name": "Young team",
        "language": "en",
        "manager_type": "advice",
        "level": "junior",
        "title": "Client manager",
        "qualities": "- Fits our young team",
    }
    with pytest.raises(ValidationError) as refusal:
        template_save(actor=hr, data=data)
    assert codes(refusal.value) == ["text_needs_review"]
    assert JobDescriptionTemplate.objects.count() == 0
    template = template_save(actor=hr, data=data, confirm_wording=True)
    assert template.qualities == "- Fits our young team"


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.CLIENT_MANAGER, Role.PAYROLL])
def test_only_hr_writes_job_descriptions(role):
    template = make_template()
    with pytest.raises(PermissionDenied):
        job_description_create(actor=make_user(role), template=template)
    assert (JobDescription.objects.count(), JobDescriptionVersion.objects.count()) == (0, 0)
