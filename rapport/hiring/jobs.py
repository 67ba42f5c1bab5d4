"""Writes of job description templates and job descriptions.

A job description is made from a template (its sections copied, the company-specific tasks added) for a position
or a person. Its first version is a draft; editing a draft changes it in place, issuing freezes it, and editing an
issued job description starts the next draft. The latest issued version is the one in force: the employee reads
it, and a contract names the version it was signed with. Every text is checked for discriminatory wording.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts import roles
from rapport.core.errors import refuse
from rapport.core.history import save_with_history
from rapport.hiring.choices import Section
from rapport.hiring.errors import HiringError
from rapport.hiring.models import JobDescription, JobDescriptionTemplate, JobDescriptionVersion, Position
from rapport.hiring.wording import require_fair_wording
from rapport.managers.models import ClientManager

TEMPLATE_FIELDS = frozenset({"name", "language", "manager_type", "level", "title", "is_active", *Section.values})


def require_hr(actor) -> None:
    """HR (and Admin) only."""
    if not roles.is_hr(actor):
        raise PermissionDenied(_("Only HR may do this."))


@transaction.atomic
def template_save(
    *, actor, data: dict[str, Any], template: JobDescriptionTemplate | None = None, confirm_wording: bool = False
) -> JobDescriptionTemplate:
    """Create or change a job description template (HR)."""
    require_hr(actor)
    unknown = set(data) - TEMPLATE_FIELDS
    if unknown:
        raise ValueError(f"Unknown template fields: {sorted(unknown)}")
    template = template or JobDescriptionTemplate()
    for name, value in data.items():
        setattr(template, name, value)
    template.full_clean()
    require_fair_wording(template.full_text(), field="duties", confirmed=confirm_wording)
    save_with_history(template, actor=actor, reason="update" if template.pk else "create")
    return template


@transaction.atomic
def job_description_create(
    *,
    actor,
    template: JobDescriptionTemplate,
    title: str = "",
    position: Position | None = None,
    manager: ClientManager | None = None,
    company_tasks: str = "",
    confirm_wording: bool = False,
) -> JobDescription:
    """A job description from ``template`` for ``position`` or ``manager``, with its first version as a draft."""
    require_hr(actor)
    if not template.is_active:
        raise refuse(HiringError.TEMPLATE_INACTIVE, _("This template is no longer in use."), field="template")
    job = JobDescription(
        title=(title or "").strip() or template.title,
        language=template.language,
        manager_type=template.manager_type,
        level=template.level,
        template=template,
        position=position,
        manager=manager,
        created_by=actor,
    )
    job.full_clean()
    save_with_history(job, actor=actor, reason="create")
    sections = template.section_values()
    if company_tasks.strip():
        sections[Section.COMPANY_TASKS] = "\n".join(
            part for part in (sections[Section.COMPANY_TASKS], company_tasks) if part
        )
    version = JobDescriptionVersion(job_description=job, number=1, created_by=actor, **sections)
    version.full_clean()
    require_fair_wording(version.full_text(), field="company_tasks", confirmed=confirm_wording)
    version.save()
    return job


def current_version(job: JobDescription) -> JobDescriptionVersion | None:
    """The version in force: the latest issued one."""
    return job.versions.filter(issued_at__isnull=False).order_by("-number").first()


def draft_version(job: JobDescription) -> JobDescriptionVersion | None:
    return job.versions.filter(issued_at__isnull=True).first()


@transaction.atomic
def job_description_edit(
    *,
    actor,
    job: JobDescription,
    sections: dict[str, str],
    title: str | None = None,
    note: str = "",
    confirm_wording: bool = False,
) -> JobDescriptionVersion:
    """Change the sections: the draft in place, or a new draft after the latest version when none is open."""
    require_hr(actor)
    job = JobDescription.objects.select_for_update().get(pk=job.pk)
    unknown = set(sections) - set(Section.values)
    if unknown:
        raise ValueError(f"Unknown sections: {sorted(unknown)}")
    if title is not None and title.strip() and title.strip() != job.title:
        job.title = title.strip()
        job.full_clean()
        save_with_history(job, actor=actor, reason="update")
    draft = draft_version(job)
    if draft is None:
        latest = job.versions.order_by("-number").first()
        draft = JobDescriptionVersion(
            job_description=job,
            number=(latest.number + 1) if latest else 1,
            created_by=actor,
            **(latest.section_values() if latest else {}),
        )
    for section, text in sections.items():
        setattr(draft, section, text)
    draft.note = note.strip() or draft.note
    draft.full_clean()
    require_fair_wording(draft.full_text(), field="duties", confirmed=confirm_wording)
    draft.save()
    return draft


@transaction.atomic
def job_description_issue(*, actor, job: JobDescription) -> JobDescriptionVersion:
    """Issue the draft: it becomes the version in force and can no longer change."""
    require_hr(actor)
    job = JobDescription.objects.select_for_update().get(pk=job.pk)
    draft = draft_version(job)
    if draft is None:
        raise refuse(HiringError.NOTHING_TO_ISSUE, _("There is no draft to issue: edit the job description first."))
    draft.issued_at = timezone.now()
    draft.issued_by = actor
    draft.save(update_fields=["issued_at", "issued_by"])
    return draft
