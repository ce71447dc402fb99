"""The Django admin, for superusers only: engagement managers write and publish the New Deal in the portal itself."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from principles import models


@admin.register(models.PrinciplesVersion)
class PrinciplesVersionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "status", "published_at", "published_by"]
    list_filter = ["status"]
    search_fields = ["title", "body"]
    raw_id_fields = ["drafted_by", "published_by"]


@admin.register(models.ProviderSignUp)
class ProviderSignUpAdmin(admin.ModelAdmin):
    list_display = ["organisation", "version", "signer_name", "signer_role", "signed_at"]
    list_filter = ["version"]
    search_fields = ["organisation__name", "signer_name"]
    raw_id_fields = ["organisation", "signed_by"]


@admin.register(models.OfficerSignUp)
class OfficerSignUpAdmin(admin.ModelAdmin):
    list_display = ["officer", "version", "signed_at"]
    list_filter = ["version"]
    search_fields = ["officer__full_name"]
    raw_id_fields = ["officer", "signed_by"]
