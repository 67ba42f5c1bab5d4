"""Reads of consent: a client's current state per purpose, their history, and whether a purpose may be used.

The current state of a purpose is its latest record. Consent given to an earlier wording does not count as consent
to the current one (the client is asked again); a withdrawal counts whatever wording it named.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from rapport.consent.choices import ConsentState
from rapport.consent.models import ConsentPurpose, ConsentRecord, ConsentVersion


@dataclass(frozen=True)
class PurposeState:
    """Where a client stands on one purpose: the purpose, its current wording, the latest record and the state."""

    purpose: ConsentPurpose
    version: ConsentVersion | None
    record: ConsentRecord | None
    state: ConsentState

    @property
    def given(self) -> bool:
        return self.state == ConsentState.GIVEN


def _state(record: ConsentRecord | None, version: ConsentVersion | None) -> ConsentState:
    if record is None:
        return ConsentState.NONE
    if not record.granted:
        return ConsentState.WITHDRAWN
    if version is not None and record.version_id != version.pk:
        return ConsentState.OUTDATED
    return ConsentState.GIVEN


def purposes_with_wording(*, user=None):
    """Active purposes in order (those ``user`` may read, when given), each with its current wording prefetched
    (``purpose.current_version``)."""
    queryset = ConsentPurpose.objects.visible_to(user) if user is not None else ConsentPurpose.objects.all()
    purposes = list(
        queryset.filter(active=True).prefetch_related(
            Prefetch("versions", queryset=ConsentVersion.objects.order_by("-number"), to_attr="_versions")
        )
    )
    for purpose in purposes:
        purpose._current_version = purpose._versions[0] if purpose._versions else None
    return purposes


def latest_records(client) -> dict[int, ConsentRecord]:
    """Purpose id → the client's latest record for it (a client has few records: one query, picked in Python)."""
    latest: dict[int, ConsentRecord] = {}
    records = ConsentRecord.objects.filter(client=client).select_related("purpose", "version", "recorded_by")
    for record in records.order_by("-at", "-id"):
        latest.setdefault(record.purpose_id, record)
    return latest


def client_consent_states(*, client) -> list[PurposeState]:
    """The client's state for every active purpose. The caller has already checked that the client is visible
    (the client page, the API's client lookup, the client's own link)."""
    latest = latest_records(client)
    states = []
    for purpose in purposes_with_wording():
        record = latest.get(purpose.pk)
        version = purpose.current_version
        states.append(PurposeState(purpose, version, record, _state(record, version)))
    return states


def consent_history(*, user, client):
    """Every record of ``client`` that ``user`` may see, newest first."""
    return (
        ConsentRecord.objects.visible_to(user)
        .filter(client=client)
        .select_related("purpose", "version", "recorded_by")
        .order_by("-at", "-id")
    )


def _latest_for(client, purpose) -> tuple[ConsentRecord | None, ConsentPurpose | None]:
    lookup = {"code": purpose} if isinstance(purpose, str) else {"pk": purpose.pk}
    found = ConsentPurpose.objects.filter(**lookup).first()
    if found is None:
        return None, None
    record = (
        ConsentRecord.objects.filter(client_id=client.pk, purpose=found)
        .only("granted", "version_id")
        .order_by("-at", "-id")
        .first()
    )
    return record, found


def has_consent(client, purpose) -> bool:
    """Whether ``client`` consents now to ``purpose`` (a purpose or its code): the latest record gives consent to
    the purpose's current wording. No record, a withdrawal, or consent to an earlier wording is no consent."""
    record, found = _latest_for(client, purpose)
    if record is None or not record.granted:
        return False
    current = ConsentVersion.objects.filter(purpose=found).order_by("-number").values_list("pk", flat=True).first()
    return record.version_id == current


def has_withdrawn(client, purpose) -> bool:
    """Whether ``client``'s latest word on ``purpose`` is a withdrawal (uses that rest on another legal ground, such
    as rating requests after a case, stop only then)."""
    record, _found = _latest_for(client, purpose)
    return record is not None and not record.granted
