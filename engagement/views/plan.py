"""The forward plan: every engagement activity, its calendar feeds, its printable view and ad hoc approvals.

Everyone signed in reads the plan. Officers add, edit and cancel activities (the activity permissions); the
engagement manager approves ad hoc ones. The calendar feeds are opened by calendar apps without a session, so
they check a signed token in their address instead.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, FormView, ListView
from django_filters.views import FilterView

from engagement.calendar import plan_calendar
from engagement.filters import PlanFilter
from engagement.forms import plan as forms
from engagement.models import Activity, EngagementGroup
from engagement.selectors import plan as selectors
from engagement.services import plan as services
from portal import contributions
from portal.paths import with_paths
from portal.permissions import CouncilStaffRequiredMixin, is_council_staff

APPROVE_PERMISSION = "engagement.approve_ad_hoc_activity"
# Without a month chosen, the printed plan covers the rest of this month and this many more.
PRINT_MONTHS = 3


def _feed_url(user, group: EngagementGroup | None = None) -> str:
    if group is None:
        address = reverse("engagement:plan-ical")
    else:
        address = reverse("engagement:group-ical", kwargs={"slug": group.slug})
    return f"{settings.SITE_URL}{address}?token={selectors.feed_token(user, group=group)}"


class PlanView(FilterView):
    filterset_class = PlanFilter
    template_name = "engagement/plan/plan.html"
    context_object_name = "activities"
    paginate_by = 20

    def get_queryset(self):
        return selectors.plan_activities(self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        council_staff = is_council_staff(user)
        context = super().get_context_data(
            form=self.filterset.form,
            filtered=self.filterset.is_bound,
            feed_url=_feed_url(user),
            # Providers never add activities: asking would cost them two permission queries.
            can_add=council_staff and user.has_perm("engagement.add_activity"),
            is_council_staff=council_staff,
            **kwargs,
        )
        context["activities"] = with_paths(
            selectors.describe(context["activities"]), "engagement:activity-detail"
        )
        return context


class PlanPrintView(FilterView):
    """The plan as a plain list by month, for paper: the same filters, no pages."""

    filterset_class = PlanFilter
    template_name = "engagement/plan/plan_print.html"
    context_object_name = "activities"

    def get_queryset(self):
        return selectors.plan_activities(self.request.user, with_facilitator=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        month = self.filterset.chosen_month
        if not month:
            until = selectors.month_start(timezone.localdate(), PRINT_MONTHS + 1)
            context["activities"] = context["activities"].filter(starts_at__lt=selectors.start_of(until))
            context["until"] = until - timedelta(days=1)
        context["activities"] = selectors.describe(context["activities"])
        return {**context, "form": self.filterset.form, "month": month}


def _calendar_response(activities, *, name: str, filename: str, dated_items=()) -> HttpResponse:
    response = HttpResponse(
        plan_calendar(activities, name=name, dated_items=dated_items),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_not_required
@require_GET
def plan_ical(request: HttpRequest) -> HttpResponse:
    """The whole plan as a calendar feed, for the user its token names."""
    user = selectors.feed_subscriber(request.GET.get("token", ""))
    if user is None:
        raise Http404("No such calendar")
    return _calendar_response(
        selectors.feed_activities(user),
        name=f"{settings.COUNCIL_NAME} forward plan",
        filename="forward-plan.ics",
        dated_items=contributions.calendar_items(user),
    )


@login_not_required
@require_GET
def group_ical(request: HttpRequest, slug: str) -> HttpResponse:
    """One group's meetings as a calendar feed."""
    group = selectors.feed_group(slug)
    user = selectors.feed_subscriber(request.GET.get("token", ""), group=group) if group else None
    if user is None:
        raise Http404("No such calendar")
    return _calendar_response(
        selectors.feed_activities(user, group=group),
        name=group.name,
        filename=f"{slugify(group.name) or 'group'}.ics",
    )


class ActivityDetailView(DetailView):
    template_name = "engagement/plan/activity_detail.html"
    context_object_name = "activity"

    def get_queryset(self):
        return selectors.activity_page(self.request.user)

    def get_context_data(self, **kwargs):
        activity, user = self.object, self.request.user
        context = super().get_context_data(
            is_council_staff=is_council_staff(user),
            can_change=activity.status != Activity.Status.CANCELLED
            and user.has_perm("engagement.change_activity"),
            can_approve=activity.awaits_approval and user.has_perm(APPROVE_PERMISSION),
            group_feed_url=_feed_url(user, activity.group) if activity.group else "",
            weeks_ahead=settings.ENGAGEMENT_PLAN_WEEKS_AHEAD,
            **kwargs,
        )
        selectors.describe([activity])
        if activity.takes_bookings:
            from engagement.selectors.bookings import activity_places

            context["places"] = activity_places(activity=activity, user=user)
        return context


class ActivityFormView(PermissionRequiredMixin, FormView):
    raise_exception = True
    template_name = "engagement/plan/activity_form.html"
    form_class = forms.ActivityForm
    activity: Activity | None = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.activity}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            activity=self.activity, weeks_ahead=settings.ENGAGEMENT_PLAN_WEEKS_AHEAD, **kwargs
        )

    def form_valid(self, form):
        try:
            activity = self.save(form)
        except services.PlanError as error:
            forms.add_plan_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(activity))
        return redirect("engagement:activity-detail", pk=activity.pk)


class ActivityAddView(ActivityFormView):
    permission_required = "engagement.add_activity"

    def get_initial(self):
        group = EngagementGroup.objects.filter(
            slug=self.request.GET.get("group") or "", is_active=True
        ).first()
        return {"group": group.pk} if group else {}

    def save(self, form) -> Activity:
        return services.activity_create(created_by=self.request.user, **form.values, **form.many)

    def success_message(self, activity: Activity) -> str:
        if activity.is_ad_hoc:
            return f"{activity} was added to the plan. It is ad hoc: it waits for the engagement manager's approval"
        return f"{activity} was added to the plan"


class ActivityEditView(ActivityFormView):
    permission_required = "engagement.change_activity"

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.activity = get_object_or_404(selectors.activity_page(request.user), pk=kwargs["pk"])
        if self.activity.status == Activity.Status.CANCELLED:
            messages.error(request, services.ALREADY_CANCELLED)
            return redirect("engagement:activity-detail", pk=self.activity.pk)
        return super().dispatch(request, *args, **kwargs)

    def save(self, form) -> Activity:
        return services.activity_update(
            activity=self.activity, changed_by=self.request.user, **form.values, **form.many
        )

    def success_message(self, activity: Activity) -> str:
        return f"{activity} was changed"


class _ActivityStepView(PermissionRequiredMixin, FormView):
    """A form about one activity: the permission is checked before the activity is looked up."""

    raise_exception = True

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.activity = get_object_or_404(selectors.activity_page(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class ActivityCancelView(_ActivityStepView):
    permission_required = "engagement.change_activity"
    template_name = "engagement/plan/activity_cancel.html"
    form_class = forms.ActivityCancelForm

    def get_context_data(self, **kwargs):
        selectors.describe([self.activity])
        return super().get_context_data(activity=self.activity, **kwargs)

    def form_valid(self, form):
        try:
            activity = services.activity_cancel(
                activity=self.activity, cancelled_by=self.request.user, reason=form.cleaned_data["reason"]
            )
        except services.PlanError as error:
            forms.add_plan_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{activity} was cancelled; everyone with a place has been emailed")
        return redirect("engagement:activity-detail", pk=activity.pk)


class AdHocView(CouncilStaffRequiredMixin, ListView):
    """Ad hoc activities waiting for approval (`?show=approved`: those approved), and how many each quarter."""

    template_name = "engagement/plan/ad_hoc.html"
    context_object_name = "activities"
    paginate_by = 25

    @property
    def showing_approved(self) -> bool:
        return self.request.GET.get("show") == "approved"

    def get_queryset(self):
        return selectors.ad_hoc_activities(awaiting=not self.showing_approved)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            showing_approved=self.showing_approved,
            quarters=selectors.ad_hoc_per_quarter(),
            weeks_ahead=settings.ENGAGEMENT_PLAN_WEEKS_AHEAD,
            can_approve=self.request.user.has_perm(APPROVE_PERMISSION),
            **kwargs,
        )


class AdHocApproveView(_ActivityStepView):
    permission_required = APPROVE_PERMISSION
    template_name = "engagement/plan/ad_hoc_approve.html"
    form_class = forms.AdHocApproveForm

    def get_context_data(self, **kwargs):
        selectors.describe([self.activity])
        return super().get_context_data(
            activity=self.activity, weeks_ahead=settings.ENGAGEMENT_PLAN_WEEKS_AHEAD, **kwargs
        )

    def form_valid(self, form):
        try:
            activity = services.ad_hoc_activity_approve(activity=self.activity, approved_by=self.request.user)
        except services.PlanError as error:
            messages.error(self.request, error.message)
            return redirect("engagement:activity-detail", pk=self.activity.pk)
        messages.success(self.request, f"You approved {activity} as an ad hoc activity")
        return redirect("engagement:ad-hoc")


urlpatterns = [
    path("plan/", PlanView.as_view(), name="plan"),
    path("plan/print/", PlanPrintView.as_view(), name="plan-print"),
    path("plan/calendar.ics", plan_ical, name="plan-ical"),
    path("plan/groups/<slug:slug>/calendar.ics", group_ical, name="group-ical"),
    path("plan/ad-hoc/", AdHocView.as_view(), name="ad-hoc"),
    path("plan/ad-hoc/<int:pk>/approve/", AdHocApproveView.as_view(), name="ad-hoc-approve"),
    path("activities/add/", ActivityAddView.as_view(), name="activity-add"),
    path("activities/<int:pk>/", ActivityDetailView.as_view(), name="activity-detail"),
    path("activities/<int:pk>/edit/", ActivityEditView.as_view(), name="activity-edit"),
    path("activities/<int:pk>/cancel/", ActivityCancelView.as_view(), name="activity-cancel"),
]
