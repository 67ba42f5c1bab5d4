"""Hiring a candidate: in one step a user account, a client-manager profile and the Client manager role, with
what applies carried over — name and e-mail, years of experience, the position's type and level, the field of
their own client base as a client group served, the interviewers' knowledge levels as the manager's assessed
knowledge, and their own client base as prospects owned by the new manager."""

import datetime
import math
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from rapport.core.errors import refuse
from rapport.core.history import save_with_history
from rapport.hiring.choices import CLOSED_CANDIDATE_STATUSES, CandidateStatus
from rapport.hiring.clientbase import Conversion, client_base_convert
from rapport.hiring.errors import HiringError
from rapport.hiring.fetch import candidate_facts
from rapport.hiring.jobs import require_hr
from rapport.hiring.models import Candidate, ManagerKnowledge
from rapport.managers.models import ClientManager
from rapport.managers.services import manager_create

# What HR chooses on hiring; the rest is carried over from the candidate.
HIRE_FIELDS = frozenset({"manager_type", "level", "work_mode", "vip_qualified", "capacity", "hire_date"})


@dataclass(frozen=True)
class HireResult:
    candidate: Candidate
    manager: ClientManager
    prospects: Conversion
    knowledge_carried: int


def hire_defaults(candidate: Candidate) -> dict[str, Any]:
    """What the hiring form proposes: the position's type, level and work mode, a username from the name."""
    position = candidate.position
    plain = unicodedata.normalize("NFKD", (candidate.first_name or "").lower())
    base = "".join(ch for ch in plain if ch.isascii() and ch.isalnum()) or "user"
    username, n = base, 1
    User = get_user_model()
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}{n}"
    return {
        "username": username,
        "email": candidate.email,
        "manager_type": position.manager_type if position else "",
        "level": position.level if position else "",
        "work_mode": position.work_mode if position else "",
        "hire_date": timezone.localdate(),
    }


@transaction.atomic
def candidate_hire(
    *, actor, candidate: Candidate, username: str, email: str = "", data: dict[str, Any], convert_client_base=True
) -> HireResult:
    """Hire ``candidate``: account ``username`` (no password yet: an administrator sets one or sends a reset),
    manager profile from ``data`` (``HIRE_FIELDS``) and the carried-over facts, prospects from the client base."""
    require_hr(actor)
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("position").get(pk=candidate.pk)
    if candidate.is_anonymised:
        raise refuse(HiringError.CANDIDATE_ANONYMISED, _("This candidate's data has been anonymised."))
    if candidate.status == CandidateStatus.HIRED:
        raise refuse(HiringError.ALREADY_HIRED, _("This candidate has already been hired."))
    if candidate.status in CLOSED_CANDIDATE_STATUSES:
        raise refuse(
            HiringError.CANDIDATE_CLOSED,
            _("The application is closed (%(status)s): reopen it first.") % {"status": candidate.get_status_display()},
        )
    unknown = set(data) - HIRE_FIELDS
    if unknown:
        raise ValueError(f"Unknown hiring fields: {sorted(unknown)}")
    username = (username or "").strip()
    User = get_user_model()
    if not username:
        raise refuse(HiringError.USERNAME_TAKEN, _("Choose a username."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise refuse(HiringError.USERNAME_TAKEN, _("This username is taken."), field="username")
    user = User(username=username, first_name=candidate.first_name, last_name=candidate.last_name)
    user.email = (email or candidate.email or "").strip().lower()
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    hire_date: datetime.date = data.get("hire_date") or timezone.localdate()
    profile = {
        **{key: value for key, value in data.items() if value not in (None, "")},
        "hire_date": hire_date,
        "status_since": hire_date,
        "years_of_experience": math.floor(candidate.years_of_experience),
    }
    if candidate.client_base_group_id:
        profile["client_groups"] = [candidate.client_base_group]
    manager = manager_create(actor=actor, user=user, data=profile)

    facts = candidate_facts([candidate])[candidate.pk]
    today = timezone.localdate()
    bulk_create_with_history(
        [
            ManagerKnowledge(
                manager=manager,
                area=area,
                level=level.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
                assessed_on=today,
                assessed_by=actor,
            )
            for area, level in facts.knowledge.items()
        ],
        ManagerKnowledge,
        default_user=actor,
        default_change_reason="hired",
    )
    prospects = client_base_convert(candidate=candidate, owner_user=user) if convert_client_base else Conversion(0, 0)
    candidate.status = CandidateStatus.HIRED
    candidate.hired_manager = manager
    candidate.last_activity_at = timezone.now()
    candidate.full_clean()
    save_with_history(candidate, actor=actor, reason="hired")
    return HireResult(candidate=candidate, manager=manager, prospects=prospects, knowledge_carried=len(facts.knowledge))
