"""Consent's personal data (see ``rapport.privacy.registry``).

A consent record is evidence that the company was allowed (or told to stop) using the client's data; it holds no
personal data beyond the link to the client, so erasure keeps every record (the client row it points at is
anonymised) and only blanks the free-text note. The client's consent links stop working on erasure.
"""

from django.utils import timezone

from rapport.privacy.registry import register_no_personal_data, register_personal_data


def _export_record(record, client) -> dict:
    return {
        "purpose": record.purpose.code,
        "version": record.version.number,
        "granted": record.granted,
        "at": record.at.isoformat(),
        "source": record.source,
        "recorded_by": record.recorded_by.display_name if record.recorded_by_id else None,
        "note": record.note,
    }


def _export_link(link, client) -> dict:
    # Never the token's hash: it is a credential's fingerprint, not data about the client.
    return {"created_at": link.created_at.isoformat(), "expires_at": link.expires_at.isoformat()}


def _expire_links(rows, client) -> None:
    rows.filter(expires_at__gt=timezone.now()).update(expires_at=timezone.now())


def register() -> None:
    from rapport.consent.models import ConsentLink, ConsentRecord, ConsentVersion

    register_personal_data(ConsentRecord, rows="client_id", fields=("note",), export=_export_record)
    register_personal_data(ConsentLink, rows="client_id", erase=_expire_links, export=_export_link)
    register_no_personal_data(ConsentVersion, "the wording of a purpose, the same for every client")
