"""Admin plumbing: every admin list goes through the model's restricted queryset."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin


class RestrictedAdmin(SimpleHistoryAdmin):
    """An admin whose rows are ``Model.objects.visible_to(request.user)``; history is shown, never reverted."""

    def get_queryset(self, request):
        queryset = self.model.objects.visible_to(request.user)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def history_view(self, request, object_id, extra_context=None):
        """Recorded history where the model keeps it; Django's own admin log for a model that does not."""
        if hasattr(self.model._meta, "simple_history_manager_attribute"):
            return super().history_view(request, object_id, extra_context)
        plain = admin.ModelAdmin(self.model, self.admin_site)
        plain.get_queryset = self.get_queryset
        return plain.history_view(request, object_id, extra_context)


class ReadOnlyAdmin(RestrictedAdmin):
    """Records that change only through the product's rules (services) are read-only in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
