"""The demo company: client groups, managers of every type, level and mode, ~200 clients, users for every role,
and a few months of pipeline, interactions, cases and ratings (``activity.py``), of pay (``pay.py``) and of HR
(``hiring.py``).

Building it twice changes nothing: every object is looked up by a natural key first.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from rapport.accounts.roles import Role
from rapport.assignment.models import Assignment
from rapport.assignment.services import assignment_create
from rapport.clients.choices import ClientKind, ClientStatus, Motivation
from rapport.clients.models import Client, ClientGroup
from rapport.clients.services import client_create, client_group_save
from rapport.demo.activity import build_activity
from rapport.demo.hiring import build_hiring
from rapport.demo.pay import build_pay
from rapport.managers.choices import EmploymentStatus, ManagerLevel, ManagerType, WorkMode
from rapport.managers.models import ClientManager
from rapport.managers.services import manager_create

DEMO_PASSWORD = "rapport-demo"  # noqa: S105 (the demo company's published logins)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    name: str


STAFF = [
    ("admin", "Ádám", "Admin", Role.ADMIN),
    ("boss", "Beáta", "Vezető", Role.MANAGEMENT),
    ("hr", "Hanna", "Humán", Role.HR),
    ("payroll", "Pál", "Bérszámfejtő", Role.PAYROLL),
]

GROUPS = [
    ("Industry", "Manufacturers and engineering companies.", [ManagerType.DECISION, ManagerType.PARTNERSHIP]),
    ("Software", "Companies buying, installing and maintaining complex software.", [ManagerType.DECISION]),
    ("Retail", "Shops and chains.", [ManagerType.ADVICE]),
    ("Public sector", "Municipalities and public institutions.", [ManagerType.PARTNERSHIP]),
]

# username, first, last, type, level, mode, VIP-qualified, groups, status
MANAGERS = [
    (
        "anna",
        "Anna",
        "Kovács",
        ManagerType.PARTNERSHIP,
        ManagerLevel.SENIOR,
        WorkMode.PERSONAL,
        True,
        ["Industry", "Public sector"],
        EmploymentStatus.ACTIVE,
    ),
    (
        "bence",
        "Bence",
        "Szabó",
        ManagerType.DECISION,
        ManagerLevel.SENIOR,
        WorkMode.PERSONAL,
        True,
        ["Software", "Industry"],
        EmploymentStatus.ACTIVE,
    ),
    (
        "csilla",
        "Csilla",
        "Tóth",
        ManagerType.ADVICE,
        ManagerLevel.MIDDLE,
        WorkMode.PERSONAL,
        False,
        ["Retail"],
        EmploymentStatus.ACTIVE,
    ),
    (
        "daniel",
        "Dániel",
        "Nagy",
        ManagerType.DECISION,
        ManagerLevel.MIDDLE,
        WorkMode.PERSONAL,
        False,
        ["Software"],
        EmploymentStatus.ACTIVE,
    ),
    (
        "eszter",
        "Eszter",
        "Horváth",
        ManagerType.PARTNERSHIP,
        ManagerLevel.JUNIOR,
        WorkMode.PERSONAL,
        False,
        ["Public sector"],
        EmploymentStatus.ACTIVE,
    ),
    (
        "ferenc",
        "Ferenc",
        "Varga",
        ManagerType.ADVICE,
        ManagerLevel.JUNIOR,
        WorkMode.POOL,
        False,
        ["Retail"],
        EmploymentStatus.ACTIVE,
    ),
    (
        "gabor",
        "Gábor",
        "Kiss",
        ManagerType.PARTNERSHIP,
        ManagerLevel.MIDDLE,
        WorkMode.POOL,
        False,
        ["Industry"],
        EmploymentStatus.ACTIVE,
    ),
    (
        "helga",
        "Helga",
        "Molnár",
        ManagerType.DECISION,
        ManagerLevel.JUNIOR,
        WorkMode.POOL,
        False,
        ["Software"],
        EmploymentStatus.ON_LEAVE,
    ),
    (
        "istvan",
        "István",
        "Farkas",
        ManagerType.ADVICE,
        ManagerLevel.SENIOR,
        WorkMode.PERSONAL,
        True,
        ["Retail", "Industry"],
        EmploymentStatus.ACTIVE,
    ),
]

PREFIXES = [
    "Alfa",
    "Béta",
    "Csillag",
    "Duna",
    "Eger",
    "Fényes",
    "Gránit",
    "Hegyi",
    "Ipari",
    "Jáde",
    "Kristály",
    "Lánc",
    "Mátra",
    "Nyírség",
    "Opál",
    "Pannon",
    "Rába",
    "Sió",
    "Tisza",
    "Uránia",
    "Vértes",
    "Zala",
    "Balaton",
    "Bükk",
    "Kárpát",
]
TRADES = ["Gépgyártó", "Szoftver", "Kereskedelmi", "Logisztikai", "Építő", "Informatikai", "Élelmiszer", "Energia"]
FORMS = ["Kft.", "Zrt.", "Bt.", "Nyrt."]
FIRST_NAMES = [
    "Attila",
    "Boglárka",
    "Csaba",
    "Dóra",
    "Endre",
    "Flóra",
    "Géza",
    "Ilona",
    "János",
    "Katalin",
    "László",
    "Márta",
    "Norbert",
    "Orsolya",
    "Péter",
    "Réka",
    "Sándor",
    "Tímea",
    "Viktor",
    "Zsófia",
]
LAST_NAMES = ["Balogh", "Papp", "Takács", "Juhász", "Lakatos", "Mészáros", "Oláh", "Simon", "Rácz", "Fekete"]
CITIES = [("Budapest", "1051"), ("Debrecen", "4024"), ("Szeged", "6720"), ("Pécs", "7621"), ("Győr", "9021")]


def _user(username: str, first: str, last: str, role: Role, *, staff: bool = False):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            email=f"{username}@rapport.example",
            is_staff=staff,
        )
    user.groups.add(Group.objects.get(name=role.value))
    return user


@transaction.atomic
def build_demo(*, seed: int = 2026, clients: int = 200) -> list[DemoLogin]:
    """Create the demo company (idempotent) and return its logins."""
    rng = random.Random(seed)
    logins: list[DemoLogin] = []
    staff = {}
    for username, first, last, role in STAFF:
        staff[role] = _user(username, first, last, role, staff=role == Role.ADMIN)
        logins.append(DemoLogin(username, str(role.label), f"{first} {last}"))
    boss = staff[Role.MANAGEMENT]
    hr = staff[Role.HR]

    groups = {}
    for name, description, types in GROUPS:
        groups[name] = ClientGroup.objects.filter(name=name).first() or client_group_save(
            actor=boss, data={"name": name, "description": description, "manager_types": list(types)}
        )

    managers = []
    for username, first, last, mtype, level, mode, vip, group_names, status in MANAGERS:
        user = _user(username, first, last, Role.CLIENT_MANAGER)
        manager = ClientManager.objects.filter(user=user).first()
        if manager is None:
            hire = datetime.date(2015 + rng.randrange(9), rng.randrange(1, 13), 1)
            manager = manager_create(
                actor=hr,
                user=user,
                data={
                    "manager_type": mtype,
                    "level": level,
                    "work_mode": mode,
                    "vip_qualified": vip,
                    "employment_status": status,
                    "hire_date": hire,
                    "status_since": hire,
                    "years_of_experience": {"junior": 1, "middle": 4, "senior": 9}[level] + rng.randrange(3),
                    "client_groups": [groups[g] for g in group_names],
                },
            )
        managers.append(manager)
        logins.append(DemoLogin(username, str(Role.CLIENT_MANAGER.label), f"{first} {last}"))

    _build_clients(rng, clients, groups, managers, boss)
    build_activity(rng=rng, boss=boss)
    build_pay(payroll=staff[Role.PAYROLL])
    build_hiring(hr=hr, boss=boss)
    return logins


def _build_clients(rng, count, groups, managers, boss) -> None:
    personal = [m for m in managers if m.work_mode == WorkMode.PERSONAL and m.is_active]
    group_list = list(groups.values())
    motivations = [Motivation.UNKNOWN, Motivation.ADVICE, Motivation.DECISION, Motivation.PARTNERSHIP]
    for n in range(1, count + 1):
        legal = n % 4 != 0
        regno = f"01-09-{100000 + n:06d}"
        city, postal = rng.choice(CITIES)
        if legal:
            name = f"{rng.choice(PREFIXES)} {rng.choice(TRADES)} {rng.choice(FORMS)}"
            if Client.objects.filter(kind=ClientKind.LEGAL_ENTITY, registration_number=regno).exists():
                continue
        else:
            name = f"{rng.choice(LAST_NAMES)} {rng.choice(FIRST_NAMES)}"
            if Client.objects.filter(kind=ClientKind.INDIVIDUAL, email=f"client{n}@example.hu").exists():
                continue
        vip = legal and n % 11 == 0
        status = (
            ClientStatus.ACTIVE
            if n % 10 not in (3, 7)
            else (ClientStatus.PROSPECT if n % 10 == 3 else ClientStatus.FORMER)
        )
        data = {
            "kind": ClientKind.LEGAL_ENTITY if legal else ClientKind.INDIVIDUAL,
            "name": name,
            "registration_number": regno if legal else "",
            "tax_number": f"{10000000 + n}-2-41" if legal else "",
            "email": f"client{n}@example.hu",
            "phone": f"+36 1 {200 + n:03d} {1000 + n:04d}",
            "address": f"Fő utca {n}.",
            "city": city,
            "postal_code": postal,
            "country": "HU",
            "group": rng.choice(group_list),
            "status": status,
            "motivation": rng.choice(motivations),
        }
        if vip:
            data.update(
                is_vip=True,
                vip_since=datetime.date(2022, 1 + n % 12, 1),
                vip_reason="Long cooperation; main source of profit",
                vip_terms="Dedicated senior manager, 4-hour response time, 5% volume discount.",
            )
        client = client_create(actor=boss, data=data)
        if legal and status != ClientStatus.FORMER and n % 6 != 1:
            _assign_somewhere(rng, client, personal, boss)


def _assign_somewhere(rng, client, personal, boss) -> None:
    candidates = [
        m
        for m in personal
        if (m.vip_qualified or not client.is_vip)
        and Assignment.objects.filter(manager=m, end_date__isnull=True).count() < m.capacity
    ]
    if not candidates:
        return
    preferred = [m for m in candidates if client.group in m.client_groups.all()] or candidates
    assignment_create(
        client=client,
        manager=rng.choice(preferred),
        actor=boss,
        start_date=datetime.date(2025, rng.randrange(1, 13), rng.randrange(1, 28)),
        note="Demo assignment",
    )
