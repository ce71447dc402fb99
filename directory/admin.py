from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from directory.models import Area, ProviderOrganisation, ServiceType


@admin.register(Area, ServiceType)
class ReferenceAdmin(admin.ModelAdmin):
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ProviderOrganisation)
class ProviderOrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "tier", "is_active"]
    list_filter = ["tier", "is_active", "areas"]
    search_fields = ["name"]
    filter_horizontal = ["areas", "service_types"]
