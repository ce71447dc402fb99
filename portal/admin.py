from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from portal.models import Heartbeat, OutboxMessage, User


def _superusers_only(request) -> bool:
    return request.user.is_active and request.user.is_superuser


# Officers maintain everything in the portal itself; the admin is for superusers.
admin.site.has_permission = _superusers_only
admin.site.site_header = "Provider Relationship Portal administration"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "provider_organisation", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser", "groups"]
    search_fields = ["email", "full_name"]
    autocomplete_fields = ["provider_organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name", "provider_organisation"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal = ["groups"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]


admin.site.register(Heartbeat)
