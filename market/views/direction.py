"""What providers read: commissioning intentions, the market position statement, opportunities and fees explained.

Anyone signed in reads published pages; council staff also open drafts, marked "Draft". A draft is a 404 for a
provider.
"""

from django.urls import path
from django.utils import timezone
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from market.filters import IntentionFilter
from market.selectors import pages as selectors
from portal import roles

PAGE_SIZE = 20
MANAGE_PERMISSION = "market.change_commissioningintention"
FEES_TOPIC = "fees-and-pricing"


def _page_context(user) -> dict:
    return {
        "today": timezone.localdate(),
        "can_keep": roles.may(user, MANAGE_PERMISSION),
        "is_provider_user": bool(getattr(user, "provider_organisation_id", None)),
    }


class DirectionView(FilterView):
    """The landing page: the current statement, the soonest opportunities, and the intentions, filtered."""

    template_name = "market/direction.html"
    filterset_class = IntentionFilter
    context_object_name = "intentions"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return selectors.intentions_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = self.filterset.form
        return super().get_context_data(
            statement=selectors.current_statement(user),
            opportunities=list(selectors.opportunities_visible_to(user)[:3]),
            filtered=any(form.data.get(name) for name in form.fields),
            **_page_context(user),
            **kwargs,
        )


class _ItemView(DetailView):
    context_object_name = "item"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**_page_context(self.request.user), **kwargs)


class IntentionView(_ItemView):
    template_name = "market/intention.html"

    def get_queryset(self):
        return selectors.intentions_visible_to(self.request.user)


class StatementView(_ItemView):
    template_name = "market/statement.html"

    def get_queryset(self):
        return selectors.statement_visible_to(self.request.user)


class OpportunityListView(ListView):
    template_name = "market/opportunities.html"
    context_object_name = "opportunities"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return selectors.opportunities_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**_page_context(self.request.user), **kwargs)


class OpportunityView(_ItemView):
    template_name = "market/opportunity.html"

    def get_queryset(self):
        return selectors.opportunities_visible_to(self.request.user, upcoming_only=False)


class FeeListView(ListView):
    """Fees explained, type of service by type of service, the latest year first."""

    template_name = "market/fees.html"
    context_object_name = "explanations"
    paginate_by = 50

    def get_queryset(self):
        return selectors.fee_explanations_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(fees_topic=FEES_TOPIC, **_page_context(self.request.user), **kwargs)


class FeeView(_ItemView):
    template_name = "market/fee.html"

    def get_queryset(self):
        return selectors.fee_explanations_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(fees_topic=FEES_TOPIC, **kwargs)


urlpatterns = [
    path("", DirectionView.as_view(), name="direction"),
    path("intentions/<int:pk>/", IntentionView.as_view(), name="intention"),
    path("statement/<int:pk>/", StatementView.as_view(), name="statement"),
    path("opportunities/", OpportunityListView.as_view(), name="opportunities"),
    path("opportunities/<int:pk>/", OpportunityView.as_view(), name="opportunity"),
    path("fees/", FeeListView.as_view(), name="fees"),
    path("fees/<int:pk>/", FeeView.as_view(), name="fee"),
]
