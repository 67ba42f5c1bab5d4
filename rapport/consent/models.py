"""Consent (issue 9): purposes, the versioned wording shown when consent is asked, the append-only records of
consent given and withdrawn, and the client's own consent links.

The wording is stored, in every language, with each version: a record is evidence of exactly what the client agreed
to, so the text may not change later with a translation catalogue. A changed text is a new version.

Records are never changed or deleted: the latest record of a client for a purpose is the current state, the
earlier ones are its history. A consent link's token is 256 random bits; only its SHA-256 is stored (the rating
links' approach, ``rapport.feedback.tokens``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from rapport.consent.choices import Source
from rapport.consent.querysets import ConsentLinkQuerySet, ConsentPurposeQuerySet, ConsentRecordQuerySet

WORDING_LANGUAGES = ("en", "hu", "ru")


def _in_language(obj, prefix: str, language: str | None) -> str:
    """``obj.<prefix>_<language>``, falling back to English when that language's text is empty."""
    code = (language or translation.get_language() or "en")[:2]
    value = getattr(obj, f"{prefix}_{code}", "") if code in WORDING_LANGUAGES else ""
    return value or getattr(obj, f"{prefix}_en")


class ConsentPurpose(models.Model):
    """Something the company asks a client's consent for (marketing e-mails, rating requests, …)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive purposes are no longer asked about; their records stay.")
    )

    objects = ConsentPurposeQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent purpose")
        verbose_name_plural = _("consent purposes")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        version = self.current_version
        return version.title() if version else self.code

    @property
    def current_version(self) -> "ConsentVersion | None":
        """The latest wording (cached on the object; selectors prefetch it)."""
        if not hasattr(self, "_current_version"):
            self._current_version = self.versions.order_by("-number").first()
        return self._current_version


class ConsentVersion(models.Model):
    """One wording of a purpose: its title and the text shown when consent is asked, in each language."""

    purpose = models.ForeignKey(
        ConsentPurpose, verbose_name=_("purpose"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    title_en = models.CharField(_("title (English)"), max_length=120)
    title_hu = models.CharField(_("title (Hungarian)"), max_length=120, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=120, blank=True)
    text_en = models.TextField(_("text (English)"), max_length=2000)
    text_hu = models.TextField(_("text (Hungarian)"), max_length=2000, blank=True)
    text_ru = models.TextField(_("text (Russian)"), max_length=2000, blank=True)

    objects = ConsentPurposeQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent wording")
        verbose_name_plural = _("consent wordings")
        ordering = ["purpose", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "number"], name="consentversion_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="consentversion_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title()} (v{self.number})"

    def title(self, language: str | None = None) -> str:
        """The title in ``language`` (the active language by default), else English."""
        return _in_language(self, "title", language)

    def text(self, language: str | None = None) -> str:
        """The wording in ``language`` (the active language by default), else English."""
        return _in_language(self, "text", language)


class ConsentRecord(models.Model):
    """A client's consent to a purpose given or withdrawn: which wording, when, how it reached us and who recorded
    it (nobody for the client's own link). Append-only."""

    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="consent_records"
    )
    purpose = models.ForeignKey(
        ConsentPurpose, verbose_name=_("purpose"), on_delete=models.PROTECT, related_name="records"
    )
    version = models.ForeignKey(
        ConsentVersion, verbose_name=_("wording"), on_delete=models.PROTECT, related_name="records"
    )
    granted = models.BooleanField(_("granted"))
    at = models.DateTimeField(_("at"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["client", "purpose", "at"], name="consentrecord_client_idx")]
        constraints = [
            # Only the client's own link records without a user; every other source names who recorded it.
            models.CheckConstraint(
                condition=Q(source=Source.CLIENT_LINK, recorded_by__isnull=True)
                | (~Q(source=Source.CLIENT_LINK) & Q(recorded_by__isnull=False)),
                name="consentrecord_recorder_matches_source",
            ),
        ]

    def __str__(self) -> str:
        state = _("given") if self.granted else _("withdrawn")
        return f"{self.client_id} · {self.purpose.code} v{self.version.number}: {state}"

    def save(self, *args, **kwargs) -> None:
        """Records are evidence: once written they are never changed (erasure blanks the note with an update)."""
        if self.pk is not None and not self._state.adding:
            raise ValueError("Consent records are append-only.")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.version_id and self.purpose_id and self.version.purpose_id != self.purpose_id:
            raise ValidationError({"version": _("The wording belongs to another purpose.")}, code="invalid")


class ConsentLink(models.Model):
    """A link e-mailed to a client to see and change their own consents without an account, until it expires."""

    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="consent_links"
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8)

    objects = ConsentLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent link")
        verbose_name_plural = _("consent links")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.client_id} · {self.created_at:%Y-%m-%d}"
