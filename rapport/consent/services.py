"""Writes of consent: recording consent given or withdrawn (by a user or by the client through their link),
sending the client their consent link, and publishing a new wording of a purpose.

Who may record: Management and Admin for every client, a client manager for the clients they see; everyone else is
refused and nothing is written. Every record names the purpose's current wording. Recording the state that already
holds for that wording is refused (``consent_unchanged``), so the history lists real changes only; withdrawing is
allowed without an earlier consent (an objection is recorded too).
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rapport.accounts import roles
from rapport.clients.models import Client
from rapport.consent.choices import RECORDED_SOURCES, LinkState, Source
from rapport.consent.errors import ConsentError
from rapport.consent.models import WORDING_LANGUAGES, ConsentLink, ConsentPurpose, ConsentRecord, ConsentVersion
from rapport.core.errors import refuse
from rapport.feedback.tokens import new_token, token_hash

NOTE_MAX_LENGTH = ConsentRecord._meta.get_field("note").max_length
# How long a client's consent link works; the rating links' lifetime unless set on its own.
DEFAULT_LINK_DAYS = 30


def link_days() -> int:
    """Days a consent link works (``RAPPORT["CONSENT_LINK_DAYS"]``, else 30)."""
    return int(settings.RAPPORT.get("CONSENT_LINK_DAYS", DEFAULT_LINK_DAYS))


def may_record(user, client: Client) -> bool:
    """Management and Admin for any client; a client manager for a client they see."""
    if roles.is_management(user):
        return True
    return roles.is_client_manager(user) and Client.objects.visible_to(user).filter(pk=client.pk).exists()


def _require_recorder(actor, client: Client) -> None:
    if not may_record(actor, client):
        raise PermissionDenied(_("Only Management or the client's manager may record consent."))


def _purpose(purpose) -> ConsentPurpose:
    """``purpose`` as an active purpose (given as a purpose or its code)."""
    found = None
    if isinstance(purpose, ConsentPurpose):
        found = purpose if purpose.active else None
    elif isinstance(purpose, str):
        found = ConsentPurpose.objects.filter(code=purpose, active=True).first()
    if found is None:
        raise refuse(ConsentError.UNKNOWN_PURPOSE, _("Choose a purpose from the list."), field="purpose")
    return found


def _latest(client: Client, purpose: ConsentPurpose) -> ConsentRecord | None:
    return ConsentRecord.objects.filter(client=client, purpose=purpose).order_by("-at", "-id").first()


def _record(*, client, purpose, granted: bool, source: str, actor, note: str) -> ConsentRecord:
    """The common write: lock the client so two clicks cannot both pass the unchanged check."""
    client = Client._base_manager.select_for_update().get(pk=client.pk)
    if client.anonymised_at is not None:
        raise refuse(ConsentError.CLIENT_ANONYMISED, _("The client is anonymised; no consent can be recorded."))
    purpose = _purpose(purpose)
    version = ConsentVersion.objects.filter(purpose=purpose).order_by("-number").first()
    if version is None:
        raise refuse(ConsentError.NO_WORDING, _("This purpose has no wording to ask consent with yet."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise refuse(
            ConsentError.NOTE_TOO_LONG,
            _("Please keep the note to at most %(limit)d characters.") % {"limit": NOTE_MAX_LENGTH},
            field="note",
        )
    latest = _latest(client, purpose)
    if latest is not None and latest.granted == granted and (not granted or latest.version_id == version.pk):
        message = _("Consent is already given.") if granted else _("Consent is already withdrawn.")
        raise refuse(ConsentError.UNCHANGED, message)
    record = ConsentRecord(
        client=client,
        purpose=purpose,
        version=version,
        granted=granted,
        at=timezone.now(),
        source=source,
        recorded_by=actor,
        note=note,
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def consent_record(*, client: Client, purpose, granted: bool, source: str, actor, note: str = "") -> ConsentRecord:
    """Record that ``client`` gave (``granted``) or withdrew consent to ``purpose`` (a purpose or its code), with
    the purpose's current wording, now. ``source`` says how it reached us (phone, in person, written form,
    import, API); only the client's own link records "client link". Refused for users who may not record, for an
    unknown purpose or source, for an anonymised client, and when the state already holds."""
    _require_recorder(actor, client)
    if source not in RECORDED_SOURCES:
        raise refuse(ConsentError.SOURCE_NOT_ALLOWED, _("Choose how the client told us."), field="source")
    return _record(client=client, purpose=purpose, granted=granted, source=source, actor=actor, note=note)


def consent_link(token: str) -> str:
    """The absolute address of the client's consent page for ``token``."""
    return settings.RAPPORT["BASE_URL"].rstrip("/") + reverse("consent:mine", args=[token])


@transaction.atomic
def consent_link_send(*, client: Client, actor) -> ConsentLink:
    """E-mail ``client`` a link to their consents (seen and changed without an account until it expires), in the
    client's language. Refused for users who may not record, an anonymised client and a client without e-mail. If
    the e-mail cannot be sent, nothing is stored and the error is raised."""
    _require_recorder(actor, client)
    if client.anonymised_at is not None:
        raise refuse(ConsentError.CLIENT_ANONYMISED, _("The client is anonymised; no consent can be recorded."))
    if not client.email:
        raise refuse(ConsentError.NO_EMAIL, _("The client has no e-mail address to send the link to."))
    token = new_token()
    now = timezone.now()
    language = _language(client.message_language)
    link = ConsentLink.objects.create(
        client=client,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + datetime.timedelta(days=link_days()),
        created_by=actor,
        language=language,
    )
    with translation.override(language):
        body = render_to_string("consent/email/consent_link.txt", {"link": consent_link(token), "consent_link": link})
        send_mail(_("Your consents at Rapport"), body, None, [client.email], fail_silently=False)
    return link


def _language(code: str | None) -> str:
    try:
        return translation.get_supported_language_variant(code or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def link_lookup(token: str) -> tuple[LinkState, ConsentLink | None]:
    """Resolve a token from a link: invalid (unknown or tampered), expired, or valid, with the link."""
    if not token or len(token) > 200:
        return LinkState.INVALID, None
    link = ConsentLink.objects.select_related("client").filter(token_hash=token_hash(token)).first()
    if link is None:
        return LinkState.INVALID, None
    if link.expires_at <= timezone.now():
        return LinkState.EXPIRED, link
    return LinkState.VALID, link


@transaction.atomic
def consent_record_by_link(*, token: str, purpose, granted: bool) -> ConsentRecord:
    """The client gives or withdraws consent to ``purpose`` through their own link (no account): recorded with
    source "client link" and no user. Refused for an unknown or expired link."""
    state, link = link_lookup(token)
    if state == LinkState.INVALID:
        raise refuse(ConsentError.LINK_INVALID, _("This consent link is not valid."))
    if state == LinkState.EXPIRED:
        raise refuse(ConsentError.LINK_EXPIRED, _("This consent link has expired."))
    return _record(client=link.client, purpose=purpose, granted=granted, source=Source.CLIENT_LINK, actor=None, note="")


@transaction.atomic
def consent_version_publish(*, purpose: ConsentPurpose, actor, titles: dict, texts: dict) -> ConsentVersion:
    """Publish a new wording of ``purpose`` (Management): ``titles`` and ``texts`` by language, English required.
    Consents given to earlier wordings stay recorded for them; the client is asked again for the new one."""
    if not roles.is_management(actor):
        raise PermissionDenied(_("Only Management may change the wording of consent."))
    if not (titles.get("en") or "").strip() or not (texts.get("en") or "").strip():
        raise refuse(ConsentError.WORDING_EMPTY, _("Write at least the English title and text."))
    purpose = ConsentPurpose.objects.select_for_update().get(pk=purpose.pk)
    last = ConsentVersion.objects.filter(purpose=purpose).order_by("-number").first()
    version = ConsentVersion(purpose=purpose, number=(last.number + 1) if last else 1, published_at=timezone.now())
    for code in WORDING_LANGUAGES:
        setattr(version, f"title_{code}", (titles.get(code) or "").strip())
        setattr(version, f"text_{code}", (texts.get(code) or "").strip())
    version.full_clean()
    version.save()
    return version
