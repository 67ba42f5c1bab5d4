"""Retention: candidates past the period are anonymised unless they consented (or were hired), and nothing
personal is left behind — not in the tables, not in the history tables."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from rapport.core.testing import make_manager, make_user
from rapport.hiring.choices import CandidateStatus
from rapport.hiring.clientbase import client_base_import
from rapport.hiring.models import Assessment, Candidate, ClientBaseEntry
from rapport.hiring.recruiting import assessment_save, candidate_save
from rapport.hiring.retention import candidate_anonymise, expired_candidates
from rapport.hiring.tests.support import make_candidate, make_hr

pytestmark = pytest.mark.django_db

SECRETS = [
    "Ildikó",
    "Vörösmarty",
    "ildiko.vm@example.org",
    "+36301112233",
    "LinkedIn referral",
    "Secret Client Kft.",
    "talks a lot",
]


def aged(candidate, days):
    Candidate.objects.filter(pk=candidate.pk).update(last_activity_at=timezone.now() - datetime.timedelta(days=days))


@pytest.fixture
def ildiko():
    hr = make_hr(username="hr1")
    candidate = candidate_save(
        actor=hr,
        data={
            "first_name": "Ildikó",
            "last_name": "Vörösmarty",
            "email": "ildiko.vm@example.org",
            "phone": "+36 30 111 2233",
            "source": "LinkedIn referral",
            "notes": "Strong in negotiation",
        },
    )
    candidate_save(actor=hr, candidate=candidate, data={"experience_note": "5 years at Secret Client Kft."})
    assessment_save(
        actor=hr,
        candidate=candidate,
        interviewer=hr,
        assessed_on="2026-01-10",
        knowledge={"etiquette": 4},
        qualities={},
        note="talks a lot",
    )
    client_base_import(
        actor=hr, candidate=candidate, content="name,registration_number\nSecret Client Kft.,01-09-777777\n"
    )
    candidate_set_rejected = Candidate.objects.filter(pk=candidate.pk)
    candidate_set_rejected.update(status=CandidateStatus.REJECTED)
    return hr, candidate


def all_text_in_database() -> str:
    """Every text column of every row of every table (history tables included), as one string."""
    chunks = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            columns = [
                f.column
                for f in model._meta.concrete_fields
                if f.get_internal_type() in ("CharField", "TextField", "EmailField", "JSONField")
            ]
            if not columns:
                continue
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {names} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            chunks.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(chunks)


def test_anonymising_leaves_no_personal_data_anywhere(ildiko):
    hr, candidate = ildiko
    text = all_text_in_database()
    assert all(secret in text for secret in SECRETS)
    # when the candidate is anonymised
    candidate_anonymise(actor=hr, candidate=candidate, reason="retention")
    # then none of their personal data is anywhere in the database, history tables included
    text = all_text_in_database()
    assert [secret for secret in SECRETS if secret in text] == []
    candidate.refresh_from_db()
    assert candidate.is_anonymised and candidate.name == f"Anonymised candidate #{candidate.pk}"
    assert ClientBaseEntry.objects.count() == 0
    # and what describes nobody stays: the scores, and one history record of the anonymisation
    assert Assessment.objects.get().knowledge == {"etiquette": 4}
    assert [h.history_change_reason for h in candidate.history.all()] == ["anonymised: retention"]


def test_expired_candidates_exclude_the_recent_the_consenting_and_the_hired():
    hr = make_hr()
    old = make_candidate(hr)
    aged(old, 181)
    recent = make_candidate(hr)
    aged(recent, 179)
    consenting = make_candidate(hr, consent_to_keep=True, consent_on=datetime.date(2025, 1, 1))
    aged(consenting, 900)
    hired = make_candidate(hr, status=CandidateStatus.HIRED, hired_manager=make_manager())
    aged(hired, 900)
    assert list(expired_candidates()) == [old]
    assert list(expired_candidates(days=0)) == [old, recent]


def test_the_command_anonymises_the_expired_and_dry_run_changes_nothing():
    hr = make_hr(username="hr2")
    old = make_candidate(hr, first_name="Olga")
    aged(old, 400)
    out = StringIO()
    call_command("hiring", "anonymise", "--dry-run", "--as", "hr2", stdout=out)
    assert f"would anonymise #{old.pk}" in out.getvalue() and "Would anonymise 1 candidate(s)." in out.getvalue()
    old.refresh_from_db()
    assert old.first_name == "Olga"
    out = StringIO()
    call_command("hiring", "anonymise", "--as", "hr2", stdout=out)
    old.refresh_from_db()
    assert old.is_anonymised and "Anonymised 1 candidate(s)." in out.getvalue()


def test_only_hr_runs_the_anonymisation():
    make_user(username="someone")
    with pytest.raises(CommandError, match="not HR"):
        call_command("hiring", "anonymise", "--as", "someone", stdout=StringIO())


def test_the_check_text_command_exits_with_an_error_on_a_blocking_phrase(tmp_path):
    path = tmp_path / "ad.txt"
    path.write_text("Ügyfélkapcsolati menedzser, 25–40 év között.", encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError, match="1 blocking phrase"):
        call_command("hiring", "check-text", str(path), stdout=out)
    assert "BLOCK «25–40 év» (age_range)" in out.getvalue()
    path.write_text("Ügyfélkapcsolati menedzser, 3–5 év tapasztalattal.", encoding="utf-8")
    out = StringIO()
    call_command("hiring", "check-text", str(path), stdout=out)
    assert "Nothing flagged." in out.getvalue()
