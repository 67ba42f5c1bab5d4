"""Factories of HR records for the tests: written directly, so a test can set up any state."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from rapport.accounts.roles import Role
from rapport.core.testing import make_user
from rapport.hiring.choices import EducationLevel, Section
from rapport.hiring.models import (
    Assessment,
    Candidate,
    EmploymentContract,
    JobDescription,
    JobDescriptionTemplate,
    JobDescriptionVersion,
    Position,
    RequirementProfile,
)
from rapport.managers.choices import ManagerLevel, ManagerType

_seq = itertools.count(1)


def make_hr(**fields):
    return make_user(Role.HR, **fields)


def make_template(**fields) -> JobDescriptionTemplate:
    n = next(_seq)
    fields.setdefault("name", f"Template {n}")
    fields.setdefault("language", "en")
    fields.setdefault("manager_type", ManagerType.PARTNERSHIP)
    fields.setdefault("level", ManagerLevel.MIDDLE)
    fields.setdefault("title", "Client manager (partnership), middle")
    for section in Section.values:
        fields.setdefault(section, f"{section} text")
    return JobDescriptionTemplate.objects.create(**fields)


def make_job(actor, *, issued=True, **fields) -> tuple[JobDescription, JobDescriptionVersion]:
    """A job description with one version, issued unless told otherwise."""
    fields.setdefault("title", f"Job {next(_seq)}")
    fields.setdefault("language", "en")
    fields.setdefault("manager_type", ManagerType.PARTNERSHIP)
    fields.setdefault("level", ManagerLevel.MIDDLE)
    job = JobDescription.objects.create(created_by=actor, **fields)
    version = JobDescriptionVersion.objects.create(
        job_description=job,
        number=1,
        created_by=actor,
        duties="- Serve the clients",
        issued_at=timezone.now() if issued else None,
        issued_by=actor if issued else None,
    )
    return job, version


def make_profile(**fields) -> RequirementProfile:
    groups = fields.pop("client_base_groups", [])
    fields.setdefault("name", f"Profile {next(_seq)}")
    fields.setdefault("level", ManagerLevel.MIDDLE)
    fields.setdefault("min_experience_years", Decimal(3))
    fields.setdefault("full_experience_years", Decimal(5))
    profile = RequirementProfile.objects.create(**fields)
    if groups:
        profile.client_base_groups.set(groups)
    return profile


def make_position(profile=None, **fields) -> Position:
    fields.setdefault("title", f"Position {next(_seq)}")
    fields.setdefault("manager_type", ManagerType.PARTNERSHIP)
    fields.setdefault("level", ManagerLevel.MIDDLE)
    return Position.objects.create(profile=profile, **fields)


def make_candidate(actor=None, **fields) -> Candidate:
    n = next(_seq)
    fields.setdefault("first_name", "Cand")
    fields.setdefault("last_name", f"Idate{n}")
    fields.setdefault("email", f"cand{n}@example.org")
    fields.setdefault("years_of_experience", Decimal(4))
    fields.setdefault("education_level", EducationLevel.HIGHER_PROFESSIONAL)
    fields.setdefault("last_activity_at", timezone.now())
    return Candidate.objects.create(created_by=actor or make_hr(), **fields)


def make_assessment(candidate, interviewer, knowledge=None, qualities=None, **fields) -> Assessment:
    fields.setdefault("assessed_on", datetime.date(2026, 1, 15))
    return Assessment.objects.create(
        candidate=candidate, interviewer=interviewer, knowledge=knowledge or {}, qualities=qualities or {}, **fields
    )


def make_contract(manager, actor, **fields) -> EmploymentContract:
    fields.setdefault("start_date", datetime.date(2025, 1, 1))
    fields.setdefault("base_salary", Decimal(450000))
    fields.setdefault("currency", "HUF")
    fields.setdefault("protection_clause", "Clients stay with the company.")
    return EmploymentContract.objects.create(manager=manager, created_by=actor, **fields)
