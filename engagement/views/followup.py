"""After an activity: attendees' feedback, officers' notes and actions, and a group's "you said, we did".

Feedback is for the provider users whose organisation held a place at an activity that happened; anyone else
gets a 404. Notes and actions are council staff's; "you said, we did" is public once published.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.views.generic import FormView, ListView, TemplateView

from engagement.forms import followup as forms
from engagement.models import Activity, EngagementGroup
from engagement.selectors import followup as selectors
from engagement.selectors.groups import groups_visible_to
from engagement.services import followup as services
from portal.forms import add_service_error
from portal.permissions import is_council_staff

PAGE_SIZE = 25


class YouSaidWeDidListView(ListView):
    """A group's published entries for everyone; council staff also see drafts and entries not yet published."""

    template_name = "engagement/followup/you_said_we_did_list.html"
    context_object_name = "entries"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.group = get_object_or_404(groups_visible_to(self.request.user), slug=self.kwargs["slug"])
        return selectors.you_said_we_did_for(group=self.group, user=self.request.user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            group=self.group,
            is_council_staff=is_council_staff(user),
            can_add=user.has_perm("engagement.add_yousaidwedid"),
            can_edit=user.has_perm("engagement.change_yousaidwedid"),
            today=timezone.localdate(),
            **kwargs,
        )


class YouSaidWeDidFormView(PermissionRequiredMixin, FormView):
    """Add an entry to a group's list, or (with a pk) change one."""

    raise_exception = True
    template_name = "engagement/followup/you_said_we_did_form.html"
    form_class = forms.YouSaidWeDidForm

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.group = get_object_or_404(EngagementGroup, slug=kwargs["slug"])
        self.entry = None
        if "pk" in kwargs:
            self.entry = get_object_or_404(
                selectors.you_said_we_did_editable(group=self.group), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_permission_required(self):
        action = "change" if "pk" in self.kwargs else "add"
        return [f"engagement.{action}_yousaidwedid"]

    def get_initial(self):
        if self.entry is None:
            return {}
        return {
            "you_said": self.entry.you_said,
            "we_did": self.entry.we_did,
            "activity": self.entry.activity_id,
            "published_on": self.entry.published_on,
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "group": self.group}

    def get_context_data(self, **kwargs):
        return super().get_context_data(group=self.group, entry=self.entry, **kwargs)

    def form_valid(self, form):
        try:
            services.you_said_we_did_save(
                group=self.group, by=self.request.user, entry=self.entry, **form.cleaned_data
            )
        except services.FollowupError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Entry saved" if self.entry else "Entry added")
        return redirect("engagement:you-said-we-did", slug=self.group.slug)


class ActivityFeedbackView(FormView):
    """An attendee's provider gives feedback once per place it held; anyone else gets a 404."""

    template_name = "engagement/followup/feedback.html"
    form_class = forms.FeedbackForm

    def dispatch(self, request, *args, **kwargs):
        self.activity = get_object_or_404(Activity.objects.select_related("group"), pk=kwargs["pk"])
        self.bookings = selectors.feedback_bookings(activity=self.activity, user=request.user)
        self.places = list(self.bookings)
        if not self.places:
            raise Http404("No place at this activity to give feedback on")
        self.open_bookings = self.bookings.filter(feedback__isnull=True)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "bookings": self.open_bookings}

    def get_context_data(self, **kwargs):
        given = [booking for booking in self.places if getattr(booking, "feedback", None) is not None]
        waiting = [booking for booking in self.places if booking not in given]
        return super().get_context_data(
            giving_for=waiting[0] if len(waiting) == 1 else None,
            activity=self.activity,
            places=self.places,
            given=given,
            all_given=len(given) == len(self.places),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.feedback_give(
                booking=data["booking"],
                by=self.request.user,
                rating=data["rating"],
                useful=data["useful"],
                improve=data["improve"],
            )
        except services.FollowupError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Thank you: your feedback on {self.activity} was sent to the council")
        return redirect("engagement:activity-feedback", pk=self.activity.pk)


class ActivityNotesView(TemplateView):
    """The notes and actions of an activity, and a summary of its feedback. Council staff read; officers write."""

    template_name = "engagement/followup/notes.html"
    forms_by_name = {"notes": "add_activitynote", "action": "add_action", "done": "change_action"}

    def dispatch(self, request, *args, **kwargs):
        if not (is_council_staff(request.user) and request.user.has_perm("engagement.view_activitynote")):
            raise PermissionDenied
        self.activity = get_object_or_404(selectors.activity_for_followup(), pk=kwargs["pk"])
        self.note = selectors.activity_note(self.activity)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        kwargs.setdefault(
            "notes_form", forms.NotesForm(initial={"notes": self.note.notes if self.note else ""})
        )
        kwargs.setdefault("action_form", forms.ActionForm())
        return super().get_context_data(
            activity=self.activity,
            note=self.note,
            actions=selectors.activity_actions(self.activity),
            summary=selectors.feedback_summary(self.activity),
            comments=selectors.feedback_comments(self.activity),
            can_write_notes=user.has_perm("engagement.add_activitynote"),
            can_add_action=user.has_perm("engagement.add_action"),
            can_mark_done=user.has_perm("engagement.change_action"),
            today=timezone.localdate(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        which = request.POST.get("form", "notes")
        if which not in self.forms_by_name:
            which = "notes"
        if not request.user.has_perm(f"engagement.{self.forms_by_name[which]}"):
            raise PermissionDenied
        return getattr(self, f"post_{which}")(request)

    def post_notes(self, request):
        form = forms.NotesForm(request.POST)
        if form.is_valid():
            try:
                services.activity_note_save(activity=self.activity, by=request.user, **form.cleaned_data)
            except services.FollowupError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Notes saved")
                return redirect("engagement:activity-notes", pk=self.activity.pk)
        return self.render_to_response(self.get_context_data(notes_form=form, form=form))

    def post_action(self, request):
        form = forms.ActionForm(request.POST)
        if form.is_valid():
            try:
                action = services.action_add(activity=self.activity, by=request.user, **form.cleaned_data)
            except services.FollowupError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"Action added for {action.owner}")
                return redirect("engagement:activity-notes", pk=self.activity.pk)
        return self.render_to_response(self.get_context_data(action_form=form, form=form))

    def post_done(self, request):
        action_pk = request.POST.get("action", "")
        action = get_object_or_404(
            self.activity.actions.all(), pk=int(action_pk) if action_pk.isdigit() else 0
        )
        done = request.POST.get("done", "yes") != "no"
        services.action_mark_done(action=action, by=request.user, done=done)
        messages.success(request, "Action marked as done" if done else "Action opened again")
        return redirect("engagement:activity-notes", pk=self.activity.pk)


urlpatterns = [
    path("groups/<slug:slug>/you-said-we-did/", YouSaidWeDidListView.as_view(), name="you-said-we-did"),
    path(
        "groups/<slug:slug>/you-said-we-did/new/",
        YouSaidWeDidFormView.as_view(),
        name="you-said-we-did-add",
    ),
    path(
        "groups/<slug:slug>/you-said-we-did/<int:pk>/edit/",
        YouSaidWeDidFormView.as_view(),
        name="you-said-we-did-edit",
    ),
    path("activities/<int:pk>/feedback/", ActivityFeedbackView.as_view(), name="activity-feedback"),
    path("activities/<int:pk>/notes/", ActivityNotesView.as_view(), name="activity-notes"),
]
