from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class ClinicalRecordAdmin(SimpleHistoryAdmin):
    """Clinical records are never bulk-deleted, and only a superuser deletes one."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A past version is for reading: saving it would bypass validation, the sign-off
        # lock and the amendment trail.
        if request.method != "GET":
            raise PermissionDenied("Past versions are read-only.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
