"""The Django admin, for superusers only: officers maintain the who's-who in the portal itself."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from directory import models


@admin.register(models.Area, models.ServiceType, models.ClientGroup, models.Topic)
class ReferenceAdmin(admin.ModelAdmin):
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(models.Directorate)
class DirectorateAdmin(SimpleHistoryAdmin):
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(models.Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "directorate", "mailbox", "is_active", "last_verified_on"]
    list_filter = ["directorate", "is_active"]
    search_fields = ["name", "mailbox"]


@admin.register(models.Officer)
class OfficerAdmin(SimpleHistoryAdmin):
    list_display = [
        "full_name",
        "job_title",
        "team",
        "seniority",
        "market_lead",
        "active_to",
        "last_verified_on",
    ]
    list_filter = ["seniority", "market_lead", "team__directorate"]
    search_fields = ["full_name", "email", "job_title"]
    autocomplete_fields = ["team", "deputy", "user", "owner"]
    filter_horizontal = ["areas"]


@admin.register(models.Responsibility)
class ResponsibilityAdmin(SimpleHistoryAdmin):
    list_display = ["topic", "officer", "team", "retired_on"]
    list_filter = ["topic", "areas", "service_types"]
    autocomplete_fields = ["officer", "team", "owner"]
    filter_horizontal = ["areas", "service_types"]


class ProviderPersonInline(admin.TabularInline):
    model = models.ProviderPerson
    extra = 0


@admin.register(models.ProviderOrganisation)
class ProviderOrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "tier", "contract_type", "contract_manager", "is_active"]
    list_filter = ["tier", "contract_type", "is_active", "areas"]
    search_fields = ["name", "location_id"]
    autocomplete_fields = ["contract_manager"]
    filter_horizontal = ["areas", "service_types", "client_groups", "associations"]
    inlines = [ProviderPersonInline]


@admin.register(models.ProviderAssociation)
class ProviderAssociationAdmin(SimpleHistoryAdmin):
    search_fields = ["name"]


@admin.register(models.ContactProposal)
class ContactProposalAdmin(SimpleHistoryAdmin):
    list_display = ["name", "provider", "status", "created_at"]
    list_filter = ["status"]


@admin.register(models.Handover)
class HandoverAdmin(admin.ModelAdmin):
    list_display = ["leaving_officer", "successor", "effective_on", "made_by"]


admin.site.register(models.VerificationReminder)
