"""Ratings in the admin: read-only, through the restricted querysets, and never the hash of a link's token."""

from django.contrib import admin

from rapport.core.admin import ReadOnlyAdmin
from rapport.feedback.models import Rating, RatingRequest


class _ReadOnlyWithoutHistory(ReadOnlyAdmin):
    """Ratings keep no django-simple-history records; the admin's plain log is their history page."""

    object_history_template = None
    history_view = admin.ModelAdmin.history_view


@admin.register(RatingRequest)
class RatingRequestAdmin(_ReadOnlyWithoutHistory):
    list_display = ["created_at", "client", "manager", "subject", "language", "sent_at", "expires_at", "used_at"]
    list_filter = ["subject", "language"]
    list_select_related = ["client", "manager__user"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    # ``token_hash`` is left out on purpose: fields are listed, never "all but".
    fields = [
        "client",
        "manager",
        "subject",
        "case",
        "interaction",
        "email",
        "language",
        "created_at",
        "sent_at",
        "expires_at",
        "used_at",
    ]
    readonly_fields = fields


@admin.register(Rating)
class RatingAdmin(_ReadOnlyWithoutHistory):
    list_display = ["created_at", "manager", "client", "stars"]
    list_filter = ["stars"]
    list_select_related = ["client", "manager__user"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = ["request", "client", "manager", "stars", "comment", "created_at"]
    readonly_fields = fields
