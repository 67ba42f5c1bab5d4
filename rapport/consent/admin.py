"""Consent in the admin: purposes may be switched off and reordered; a new wording is published through the
service (never an edit of a wording already shown); records and links are read-only, never the token's hash."""

from django.contrib import admin

from rapport.consent import services
from rapport.consent.models import WORDING_LANGUAGES, ConsentLink, ConsentPurpose, ConsentRecord, ConsentVersion
from rapport.core.admin import ReadOnlyAdmin, RestrictedAdmin


class _WithoutHistory:
    """Consent keeps no django-simple-history records; the records are their own history."""

    object_history_template = None
    history_view = admin.ModelAdmin.history_view


@admin.register(ConsentPurpose)
class ConsentPurposeAdmin(_WithoutHistory, RestrictedAdmin):
    list_display = ["code", "position", "active"]
    list_editable = ["position", "active"]
    fields = ["code", "position", "active"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConsentVersion)
class ConsentVersionAdmin(_WithoutHistory, RestrictedAdmin):
    list_display = ["purpose", "number", "title_en", "published_at"]
    list_filter = ["purpose"]
    fields = [
        "purpose",
        *(f"title_{code}" for code in WORDING_LANGUAGES),
        *(f"text_{code}" for code in WORDING_LANGUAGES),
    ]

    def get_readonly_fields(self, request, obj=None):
        # A wording that exists may have been shown to clients: it is never edited, a new one is published.
        return [*self.fields, "number", "published_at"] if obj else []

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        version = services.consent_version_publish(
            purpose=data["purpose"],
            actor=request.user,
            titles={code: data.get(f"title_{code}", "") for code in WORDING_LANGUAGES},
            texts={code: data.get(f"text_{code}", "") for code in WORDING_LANGUAGES},
        )
        obj.pk = version.pk
        obj.number = version.number


@admin.register(ConsentRecord)
class ConsentRecordAdmin(_WithoutHistory, ReadOnlyAdmin):
    list_display = ["at", "client", "purpose", "granted", "source", "recorded_by"]
    list_filter = ["purpose", "granted", "source"]
    list_select_related = ["client", "purpose", "recorded_by"]
    date_hierarchy = "at"
    show_full_result_count = False
    fields = ["client", "purpose", "version", "granted", "at", "source", "recorded_by", "note"]
    readonly_fields = fields


@admin.register(ConsentLink)
class ConsentLinkAdmin(_WithoutHistory, ReadOnlyAdmin):
    list_display = ["created_at", "client", "created_by", "expires_at", "language"]
    list_select_related = ["client", "created_by"]
    show_full_result_count = False
    fields = ["client", "created_at", "expires_at", "created_by", "language"]
    readonly_fields = fields
