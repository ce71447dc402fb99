"""Editing the who's-who in the browser: officers, teams and responsibilities, their checks and their history.

Council staff may read every page here; only directory editors (the model's change permission) change anything.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import DetailView, FormView, ListView
from django.views.generic.detail import SingleObjectMixin

from directory.forms import editing as forms
from directory.models import Officer, Responsibility, Team
from directory.selectors import editing as selectors
from directory.selectors import history
from directory.selectors import verification as verification_selectors
from directory.services import officers as officer_services
from directory.services import responsibilities as responsibility_services
from directory.services import teams as team_services
from directory.services.entries import EntryError
from directory.services.verification import entry_mark_checked
from portal.permissions import CouncilStaffRequiredMixin, is_council_staff

PAGE_SIZE = 50


class EditorRequiredMixin(UserPassesTestMixin):
    """Directory editors only: council staff holding the model's permission; anyone else signed in gets 403."""

    raise_exception = True
    permission_required = ""

    def test_func(self) -> bool:
        user = self.request.user
        return is_council_staff(user) and user.has_perm(self.permission_required)


class EntryKindMixin:
    """What the views of one kind of entry share: its model, names and pages."""

    model: type
    kind = ""
    label = ""
    plural = ""

    def url(self, action: str, entry=None) -> str:
        return reverse(f"directory:manage-{self.kind}-{action}", args=[entry.pk] if entry is not None else [])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            kind=self.kind,
            kind_label=self.label,
            kind_plural=self.plural,
            list_url=self.url("list"),
            stale_before=verification_selectors.stale_before(),
            today=timezone.localdate(),
            can_add=self.request.user.has_perm(f"directory.add_{self.kind}"),
            can_edit=self.request.user.has_perm(f"directory.change_{self.kind}"),
        )
        return context


class EntryListView(EntryKindMixin, CouncilStaffRequiredMixin, ListView):
    paginate_by = PAGE_SIZE
    list_for = None

    def get_queryset(self):
        self.filter_form = forms.StatusFilterForm(self.request.GET or None)
        return type(self).list_for(status=self.filter_form.chosen_status)

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, add_url=self.url("add"), **kwargs)


class EntryDetailView(EntryKindMixin, CouncilStaffRequiredMixin, DetailView):
    context_object_name = "entry"
    page_queryset = None

    def get_queryset(self):
        return type(self).page_queryset()

    def get_context_data(self, **kwargs):
        entry = self.object
        return super().get_context_data(
            history=history.entry_history(entry),
            edit_url=self.url("edit", entry),
            retire_url=self.url("retire", entry),
            check_url=self.url("check", entry),
            **kwargs,
        )


class EntryFormView(EntryKindMixin, EditorRequiredMixin, FormView):
    """Add (no pk) or edit an entry through its form and service."""

    template_name = "directory/editing/entry_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(instance=self.object, editor=self.request.user)
        return kwargs

    def form_valid(self, form):
        try:
            entry = self.save(form.cleaned_data)
        except EntryError as error:
            forms.add_entry_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(entry))
        return redirect(self.url("detail", entry))

    def get_context_data(self, **kwargs):
        cancel = self.url("detail", self.object) if self.object else self.url("list")
        article = "an" if self.label[0] in "aeiou" else "a"
        heading = f"Edit {self.object}" if self.object else f"Add {article} {self.label}"
        return super().get_context_data(entry=self.object, heading=heading, cancel_url=cancel, **kwargs)


class EntryAddView(EntryFormView):
    def success_message(self, entry) -> str:
        return f"{self.label.capitalize()} added: {entry}"


class EntryEditView(SingleObjectMixin, EntryFormView):
    page_queryset = None

    def get_queryset(self):
        return type(self).page_queryset()

    def dispatch(self, request, *args, **kwargs):
        # The role check runs first, so that someone who may not edit learns nothing from a 404.
        if not self.test_func():
            return self.handle_no_permission()
        self.object = self.get_object()
        return FormView.dispatch(self, request, *args, **kwargs)

    def success_message(self, entry) -> str:
        return f"Changes to {entry} saved"


class EntryRetireView(EntryEditView):
    template_name = "directory/editing/entry_retire.html"

    def get_form_kwargs(self):
        kwargs = FormView.get_form_kwargs(self)
        kwargs[self.kind] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = f"Retire {self.object}"
        return context


class MarkCheckedView(EntryKindMixin, EditorRequiredMixin, SingleObjectMixin, View):
    """POST only: the owner (or any editor) confirms the entry is right today."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        entry = entry_mark_checked(entry=self.get_object(), by=request.user)
        messages.success(request, f"{entry} marked as checked today")
        next_url = request.POST.get("next", "")
        # Only a path: anything else is not a page of the portal (and `redirect` would look it up as a view name).
        if next_url.startswith("/") and url_has_allowed_host_and_scheme(
            next_url, {request.get_host()}, request.is_secure()
        ):
            return redirect(next_url)
        return redirect(self.url("detail", entry))


# Officers


class OfficerKind(EntryKindMixin):
    model = Officer
    kind, label, plural = "officer", "officer", "officers"
    permission_required = "directory.change_officer"


class OfficerListView(OfficerKind, EntryListView):
    template_name = "directory/editing/officer_list.html"
    list_for = selectors.officers_for_editing


class OfficerDetailView(OfficerKind, EntryDetailView):
    template_name = "directory/editing/officer_detail.html"
    page_queryset = selectors.officer_for_page


class OfficerAddView(OfficerKind, EntryAddView):
    form_class = forms.OfficerForm
    permission_required = "directory.add_officer"

    def save(self, data):
        return officer_services.officer_create(by=self.request.user, **data)


class OfficerEditView(OfficerKind, EntryEditView):
    form_class = forms.OfficerForm
    page_queryset = selectors.officer_for_page

    def save(self, data):
        return officer_services.officer_update(officer=self.object, by=self.request.user, **data)


class OfficerRetireView(OfficerKind, EntryRetireView):
    form_class = forms.OfficerRetireForm
    page_queryset = selectors.officer_for_page

    def save(self, data):
        return officer_services.officer_retire(
            officer=self.object, by=self.request.user, last_day=data["last_day"]
        )

    def success_message(self, entry) -> str:
        return f"{entry}'s last day in post is recorded as {formats.date_format(entry.active_to, 'j F Y')}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            still_depending=selectors.officer_leaving_summary(self.object), **kwargs
        )


class OfficerCheckView(OfficerKind, MarkCheckedView):
    pass


# Teams


class TeamKind(EntryKindMixin):
    model = Team
    kind, label, plural = "team", "team", "teams"
    permission_required = "directory.change_team"


class TeamListView(TeamKind, EntryListView):
    template_name = "directory/editing/team_list.html"
    list_for = selectors.teams_for_editing


class TeamDetailView(TeamKind, EntryDetailView):
    template_name = "directory/editing/team_detail.html"
    page_queryset = selectors.team_for_page


class TeamAddView(TeamKind, EntryAddView):
    form_class = forms.TeamForm
    permission_required = "directory.add_team"

    def save(self, data):
        return team_services.team_create(by=self.request.user, **data)


class TeamEditView(TeamKind, EntryEditView):
    form_class = forms.TeamForm
    page_queryset = selectors.team_for_page

    def save(self, data):
        return team_services.team_update(team=self.object, by=self.request.user, **data)


class TeamRetireView(TeamKind, EntryRetireView):
    form_class = forms.TeamRetireForm
    page_queryset = selectors.team_for_page

    def save(self, data):
        return team_services.team_retire(team=self.object, by=self.request.user)

    def success_message(self, entry) -> str:
        return f"{entry} is retired"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            still_depending=team_services.team_retire_blockers(self.object), **kwargs
        )


class TeamCheckView(TeamKind, MarkCheckedView):
    pass


# Responsibilities


class ResponsibilityKind(EntryKindMixin):
    model = Responsibility
    kind, label, plural = "responsibility", "responsibility", "responsibilities"
    permission_required = "directory.change_responsibility"


class ResponsibilityListView(ResponsibilityKind, EntryListView):
    template_name = "directory/editing/responsibility_list.html"
    list_for = selectors.responsibilities_for_editing


class ResponsibilityDetailView(ResponsibilityKind, EntryDetailView):
    template_name = "directory/editing/responsibility_detail.html"
    page_queryset = selectors.responsibility_for_page


class ResponsibilityAddView(ResponsibilityKind, EntryAddView):
    form_class = forms.ResponsibilityForm
    permission_required = "directory.add_responsibility"

    def save(self, data):
        return responsibility_services.responsibility_create(by=self.request.user, **data)


class ResponsibilityEditView(ResponsibilityKind, EntryEditView):
    form_class = forms.ResponsibilityForm
    page_queryset = selectors.responsibility_for_page

    def save(self, data):
        return responsibility_services.responsibility_update(
            responsibility=self.object, by=self.request.user, **data
        )


class ResponsibilityRetireView(ResponsibilityKind, EntryRetireView):
    form_class = forms.ResponsibilityRetireForm
    page_queryset = selectors.responsibility_for_page

    def save(self, data):
        return responsibility_services.responsibility_retire(
            responsibility=self.object, by=self.request.user, on=data["on"]
        )

    def success_message(self, entry) -> str:
        return f"{entry} is retired from {formats.date_format(entry.retired_on, 'j F Y')}"


class ResponsibilityCheckView(ResponsibilityKind, MarkCheckedView):
    pass


# Across the who's-who


class NeedsCheckingView(CouncilStaffRequiredMixin, ListView):
    """Entries never checked, or checked longer ago than DIRECTORY_STALE_AFTER_DAYS; editors can mark them."""

    template_name = "directory/editing/needs_checking.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.owner_counts = verification_selectors.stale_counts_by_owner()
        owners = [count.owner for count in self.owner_counts if count.owner is not None]
        self.filter_form = forms.NeedsCheckingFilterForm(self.request.GET or None, owners=owners)
        return verification_selectors.needs_checking(
            owner=self.filter_form.owner_for(self.request.user), kind=self.filter_form.chosen_kind
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            entries=verification_selectors.stale_entries_load(context["page_obj"].object_list),
            owner_counts=self.owner_counts,
            filter_form=self.filter_form,
            stale_after_days=settings.DIRECTORY_STALE_AFTER_DAYS,
            stale_before=verification_selectors.stale_before(),
            editable_kinds={
                kind
                for kind in verification_selectors.KINDS
                if self.request.user.has_perm(f"directory.change_{kind}")
            },
        )
        return context


class ChangesSinceView(CouncilStaffRequiredMixin, ListView):
    """What changed in officers, teams, responsibilities and providers since a day, newest first."""

    template_name = "directory/editing/changes_since.html"
    paginate_by = PAGE_SIZE
    default_days = 30

    def get_queryset(self):
        default = timezone.localdate() - timedelta(days=self.default_days)
        bound = any(key.startswith("since") for key in self.request.GET)
        self.form = forms.ChangesSinceForm(self.request.GET if bound else None, initial={"since": default})
        if not bound:
            self.since, kind = default, ""
        elif self.form.is_valid():
            self.since, kind = self.form.cleaned_data["since"], self.form.cleaned_data["kind"]
        else:
            self.since = None
            return []
        return history.changes_since(since=self.since, kind=kind)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=self.form, since=self.since, changes=history.changes_load(context["page_obj"].object_list)
        )
        return context


def _kind_urls(prefix: str, kind: str, views: dict) -> list:
    return [
        path(f"manage/{prefix}/", views["list"].as_view(), name=f"manage-{kind}-list"),
        path(f"manage/{prefix}/add/", views["add"].as_view(), name=f"manage-{kind}-add"),
        path(f"manage/{prefix}/<int:pk>/", views["detail"].as_view(), name=f"manage-{kind}-detail"),
        path(f"manage/{prefix}/<int:pk>/edit/", views["edit"].as_view(), name=f"manage-{kind}-edit"),
        path(f"manage/{prefix}/<int:pk>/retire/", views["retire"].as_view(), name=f"manage-{kind}-retire"),
        path(f"manage/{prefix}/<int:pk>/check/", views["check"].as_view(), name=f"manage-{kind}-check"),
    ]


urlpatterns = [
    *_kind_urls(
        "officers",
        "officer",
        {
            "list": OfficerListView,
            "add": OfficerAddView,
            "detail": OfficerDetailView,
            "edit": OfficerEditView,
            "retire": OfficerRetireView,
            "check": OfficerCheckView,
        },
    ),
    *_kind_urls(
        "teams",
        "team",
        {
            "list": TeamListView,
            "add": TeamAddView,
            "detail": TeamDetailView,
            "edit": TeamEditView,
            "retire": TeamRetireView,
            "check": TeamCheckView,
        },
    ),
    *_kind_urls(
        "responsibilities",
        "responsibility",
        {
            "list": ResponsibilityListView,
            "add": ResponsibilityAddView,
            "detail": ResponsibilityDetailView,
            "edit": ResponsibilityEditView,
            "retire": ResponsibilityRetireView,
            "check": ResponsibilityCheckView,
        },
    ),
    path("manage/needs-checking/", NeedsCheckingView.as_view(), name="needs-checking"),
    path("manage/changes/", ChangesSinceView.as_view(), name="changes-since"),
]
