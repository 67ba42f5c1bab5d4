"""The demo company's HR: job description templates for every manager type and level in English, Hungarian and
Russian; job descriptions issued for the types and levels the managers hold; requirement profiles and two open
positions; candidates with interview scores (one bringing a client base, one past the retention period); an
employment contract for every manager; trainings with participants and assessed knowledge. All through the
services; built once — what exists is kept."""

import datetime
from decimal import Decimal

from django.utils import timezone

from rapport.clients.models import ClientGroup
from rapport.demo.hiring_texts import LEVELS, TYPES, template_data
from rapport.hiring import clientbase, contracts, jobs, recruiting, training
from rapport.hiring.choices import CandidateStatus, Participation
from rapport.hiring.models import (
    Candidate,
    EmploymentContract,
    JobDescriptionTemplate,
    ManagerKnowledge,
    Position,
    Training,
)
from rapport.managers.choices import EmploymentStatus
from rapport.managers.models import ClientManager

# Base salaries per level: the demo pay plan's (``pay.py``), so contracts and plan agree.
BASE_SALARY = {"junior": Decimal("380000"), "middle": Decimal("520000"), "senior": Decimal("700000")}

PROFILES = [
    {
        "name": "Partnership manager, middle",
        "manager_type": "partnership",
        "level": "middle",
        "min_education": "secondary_professional",
        "preferred_field": "economics",
        "knowledge": {"legislation": 3, "offering": 4, "business_plans": 3, "communication": 4},
        "essential_areas": ["communication"],
        "qualities": {"communication": 3, "stress_resistance": 2, "negotiation": 3, "teamwork": 2},
        "groups": ["Industry", "Public sector"],
    },
    {
        "name": "Advice manager, junior",
        "manager_type": "advice",
        "level": "junior",
        "min_education": "secondary_professional",
        "preferred_field": "",
        "knowledge": {"offering": 3, "etiquette": 3, "communication": 3},
        "essential_areas": [],
        "qualities": {"courtesy": 3, "communication": 2, "learning": 2},
        "groups": ["Retail"],
    },
]

POSITIONS = [
    {
        "title": "Partnership manager, industrial clients",
        "profile": "Partnership manager, middle",
        "manager_type": "partnership",
        "level": "middle",
        "work_mode": "personal",
        "pay": (Decimal("450000"), Decimal("650000")),
        "ad_text": "We are looking for a client manager to build long-term partnerships with manufacturers and public "
        "institutions. You bring 3–5 years of experience with corporate clients, negotiate well and keep your word. "
        "Your own client base in industry is an advantage. Applications from everyone are welcome.",
        "job_language": "en",
    },
    {
        "title": "Tanácsadó ügyfélmenedzser, kereskedelem",
        "profile": "Advice manager, junior",
        "manager_type": "advice",
        "level": "junior",
        "work_mode": "pool",
        "pay": (Decimal("360000"), Decimal("450000")),
        "ad_text": "Ügyfélkapcsolati menedzsert keresünk kereskedelmi ügyfeleink szakmai tanácsadására. Legalább 1 év "
        "tapasztalat az ügyfelekkel végzett munkában, udvariasság és türelem. Várjuk minden jelentkező pályázatát.",
        "job_language": "hu",
    },
]

CANDIDATES = [
    # first, last, e-mail, position, years, education, field, base size, base group, expected, offered, status
    (
        "Réka",
        "Balogh",
        "reka.balogh@example.org",
        0,
        "4.5",
        "higher_professional",
        "economics",
        0,
        "Industry",
        "600000",
        "560000",
        CandidateStatus.OFFERED,
    ),
    (
        "Márton",
        "Lengyel",
        "marton.lengyel@example.org",
        0,
        "2",
        "higher_professional",
        "law",
        5,
        "Industry",
        "520000",
        None,
        CandidateStatus.INTERVIEWING,
    ),
    (
        "Jevgenyija",
        "Orlova",
        "e.orlova@example.org",
        0,
        "6",
        "secondary_professional",
        "psychology",
        0,
        None,
        "700000",
        None,
        CandidateStatus.INTERVIEWING,
    ),
    (
        "Bálint",
        "Fodor",
        "balint.fodor@example.org",
        1,
        "1.5",
        "secondary_professional",
        "other",
        0,
        None,
        "400000",
        None,
        CandidateStatus.NEW,
    ),
    (
        "Olivér",
        "Szűts",
        "oliver.szuts@example.org",
        1,
        "3",
        "general",
        "",
        0,
        None,
        None,
        None,
        CandidateStatus.REJECTED,
    ),
]
# Interviewers' scores: knowledge and qualities per candidate e-mail, by two interviewers (HR and Management).
SCORES = {
    "reka.balogh@example.org": [
        (
            {"legislation": 3, "offering": 4, "business_plans": 4, "communication": 5},
            {"communication": 5, "stress_resistance": 4, "negotiation": 4, "teamwork": 5},
        ),
        ({"legislation": 4, "offering": 3, "communication": 4}, {"communication": 4, "negotiation": 5, "teamwork": 4}),
    ],
    "marton.lengyel@example.org": [
        (
            {"legislation": 5, "offering": 3, "business_plans": 4, "communication": 3},
            {"communication": 3, "stress_resistance": 3, "negotiation": 4, "teamwork": 3},
        ),
    ],
    "e.orlova@example.org": [
        (
            {"legislation": 3, "offering": 4, "business_plans": 3, "communication": 4},
            {"communication": 4, "stress_resistance": 5, "negotiation": 3, "teamwork": 4},
        ),
    ],
}
CLIENT_BASE_CSV = """name;kind;registration_number;email;city
Mecsek Precíziós Gépgyár Kft.;legal_entity;01-09-700001;info@mecsekprecizios.hu;Pécs
Tiszamenti Fémszerkezet Zrt.;legal_entity;01-09-700002;;Szolnok
Hajdú Öntöde Kft.;legal_entity;01-09-700003;;Debrecen
{existing};legal_entity;{existing_regno};;Budapest
"""

TRAININGS = [
    # title, kind, provider, trainer, start offset in days, days, cost, areas, participants (usernames, status)
    (
        "Contract terms for client managers",
        "course",
        "Budapest Business Academy",
        "",
        -75,
        2,
        "240000",
        ["business_plans", "legislation"],
        [("anna", Participation.COMPLETED), ("csilla", Participation.COMPLETED), ("eszter", Participation.ABSENT)],
    ),
    (
        "Negotiation and conflict",
        "seminar",
        "Pannon Training Kft.",
        "",
        -20,
        1,
        "180000",
        ["communication", "sociology_psychology", "etiquette"],
        [("bence", Participation.ATTENDED), ("daniel", Participation.COMPLETED), ("gabor", Participation.COMPLETED)],
    ),
    (
        "Serving VIP clients",
        "invited_trainer",
        "",
        "Dr. Katalin Vámos",
        21,
        1,
        "350000",
        ["etiquette", "communication", "business_contacts"],
        [("istvan", Participation.ENROLLED)],
    ),
    (
        "Marketing basics for client work",
        "course",
        "Online Academy",
        "",
        35,
        3,
        "95000",
        ["marketing", "company_fields"],
        [],
    ),
]
# Assessed knowledge of a few managers (leaves gaps the trainings above can fill).
KNOWLEDGE = {
    "eszter": {"offering": 3, "communication": "3.5", "legislation": 2, "business_plans": 2},
    "gabor": {"offering": 4, "communication": 4, "legislation": 3, "business_plans": "2.5"},
}


def build_hiring(*, hr, boss) -> None:
    """Templates, job descriptions, profiles, positions, candidates, contracts and trainings (idempotent)."""
    if JobDescriptionTemplate.objects.exists():
        return
    templates = _templates(hr)
    versions = _job_descriptions(hr, templates)
    profiles = _profiles(hr)
    positions = _positions(hr, profiles, templates)
    _candidates(hr, boss, positions)
    _contracts(hr, versions)
    _trainings(hr)


def _templates(hr) -> dict:
    templates = {}
    for language in ("en", "hu", "ru"):
        for manager_type in TYPES:
            for level in LEVELS:
                data = template_data(language, manager_type, level)
                templates[(language, manager_type, level)] = jobs.template_save(actor=hr, data=data)
    return templates


def _job_descriptions(hr, templates) -> dict:
    """An issued job description (English) for every type and level a manager holds."""
    versions = {}
    held = ClientManager.objects.values_list("manager_type", "level").distinct()
    for manager_type, level in sorted(set(held)):
        job = jobs.job_description_create(actor=hr, template=templates[("en", manager_type, level)])
        versions[(manager_type, level)] = jobs.job_description_issue(actor=hr, job=job)
    return versions


def _profiles(hr) -> dict:
    profiles = {}
    for spec in PROFILES:
        data = {key: value for key, value in spec.items() if key != "groups"}
        data["client_base_groups"] = list(ClientGroup.objects.filter(name__in=spec["groups"]))
        profiles[spec["name"]] = recruiting.profile_save(actor=hr, data=data)
    return profiles


def _positions(hr, profiles, templates) -> list[Position]:
    positions = []
    for spec in POSITIONS:
        position = recruiting.position_save(
            actor=hr,
            data={
                "title": spec["title"],
                "manager_type": spec["manager_type"],
                "level": spec["level"],
                "work_mode": spec["work_mode"],
                "profile": profiles[spec["profile"]],
                "currency": "HUF",
                "pay_min": spec["pay"][0],
                "pay_max": spec["pay"][1],
                "is_open": True,
                "ad_text": spec["ad_text"],
            },
        )
        template = templates[(spec["job_language"], spec["manager_type"], spec["level"])]
        job = jobs.job_description_create(
            actor=hr,
            template=template,
            position=position,
            company_tasks="- "
            + (
                "Visit two industry fairs a year."
                if spec["job_language"] == "en"
                else "Évente két szakmai vásár látogatása."
            ),
        )
        jobs.job_description_issue(actor=hr, job=job)
        positions.append(position)
    return positions


def _candidates(hr, boss, positions) -> None:
    today = timezone.localdate()
    for first, last, email, index, years, level, field, size, group, expected, offered, status in CANDIDATES:
        candidate = recruiting.candidate_save(
            actor=hr,
            data={
                "first_name": first,
                "last_name": last,
                "email": email,
                "position": positions[index],
                "source": "Company website",
                "years_of_experience": Decimal(years),
                "education_level": level,
                "education_field": field,
                "client_base_size": size,
                "client_base_group": ClientGroup.objects.filter(name=group).first() if group else None,
                "currency": "HUF",
                "expected_pay": Decimal(expected) if expected else None,
                "offered_pay": Decimal(offered) if offered else None,
            },
        )
        for interviewer, (knowledge, qualities) in zip((hr, boss), SCORES.get(email, []), strict=False):
            recruiting.assessment_save(
                actor=hr,
                candidate=candidate,
                interviewer=interviewer,
                assessed_on=today - datetime.timedelta(days=7),
                knowledge=knowledge,
                qualities=qualities,
            )
        if status != candidate.status:
            recruiting.candidate_set_status(actor=hr, candidate=candidate, status=status)
        if email == "reka.balogh@example.org":
            existing = _an_existing_client()
            csv = CLIENT_BASE_CSV.format(existing=existing[0], existing_regno=existing[1])
            clientbase.client_base_import(actor=hr, candidate=candidate, content=csv)
    # One rejected long ago and not consenting: due for anonymisation by ``manage.py hiring anonymise``.
    Candidate.objects.filter(email="oliver.szuts@example.org").update(
        last_activity_at=timezone.now() - datetime.timedelta(days=400)
    )


def _an_existing_client() -> tuple[str, str]:
    from rapport.clients.models import Client

    client = Client.objects.filter(kind="legal_entity").order_by("registration_number").first()
    return (client.name, client.registration_number) if client else ("Alfa Kft.", "01-09-999998")


def _contracts(hr, versions) -> None:
    for manager in ClientManager.objects.select_related("user").exclude(employment_status=EmploymentStatus.DISMISSED):
        if EmploymentContract.objects.filter(manager=manager).exists():
            continue
        contracts.contract_create(
            actor=hr,
            manager=manager,
            data={
                "start_date": manager.hire_date,
                "base_salary": BASE_SALARY[manager.level],
                "currency": "HUF",
                "job_description_version": versions.get((manager.manager_type, manager.level)),
                "signed_on": manager.hire_date,
            },
        )


def _trainings(hr) -> None:
    today = timezone.localdate()
    managers = {m.user.username: m for m in ClientManager.objects.select_related("user")}
    for title, kind, provider, trainer, offset, days, cost, areas, people in TRAININGS:
        if Training.objects.filter(title=title).exists():
            continue
        starts = today + datetime.timedelta(days=offset)
        item = training.training_save(
            actor=hr,
            data={
                "title": title,
                "kind": kind,
                "provider": provider,
                "trainer": trainer,
                "starts_on": starts,
                "ends_on": starts + datetime.timedelta(days=days - 1),
                "cost": Decimal(cost),
                "currency": "HUF",
                "knowledge_areas": areas,
            },
        )
        for username, status in people:
            if username not in managers:
                continue
            participant = training.participant_add(actor=hr, training=item, manager=managers[username])
            if status != Participation.ENROLLED:
                training.participant_update(actor=hr, participant=participant, status=status)
    for username, levels in KNOWLEDGE.items():
        manager = managers.get(username)
        if manager is not None and not ManagerKnowledge.objects.filter(manager=manager).exists():
            training.knowledge_set(
                actor=hr, manager=manager, levels=levels, assessed_on=today - datetime.timedelta(days=30)
            )
