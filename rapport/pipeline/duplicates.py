"""Finding a client that already exists before a prospect is created (or imported).

Exact duplicates — the same registration number among legal entities, the same e-mail address, the same phone
number (all compared in their normalised form) — are refused. Near duplicates — a name whose key (see
``rapport.core.names``) equals or closely resembles an existing client's — are warned about and may be confirmed.
All checks are index look-ups, so they stay fast with a million clients.
"""

from dataclasses import dataclass, field

from django.conf import settings

from rapport.clients.choices import ClientKind
from rapport.clients.models import Client
from rapport.core.names import name_key, similarity

# How many clients sharing a name's first letters are compared for similarity at most.
_NEAR_CANDIDATES = 500


@dataclass(frozen=True)
class Match:
    """An existing client that looks like the new one, and on what (``registration_number``, ``email``,
    ``phone`` or ``name``); ``score`` is the name similarity (1 for the exact fields)."""

    client_id: int
    name: str
    on: str
    score: float = 1.0


@dataclass(frozen=True)
class DuplicateCheck:
    exact: list[Match] = field(default_factory=list)
    similar: list[Match] = field(default_factory=list)


def find_duplicates(
    *,
    name: str,
    kind: str,
    registration_number: str = "",
    email: str = "",
    phone: str = "",
    exclude_pk: int | None = None,
) -> DuplicateCheck:
    """Existing clients matching the (already normalised) fields of a new client."""
    exact: list[Match] = []
    others = Client.objects.exclude(pk=exclude_pk) if exclude_pk else Client.objects.all()
    lookups = []
    if kind == ClientKind.LEGAL_ENTITY and registration_number:
        lookups.append(
            ("registration_number", {"kind": ClientKind.LEGAL_ENTITY, "registration_number": registration_number})
        )
    if email:
        lookups.append(("email", {"email": email.lower()}))
    if phone:
        lookups.append(("phone", {"phone": phone}))
    seen: set[int] = set()
    for on, filters in lookups:
        for pk, existing in others.filter(**filters).order_by("pk").values_list("pk", "name")[:5]:
            if pk not in seen:
                seen.add(pk)
                exact.append(Match(pk, existing, on))

    key = name_key(name)
    similar: list[Match] = []
    if key:
        threshold = settings.RAPPORT["DUPLICATE_NAME_SIMILARITY"]
        prefix = key[:4]
        # A range on the indexed key (not LIKE, which SQLite does not index case-sensitively).
        candidates = (
            others.filter(name_key__gte=prefix, name_key__lt=prefix + "\U0010ffff")
            .exclude(pk__in=seen)
            .order_by("name_key", "pk")
            .values_list("pk", "name", "name_key")[:_NEAR_CANDIDATES]
        )
        for pk, existing, existing_key in candidates:
            score = 1.0 if existing_key == key else similarity(key, existing_key)
            if score >= threshold:
                similar.append(Match(pk, existing, "name", round(score, 2)))
        similar.sort(key=lambda m: (-m.score, m.client_id))
    return DuplicateCheck(exact=exact, similar=similar[:10])
