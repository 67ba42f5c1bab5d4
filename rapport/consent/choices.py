"""Named values of consent."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PurposeCode(models.TextChoices):
    """The purposes seeded by the data migration; Management may add others in the admin."""

    MARKETING_EMAILS = "marketing_emails", _("Marketing e-mails")
    PHONE_CALLS = "phone_calls", _("Phone calls")
    SATISFACTION_SURVEYS = "satisfaction_surveys", _("Satisfaction surveys and rating requests")
    PARTNER_SHARING = "partner_sharing", _("Sharing with partners")


class Source(models.TextChoices):
    """How a consent or its withdrawal reached the company."""

    PHONE = "phone", _("On the phone")
    IN_PERSON = "in_person", _("In person")
    WRITTEN = "written", _("Written form")
    CLIENT_LINK = "client_link", _("Client link")
    IMPORT = "import", _("Import")
    API = "api", _("API")


# Sources a user may name when recording; only the client's own link records ``CLIENT_LINK``.
RECORDED_SOURCES = (Source.PHONE, Source.IN_PERSON, Source.WRITTEN, Source.IMPORT, Source.API)
# The sources offered on the client page.
PAGE_SOURCES = (Source.PHONE, Source.IN_PERSON, Source.WRITTEN)


class ConsentState(models.TextChoices):
    """Where a client stands on a purpose: the latest record decides."""

    NONE = "none", _("Not asked")
    GIVEN = "given", _("Given")
    OUTDATED = "outdated", _("Given for an earlier wording")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class LinkState(models.TextChoices):
    """Whether a client's consent link can be used."""

    VALID = "valid", _("Valid")
    INVALID = "invalid", _("Invalid")
    EXPIRED = "expired", _("Expired")
