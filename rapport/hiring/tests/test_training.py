"""Training: participants, attendance and completion; knowledge gaps suggest trainings; reports by manager and
spend by month."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rapport.accounts.roles import Role
from rapport.core.testing import make_manager, make_user
from rapport.hiring.choices import Participation
from rapport.hiring.models import Training, TrainingParticipant
from rapport.hiring.selectors import (
    knowledge_gaps,
    suggested_trainings,
    training_by_manager,
    training_spend_by_month,
)
from rapport.hiring.tests.support import make_hr, make_profile
from rapport.hiring.training import (
    knowledge_set,
    participant_add,
    participant_remove,
    participant_update,
    training_save,
)

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = datetime.date.today()


def course(hr, title, *, starts, cost="0", currency="HUF", areas=(), days=1):
    return training_save(
        actor=hr,
        data={
            "title": title,
            "kind": "course",
            "starts_on": starts,
            "ends_on": starts + datetime.timedelta(days=days - 1),
            "cost": D(cost),
            "currency": currency,
            "knowledge_areas": list(areas),
        },
    )


def test_attendance_and_completion_are_recorded_per_participant():
    hr = make_hr()
    manager = make_manager()
    training = course(hr, "Negotiation", starts=datetime.date(2026, 3, 2), days=2, cost="120000.6")
    assert training.cost == D(120001)
    participant = participant_add(actor=hr, training=training, manager=manager)
    with pytest.raises(ValidationError) as refusal:
        participant_add(actor=hr, training=training, manager=manager)
    assert refusal.value.error_dict["manager"][0].code == "already_participates"
    participant = participant_update(actor=hr, participant=participant, status=Participation.COMPLETED)
    assert (participant.status, participant.completed_on) == ("completed", datetime.date(2026, 3, 3))
    with pytest.raises(ValidationError):
        participant_remove(actor=hr, participant=participant)
    participant = participant_update(actor=hr, participant=participant, status=Participation.ABSENT, note="Ill")
    assert (participant.status, participant.completed_on, participant.note) == ("absent", None, "Ill")


def test_a_training_cannot_end_before_it_starts_or_cover_unknown_areas():
    hr = make_hr()
    with pytest.raises(ValidationError) as refusal:
        training_save(
            actor=hr,
            data={
                "title": "X",
                "starts_on": datetime.date(2026, 3, 2),
                "ends_on": datetime.date(2026, 3, 1),
                "knowledge_areas": ["yoga"],
            },
        )
    assert "knowledge_areas" in refusal.value.message_dict
    assert Training.objects.count() == 0


def test_knowledge_gaps_against_the_profile_suggest_trainings_that_cover_them():
    # given a middle partnership manager measured against the middle partnership profile
    hr = make_hr()
    manager = make_manager(manager_type="partnership", level="middle")
    make_profile(name="Other level", level="senior", knowledge={"legislation": 5})
    make_profile(
        name="Middle partnership",
        manager_type="partnership",
        knowledge={"legislation": 3, "marketing": 4, "communication": 4, "etiquette": 2},
    )
    knowledge_set(actor=hr, manager=manager, levels={"legislation": 3, "marketing": "2.5", "communication": 3})
    # then the gaps are the areas below their level, the largest first; an unassessed area is a gap too
    gaps = knowledge_gaps(manager)
    assert [(g.area, g.required, g.assessed, g.missing) for g in gaps] == [
        ("etiquette", 2, None, D(2)),
        ("marketing", 4, D("2.5"), D("1.5")),
        ("communication", 4, D(3), D(1)),
    ]
    # and trainings still to come that cover gaps are suggested, most gaps first; past ones and joined ones not
    both = course(
        hr, "Etiquette and marketing", starts=TODAY + datetime.timedelta(days=30), areas=["marketing", "etiquette"]
    )
    talk = course(hr, "Talk well", starts=TODAY + datetime.timedelta(days=10), areas=["communication"])
    course(hr, "Law", starts=TODAY + datetime.timedelta(days=5), areas=["legislation"])
    course(hr, "Old marketing", starts=TODAY - datetime.timedelta(days=60), areas=["marketing"])
    joined = course(hr, "Joined", starts=TODAY + datetime.timedelta(days=3), areas=["marketing"])
    participant_add(actor=hr, training=joined, manager=manager)
    suggestions = suggested_trainings(manager)
    assert [(s.training, s.areas) for s in suggestions] == [
        (
            both,
            [
                "Marketing basics (concepts, management, research methods)",
                "Official etiquette in negotiations with clients",
            ],
        ),
        (talk, ["Interpersonal communication theory"]),
    ]


def test_training_by_manager_and_spend_by_month():
    hr = make_hr()
    anna = make_manager(make_user(Role.CLIENT_MANAGER, first_name="Anna", last_name="Kovács"))
    bence = make_manager(make_user(Role.CLIENT_MANAGER, first_name="Bence", last_name="Szabó"))
    first = course(hr, "Negotiation", starts=datetime.date(2026, 3, 2), cost="100000")
    second = course(hr, "Etiquette", starts=datetime.date(2026, 3, 20), cost="50000")
    third = course(hr, "Law", starts=datetime.date(2026, 5, 4), cost="300", currency="EUR")
    course(hr, "Last year", starts=datetime.date(2025, 12, 1), cost="999")
    for training, manager, status in [
        (first, anna, Participation.COMPLETED),
        (first, bence, Participation.ABSENT),
        (second, anna, Participation.ATTENDED),
        (third, bence, Participation.ENROLLED),
    ]:
        participant = participant_add(actor=hr, training=training, manager=manager)
        if status != Participation.ENROLLED:
            participant_update(actor=hr, participant=participant, status=status)
    boss = make_user(Role.MANAGEMENT)

    rows = training_by_manager(user=boss, year=2026)
    assert [(r.manager, r.enrolled, r.attended, r.completed, r.absent, r.spend) for r in rows] == [
        (anna, 0, 1, 1, 0, {"HUF": D(100000)}),
        (bence, 1, 0, 0, 1, {"HUF": D(50000), "EUR": D(300)}),
    ]
    spend = training_spend_by_month(user=boss, year=2026)
    assert [(s.month, s.currency, s.trainings, s.participants, s.cost) for s in spend] == [
        (datetime.date(2026, 3, 1), "HUF", 2, 3, D(150000)),
        (datetime.date(2026, 5, 1), "EUR", 1, 1, D(300)),
    ]
    # a client manager sees neither report's other people
    assert training_spend_by_month(user=anna.user, year=2026) == []
    assert [r.manager for r in training_by_manager(user=anna.user, year=2026)] == [anna]
    assert TrainingParticipant.objects.count() == 4
