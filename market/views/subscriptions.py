"""A provider user chooses the types of service and areas they hear about, or stops the emails."""

from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.shortcuts import redirect
from django.urls import path
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from market.forms.subscriptions import SubscriptionForm
from market.selectors.subscriptions import subscription_of
from market.services import subscriptions as services
from portal.forms import add_service_error


class _ProviderUserRequiredMixin(UserPassesTestMixin):
    """Provider users only; anyone else signed in gets 403."""

    raise_exception = True

    def test_func(self) -> bool:
        return bool(getattr(self.request.user, "provider_organisation_id", None))


class SubscriptionView(_ProviderUserRequiredMixin, FormView):
    template_name = "market/subscription.html"
    form_class = SubscriptionForm

    @cached_property
    def subscription(self):
        return subscription_of(self.request.user)

    def get_initial(self):
        if self.subscription is None:
            return {}
        return {
            "all_service_types": self.subscription.all_service_types,
            "service_types": list(self.subscription.service_types.all()),
            "all_areas": self.subscription.all_areas,
            "areas": list(self.subscription.areas.all()),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(subscription=self.subscription, **kwargs)

    def form_valid(self, form):
        try:
            services.subscription_save(user=self.request.user, **form.cleaned_data)
        except services.SubscriptionError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, f"We will email {self.request.user.email} when something you chose is published"
        )
        return redirect("market:subscription")


class UnsubscribeView(_ProviderUserRequiredMixin, TemplateView):
    """Asks to confirm, then stops the emails."""

    template_name = "market/unsubscribe.html"

    def post(self, request, *args, **kwargs):
        services.subscription_remove(user=request.user)
        messages.success(request, "You will no longer get market direction emails")
        return redirect("market:direction")


urlpatterns = [
    path("subscription/", SubscriptionView.as_view(), name="subscription"),
    path("subscription/stop/", UnsubscribeView.as_view(), name="unsubscribe"),
]
