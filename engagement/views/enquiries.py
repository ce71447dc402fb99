"""Provider enquiries: providers raise and reply; officers reply, pass on, ask for more, note and resolve.

A provider user sees only its own organisation's enquiries (another's is a 404) and never an internal note.
Each step's page checks who may take it first (403), then that the user can see the enquiry (404).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.views.generic import DetailView, FormView, ListView

from directory.selectors.finder import finder_defaults
from engagement.forms import enquiries as forms
from engagement.models import Enquiry
from engagement.selectors import enquiries as selectors
from engagement.services import enquiries as services
from portal.permissions import is_council_staff

ANSWER_PERMISSION = "engagement.change_enquiry"
DOWNLOAD_PERMISSION = "engagement.view_enquiryattachment"


def _is_provider_user(user) -> bool:
    return bool(getattr(user, "provider_organisation_id", None))


def _answers_enquiries(user) -> bool:
    return is_council_staff(user) and user.has_perm(ANSWER_PERMISSION)


def _downloads_attachments(user) -> bool:
    return _is_provider_user(user) or (is_council_staff(user) and user.has_perm(DOWNLOAD_PERMISSION))


class ProviderUserRequiredMixin(UserPassesTestMixin):
    """Provider users only: they act for their own organisation. Anyone else signed in gets 403."""

    raise_exception = True

    def test_func(self) -> bool:
        return _is_provider_user(self.request.user)


class EnquiryListView(ProviderUserRequiredMixin, ListView):
    """A provider's own enquiries; council staff are sent to their queue."""

    template_name = "engagement/enquiries/enquiry_list.html"
    context_object_name = "enquiries"
    paginate_by = 25

    def dispatch(self, request, *args, **kwargs):
        if not _is_provider_user(request.user) and is_council_staff(request.user):
            return redirect("engagement:enquiry-queue")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.enquiries_of_own_organisation(self.request.user)


class EnquiryRaiseView(ProviderUserRequiredMixin, FormView):
    """`?follow_up=<pk>` starts a new enquiry about one of the organisation's earlier ones."""

    template_name = "engagement/enquiries/raise.html"
    form_class = forms.RaiseForm

    def get_initial(self):
        initial = finder_defaults(self.request.user)
        # A link such as market direction's "Ask about fees" (?topic=fees-and-pricing) chooses these beforehand.
        initial.update(
            {name: self.request.GET[name] for name in ("topic", "service_type") if self.request.GET.get(name)}
        )
        earlier = self._follow_up()
        if earlier is not None:
            initial.update(
                topic=earlier.topic.slug,
                area=earlier.area.slug if earlier.area else initial.get("area"),
                service_type=earlier.service_type.slug
                if earlier.service_type
                else initial.get("service_type"),
                subject=f"Follow-up to {earlier.reference}: {earlier.subject}"[:200],
                message=f"This follows up {earlier.reference}.\n\n",
            )
        return initial

    def _follow_up(self) -> Enquiry | None:
        wanted = self.request.GET.get("follow_up", "")
        if not wanted.isdigit():
            return None
        return selectors.visible_enquiries(self.request.user).filter(pk=wanted).first()

    def form_valid(self, form):
        user = self.request.user
        try:
            enquiry = services.enquiry_raise(
                provider=user.provider_organisation, raised_by=user, **form.cleaned_data
            )
        except services.NobodyAnswersError as error:
            form.add_error(None, error.message)
            asked = {name: form.cleaned_data[name].slug for name in ("topic", "area", "service_type")}
            finder_url = f"{reverse('directory:finder')}?{urlencode(asked)}"
            return self.render_to_response(self.get_context_data(form=form, finder_url=finder_url))
        except services.EnquiryError as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Enquiry {enquiry.reference} sent. {services.assignee_name(enquiry)} has it and will answer by "
            f"{date_format(enquiry.due_on, 'l j F Y')}",
        )
        return redirect("engagement:enquiry-detail", pk=enquiry.pk)


class EnquiryDetailView(DetailView):
    """The enquiry, who has it, its promised date and its timeline; a provider sees no internal notes."""

    template_name = "engagement/enquiries/enquiry_detail.html"
    context_object_name = "enquiry"

    def get_queryset(self):
        return selectors.visible_enquiries(self.request.user)

    def get_context_data(self, **kwargs):
        enquiry, user = self.object, self.request.user
        answers = _answers_enquiries(user)
        still_open = enquiry.status != Enquiry.Status.RESOLVED
        return super().get_context_data(
            is_council_staff=is_council_staff(user),
            timeline=selectors.enquiry_timeline(enquiry=enquiry, user=user),
            can_answer=answers and still_open,
            can_note=answers,
            can_download=_downloads_attachments(user),
            can_reply=still_open and (answers or _is_provider_user(user)),
            overdue=enquiry.status == Enquiry.Status.OPEN and enquiry.due_on < timezone.localdate(),
            **kwargs,
        )


class EnquiryStepView(FormView):
    """One step on one enquiry, taken through its service; a refused step is shown as a form error."""

    template_name = "engagement/enquiries/step.html"
    title = ""
    intro = ""
    done = ""
    # Whether the step is refused once the enquiry is resolved (an internal note is not).
    needs_open = True

    def may_take_step(self, user) -> bool:
        return _answers_enquiries(user)

    def dispatch(self, request, *args, **kwargs):
        if not self.may_take_step(request.user):
            raise PermissionDenied
        self.enquiry = get_object_or_404(selectors.visible_enquiries(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        resolved = self.enquiry.status == Enquiry.Status.RESOLVED
        return super().get_context_data(
            enquiry=self.enquiry,
            title=self.title,
            intro=self.intro,
            refused_as_resolved=self.needs_open and resolved,
            is_provider_user=_is_provider_user(self.request.user),
            **kwargs,
        )

    def take_step(self, form) -> None:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.take_step(form)
        except services.EnquiryError as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        messages.success(self.request, self.done)
        return redirect("engagement:enquiry-detail", pk=self.enquiry.pk)


class EnquiryReplyView(EnquiryStepView):
    """The council's reply, or the provider's (which, when the council asked for more, restarts the clock)."""

    form_class = forms.ReplyForm
    title = "Reply"

    def may_take_step(self, user) -> bool:
        return _answers_enquiries(user) or _is_provider_user(user)

    @property
    def by_provider(self) -> bool:
        return _is_provider_user(self.request.user)

    def get_form_kwargs(self):
        waiting = self.enquiry.status == Enquiry.Status.AWAITING_PROVIDER
        if self.by_provider:
            help_text = (
                "Answer what the council asked" if waiting else "The council officer is emailed your reply"
            )
        else:
            # A hint is printed as it is: the provider's stored name is escaped.
            help_text = format_html("{} sees this and is emailed it", self.enquiry.provider)
        return {**super().get_form_kwargs(), "help_text": help_text}

    def get_context_data(self, **kwargs):
        return super().get_context_data(asked=selectors.information_asked(enquiry=self.enquiry), **kwargs)

    def take_step(self, form) -> None:
        services.enquiry_reply(enquiry=self.enquiry, author=self.request.user, **form.cleaned_data)
        self.done = (
            "Your reply was sent" if self.by_provider else f"Your reply was sent to {self.enquiry.provider}"
        )


class EnquiryReassignView(EnquiryStepView):
    form_class = forms.ReassignForm
    title = "Pass on the enquiry"
    intro = "The officer or team you choose is emailed the enquiry."

    def take_step(self, form) -> None:
        enquiry = services.enquiry_reassign(
            enquiry=self.enquiry, reassigned_by=self.request.user, **form.cleaned_data
        )
        self.done = f"{enquiry.reference} is now with {services.assignee_name(enquiry)}"


class EnquiryRequestInformationView(EnquiryStepView):
    form_class = forms.RequestInformationForm
    title = "Ask the provider for more information"

    def take_step(self, form) -> None:
        services.enquiry_request_information(
            enquiry=self.enquiry, requested_by=self.request.user, **form.cleaned_data
        )
        self.done = (
            f"{self.enquiry.provider} was asked for more information. The clock is paused until they reply"
        )


class EnquiryNoteView(EnquiryStepView):
    form_class = forms.NoteForm
    title = "Add an internal note"
    intro = "Only council staff see internal notes."
    done = "Your note was added"
    needs_open = False

    def take_step(self, form) -> None:
        services.enquiry_note(enquiry=self.enquiry, author=self.request.user, **form.cleaned_data)


class EnquiryResolveView(EnquiryStepView):
    form_class = forms.ResolveForm
    title = "Resolve the enquiry"

    def take_step(self, form) -> None:
        services.enquiry_resolve(enquiry=self.enquiry, resolved_by=self.request.user, **form.cleaned_data)
        self.done = f"{self.enquiry.reference} is resolved and {self.enquiry.provider} has been emailed"


def enquiry_attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment, only for someone who can see its enquiry (and, for a provider, not on an internal note)."""
    if not _downloads_attachments(request.user):
        raise PermissionDenied
    attachment = get_object_or_404(selectors.visible_attachments(request.user), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The file is no longer stored") from missing
    return FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )


urlpatterns = [
    path("enquiries/", EnquiryListView.as_view(), name="enquiry-list"),
    path("enquiries/new/", EnquiryRaiseView.as_view(), name="enquiry-raise"),
    path("enquiries/<int:pk>/", EnquiryDetailView.as_view(), name="enquiry-detail"),
    path("enquiries/<int:pk>/reply/", EnquiryReplyView.as_view(), name="enquiry-reply"),
    path("enquiries/<int:pk>/pass-on/", EnquiryReassignView.as_view(), name="enquiry-reassign"),
    path(
        "enquiries/<int:pk>/ask-for-information/",
        EnquiryRequestInformationView.as_view(),
        name="enquiry-request-information",
    ),
    path("enquiries/<int:pk>/note/", EnquiryNoteView.as_view(), name="enquiry-note"),
    path("enquiries/<int:pk>/resolve/", EnquiryResolveView.as_view(), name="enquiry-resolve"),
    path("enquiries/attachments/<int:pk>/", enquiry_attachment_download, name="enquiry-attachment"),
]
