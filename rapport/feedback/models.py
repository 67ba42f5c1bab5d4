"""Rating requests (one-time links) and the ratings clients give (C6).

A link's token is at least 128 random bits; only its SHA-256 is stored, so a database leak gives no usable link.
The token is made when the e-mail is sent (and made again if it has to be re-sent), never kept in clear.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rapport.feedback.choices import RequestStatus, RequestSubject
from rapport.feedback.querysets import RatingQuerySet, RatingRequestQuerySet


class RatingRequest(models.Model):
    """An invitation to a client to rate the manager who did the work on a case or in an interaction."""

    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="rating_requests"
    )
    manager = models.ForeignKey(
        "managers.ClientManager",
        verbose_name=_("manager"),
        on_delete=models.PROTECT,
        related_name="rating_requests",
    )
    subject = models.CharField(_("subject"), max_length=20, choices=RequestSubject.choices)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rating_requests",
    )
    interaction = models.ForeignKey(
        "cases.Interaction",
        verbose_name=_("interaction"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rating_requests",
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(_("created at"))
    token_hash = models.CharField(_("token hash"), max_length=64, null=True, blank=True, unique=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    objects = RatingRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating request")
        verbose_name_plural = _("rating requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["client", "created_at"], name="ratingrequest_client_idx"),
            models.Index(fields=["sent_at"], name="ratingrequest_sent_idx"),
        ]
        constraints = [
            # One request per case, however often the case is reopened and resolved again.
            models.UniqueConstraint(
                fields=["case"], condition=Q(case__isnull=False), name="ratingrequest_one_per_case"
            ),
            models.UniqueConstraint(
                fields=["interaction"],
                condition=Q(interaction__isnull=False),
                name="ratingrequest_one_per_interaction",
            ),
            models.CheckConstraint(
                condition=(Q(subject=RequestSubject.CASE) & Q(case__isnull=False) & Q(interaction__isnull=True))
                | (Q(subject=RequestSubject.INTERACTION) & Q(interaction__isnull=False) & Q(case__isnull=True)),
                name="ratingrequest_subject_matches",
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | (Q(token_hash__isnull=False) & Q(expires_at__isnull=False)),
                name="ratingrequest_sent_has_token",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} → {self.manager} ({self.get_subject_display()})"

    @property
    def status(self) -> RequestStatus:
        """Not sent yet, sent (the link works), rated, or expired unused."""
        if self.used_at is not None:
            return RequestStatus.USED
        if self.sent_at is None:
            return RequestStatus.PENDING
        if self.expires_at <= timezone.now():
            return RequestStatus.EXPIRED
        return RequestStatus.SENT


class Rating(models.Model):
    """A client's 1–5 stars (and an optional comment) about the manager who did the work."""

    request = models.OneToOneField(
        RatingRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="rating"
    )
    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="ratings"
    )
    manager = models.ForeignKey(
        "managers.ClientManager", verbose_name=_("manager"), on_delete=models.PROTECT, related_name="ratings"
    )
    stars = models.PositiveSmallIntegerField(_("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("rated at"))

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["manager", "created_at"], name="rating_manager_at_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(stars__gte=1) & Q(stars__lte=5), name="rating_stars_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.manager}: {self.stars}★"
