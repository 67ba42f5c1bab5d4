"""Phone numbers: validated and normalised to E.164 with the ``phonenumbers`` library."""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalize_phone(value: str, region: str | None = None) -> str:
    """Return ``value`` as an E.164 number (``+3612345678``); blank stays blank.

    Numbers without a country code are read as numbers of ``region`` (the ``PHONE_REGION`` setting).
    """
    value = (value or "").strip()
    if not value:
        return ""
    region = region or settings.RAPPORT["PHONE_REGION"]
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Enter a valid phone number."), code="invalid_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
