"""The Django admin, for superusers only: officers run engagement in the portal itself."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from engagement import models


@admin.register(models.EngagementGroup)
class EngagementGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "chair", "meeting_frequency", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["chair", "member_officers", "member_providers", "member_associations"]


@admin.register(models.TermsOfReference)
class TermsOfReferenceAdmin(admin.ModelAdmin):
    list_display = ["group", "version", "approved_on", "review_on"]
    list_filter = ["group"]


@admin.register(models.MaturityAssessment)
class MaturityAssessmentAdmin(admin.ModelAdmin):
    list_display = ["group", "assessed_on"]
    list_filter = ["group"]


@admin.register(models.Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "starts_at", "status", "is_ad_hoc", "takes_bookings", "capacity"]
    list_filter = ["kind", "status", "is_ad_hoc", "takes_bookings"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["group", "facilitator"]


@admin.register(models.Booking)
class BookingAdmin(SimpleHistoryAdmin):
    list_display = ["attendee_name", "activity", "provider", "status", "requested_at"]
    list_filter = ["status"]
    search_fields = ["attendee_name", "attendee_email"]
    raw_id_fields = ["activity", "provider", "booked_by"]


admin.site.register([models.Feedback, models.ActivityNote, models.Action, models.YouSaidWeDid])


@admin.register(models.EnquiryTarget)
class EnquiryTargetAdmin(admin.ModelAdmin):
    list_display = ["topic", "working_days"]


class EnquiryEventInline(admin.TabularInline):
    model = models.EnquiryEvent
    extra = 0
    fields = ["created_at", "kind", "author", "is_internal", "text"]
    readonly_fields = fields
    can_delete = False


@admin.register(models.Enquiry)
class EnquiryAdmin(SimpleHistoryAdmin):
    """For looking into an enquiry; officers work enquiries in the portal, where each step is recorded."""

    list_display = ["reference", "subject", "provider", "topic", "status", "assigned_officer", "due_on"]
    list_filter = ["status", "topic"]
    search_fields = ["reference", "subject", "provider__name"]
    raw_id_fields = ["provider", "raised_by", "assigned_officer", "assigned_team"]
    inlines = [EnquiryEventInline]

    def has_add_permission(self, request) -> bool:
        return False
