"""Named values of compensation."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CALCULATED = "calculated", _("Calculated")
    APPROVED = "approved", _("Approved")


class LineKind(models.TextChoices):
    """The lines of a statement, in the order they are shown."""

    BASE = "base", _("Base salary")
    ALLOWANCE_CORPORATE = "allowance_corporate", _("Portfolio allowance: corporate clients")
    ALLOWANCE_VIP = "allowance_vip", _("Portfolio allowance: VIP clients")
    ACQUISITION = "acquisition", _("Acquisition bonus")
    ACQUISITION_VIP = "acquisition_vip", _("Acquisition bonus: VIP clients")
    SERVICE = "service", _("Service bonus")
    RATING = "rating", _("Rating bonus")
    CAP = "cap", _("Bonus cap")
    ADJUSTMENT = "adjustment", _("Adjustment for an approved month")
    CLAWBACK = "clawback", _("Clawback of an undone acquisition")


BONUS_KINDS = (LineKind.ACQUISITION, LineKind.ACQUISITION_VIP, LineKind.SERVICE, LineKind.RATING)


class QueryStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    OVERRIDDEN = "overridden", _("Overridden")


class BandKind(models.TextChoices):
    DESIRED = "desired", _("Desired by candidates")
    OFFERED = "offered", _("Offered by employers")
