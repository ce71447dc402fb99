"""Forms for editing the who's-who in the browser, laid out with the GOV.UK Design System."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from directory.models import Area, Directorate, Officer, ServiceType, Team, Topic
from directory.selectors import editing as editing_selectors
from directory.selectors import verification as verification_selectors
from directory.services import officers as officer_services
from directory.services import responsibilities as responsibility_services
from directory.services import teams as team_services
from directory.services.entries import EntryError, EntryProblems
from portal import roles
from portal.models import User

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.org"


def _helper(*fields, submit: str | None = None, form_tag: bool = True) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.form_tag = form_tag
    # A filter form is sent with GET: a CSRF token would only end up in the address.
    helper.disable_csrf = not form_tag
    helper.layout = Layout(*fields, *([Button("submit", submit)] if submit else []))
    return helper


class GovukDateField(DateInputField):
    """The GOV.UK date input (day, month, year) with messages that name the date asked for."""

    def __init__(self, *, what: str, required: bool = True, **kwargs):
        super().__init__(required=required, require_all_fields=False, **kwargs)
        self.what = what
        self.error_messages["required"] = f"Enter {what}"
        self.error_messages["incomplete"] = f"{what.capitalize()} must include a day, month and year"

    def compress(self, data_list):
        try:
            value = super().compress(data_list)
        except ValidationError as error:
            raise ValidationError(f"{self.what.capitalize()} must be a real date") from error
        if value is not None and value.year < 1900:
            raise ValidationError(f"{self.what.capitalize()} must include a 4-digit year, like 2024")
        return value


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Officer) -> str:
        return f"{obj.full_name}, {obj.job_title}"


def owner_label(user: User) -> str:
    return f"{user.full_name} ({user.email})" if user.full_name else user.email


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return owner_label(obj)


def officers_in_post():
    """Officers who may be chosen today: "in post" is worked out when the form is made, not when it is defined."""
    return Officer.objects.active().order_by("full_name", "pk")


def council_staff_users():
    """Who may own an entry: active council staff."""
    return (
        User.objects.filter(is_active=True, provider_organisation__isnull=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=roles.COUNCIL_ROLES))
        .distinct()
        .order_by("full_name", "email")
    )


def _owner_field() -> OwnerChoiceField:
    return OwnerChoiceField(
        queryset=council_staff_users(),
        label="Owner",
        help_text="The person who keeps this entry up to date and is reminded when it needs checking.",
        empty_label="Choose an owner",
        error_messages={
            "required": "Choose who keeps this entry up to date",
            "invalid_choice": "Choose an owner from the list",
        },
    )


def _apply(form: forms.Form, problems: dict) -> None:
    """Show a service's broken rules on the fields they concern, unless a field already has an error."""
    for field_name, message in problems.items():
        if field_name is None or field_name not in form.errors:
            form.add_error(field_name if field_name in form.fields else None, message)


def add_entry_error(form: forms.Form, error: EntryError) -> None:
    """Turn a service's refusal into form errors, so that the page shows an error summary, never a 500."""
    if isinstance(error, EntryProblems):
        _apply(form, error.problems)
    else:
        _apply(form, {error.field: error.message})


class EntryForm(forms.Form):
    """A form that edits one entry; `instance` is None when adding."""

    def __init__(self, *args, instance=None, editor: User | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs["initial"] = {**self.initial_from(instance), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        if instance is None and editor is not None:
            self.fields["owner"].initial = editor.pk

    def initial_from(self, instance) -> dict:
        initial = {}
        for name in self.base_fields:
            value = getattr(instance, name)
            initial[name] = list(value.all()) if hasattr(value, "all") else value
        return initial


class OfficerForm(EntryForm):
    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter the officer's full name"}
    )
    job_title = forms.CharField(
        label="Job title", max_length=150, error_messages={"required": "Enter the officer's job title"}
    )
    seniority = forms.ChoiceField(
        choices=Officer.Seniority.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the officer's seniority"},
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.filter(is_active=True),
        empty_label="Choose a team",
        error_messages={
            "required": "Choose the officer's team",
            "invalid_choice": officer_services.TEAM_NOT_ACTIVE,
        },
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={"required": "Enter the officer's email address", "invalid": EMAIL_FORMAT},
    )
    phone = forms.CharField(label="Phone number", max_length=30, required=False)
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Areas covered",
        help_text="Leave all unticked if the officer covers the whole county.",
    )
    deputy = OfficerChoiceField(
        queryset=Officer.objects.none(),
        required=False,
        empty_label="No deputy",
        help_text="Who answers when the officer is away.",
        error_messages={"invalid_choice": officer_services.DEPUTY_NOT_IN_POST},
    )
    market_lead = forms.ChoiceField(
        label="Market leadership",
        choices=[("", "Not a market lead"), *Officer.MarketLead.choices],
        widget=forms.RadioSelect,
        required=False,
    )
    active_from = GovukDateField(
        label="In post from",
        what="the date the officer started",
        required=False,
        help_text="For example, 27 3 2024",
    )
    active_to = GovukDateField(
        label="Last day in post",
        what="the officer's last day in post",
        required=False,
        help_text="Leave empty while the officer is in post.",
    )
    owner = _owner_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = officers_in_post()
        self.helper = _helper(
            Field.text("full_name"),
            Field.text("job_title"),
            Field.radios("seniority"),
            Field.select("team"),
            Field.text("email", spellcheck="false", autocomplete="off"),
            Field.text("phone", field_width=Fixed.TWENTY),
            Field.checkboxes("areas", small=True),
            Field.select("deputy"),
            Field.radios("market_lead", small=True),
            Field("active_from"),
            Field("active_to"),
            Field.select("owner"),
            submit="Save officer",
        )

    def clean(self):
        cleaned = super().clean()
        _apply(
            self,
            officer_services.officer_problems(
                officer=self.instance,
                email=cleaned.get("email", ""),
                team=cleaned.get("team"),
                deputy=cleaned.get("deputy"),
                active_from=cleaned.get("active_from"),
                active_to=cleaned.get("active_to"),
            ),
        )
        return cleaned


class TeamForm(EntryForm):
    directorate = forms.ModelChoiceField(
        queryset=Directorate.objects.all(),
        empty_label="Choose a directorate",
        error_messages={
            "required": "Choose the team's directorate",
            "invalid_choice": "Choose a directorate from the list",
        },
    )
    name = forms.CharField(
        label="Team name", max_length=150, error_messages={"required": "Enter the team's name"}
    )
    mailbox = forms.EmailField(
        label="Team mailbox",
        max_length=254,
        help_text="Providers write here when no named officer can help.",
        error_messages={"required": "Enter the team mailbox", "invalid": EMAIL_FORMAT},
    )
    phone = forms.CharField(label="Phone number", max_length=30, required=False)
    owner = _owner_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.select("directorate"),
            Field.text("name"),
            Field.text("mailbox", spellcheck="false"),
            Field.text("phone", field_width=Fixed.TWENTY),
            Field.select("owner"),
            submit="Save team",
        )

    def clean(self):
        cleaned = super().clean()
        _apply(
            self,
            team_services.team_problems(
                team=self.instance, directorate=cleaned.get("directorate"), name=cleaned.get("name", "")
            ),
        )
        return cleaned


class ResponsibilityForm(EntryForm):
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(),
        empty_label="Choose a topic",
        error_messages={"required": "Choose the topic", "invalid_choice": "Choose a topic from the list"},
    )
    officer = OfficerChoiceField(
        queryset=Officer.objects.none(),
        required=False,
        empty_label="No named officer",
        help_text="The person who answers. Choose an officer, a team or both.",
        error_messages={"invalid_choice": responsibility_services.OFFICER_NOT_IN_POST},
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.filter(is_active=True),
        required=False,
        empty_label="No team",
        help_text="Its mailbox is the fallback when the officer is away.",
        error_messages={"invalid_choice": responsibility_services.TEAM_NOT_ACTIVE},
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked for the whole county.",
    )
    service_types = forms.ModelMultipleChoiceField(
        queryset=ServiceType.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Service types",
        help_text="Leave all unticked for every type of service.",
    )
    notes = forms.CharField(
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything a provider should know, such as which client groups it covers.",
    )
    owner = _owner_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers_in_post()
        self.helper = _helper(
            Field.select("topic"),
            Field.select("officer"),
            Field.select("team"),
            Field.checkboxes("areas", small=True),
            Field.checkboxes("service_types", small=True),
            Field.textarea("notes", max_characters=300),
            Field.select("owner"),
            submit="Save responsibility",
        )

    def clean(self):
        cleaned = super().clean()
        if "officer" in self.errors or "team" in self.errors:
            return cleaned
        _apply(
            self,
            responsibility_services.responsibility_problems(
                officer=cleaned.get("officer"), team=cleaned.get("team")
            ),
        )
        return cleaned


class OfficerRetireForm(forms.Form):
    last_day = GovukDateField(
        label="Last day in post", what="the officer's last day in post", help_text="For example, 27 3 2024"
    )

    def __init__(self, *args, officer: Officer, **kwargs):
        kwargs.setdefault("initial", {"last_day": officer.active_to or timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.officer = officer
        self.helper = _helper(Field("last_day"), submit="Record last day")

    def clean_last_day(self) -> date:
        last_day = self.cleaned_data["last_day"]
        if self.officer.active_from and last_day < self.officer.active_from:
            raise ValidationError(officer_services.DATES_OUT_OF_ORDER)
        return last_day


class ResponsibilityRetireForm(forms.Form):
    on = GovukDateField(
        label="Retire from", what="the date the responsibility ends", help_text="For example, 27 3 2024"
    )

    def __init__(self, *args, responsibility, **kwargs):
        kwargs.setdefault("initial", {"on": responsibility.retired_on or timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("on"), submit="Retire responsibility")


class TeamRetireForm(forms.Form):
    """Nothing to fill in: the button confirms. Errors say what must move first."""

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit="Retire team")


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Show", choices=list(editing_selectors.STATUSES.items()), required=False, initial="current"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.select("status"), submit="Show", form_tag=False)

    @property
    def chosen_status(self) -> str:
        return (self.cleaned_data.get("status") if self.is_valid() else "") or "current"


class NeedsCheckingFilterForm(forms.Form):
    owner = forms.ChoiceField(label="Owner", required=False)
    kind = forms.ChoiceField(
        label="Kind of entry",
        required=False,
        choices=[
            ("", "Every kind"),
            ("officer", "Officers"),
            ("team", "Teams"),
            ("responsibility", "Responsibilities"),
        ],
    )

    def __init__(self, *args, owners: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [
            ("", "Everyone"),
            (verification_selectors.MINE, "Mine"),
            (verification_selectors.NO_OWNER, "Nobody"),
            *((str(owner.pk), owner_label(owner)) for owner in owners),
        ]
        self.owners = {str(owner.pk): owner for owner in owners}
        self.helper = _helper(
            Field.select("owner"), Field.select("kind"), submit="Show entries", form_tag=False
        )

    def owner_for(self, user: User):
        """The owner to filter by: a user, NO_OWNER, or None for everyone's entries."""
        choice = self.cleaned_data.get("owner") if self.is_valid() else ""
        if choice == verification_selectors.MINE:
            return user
        if choice == verification_selectors.NO_OWNER:
            return verification_selectors.NO_OWNER
        return self.owners.get(choice)

    @property
    def chosen_kind(self) -> str:
        return (self.cleaned_data.get("kind") if self.is_valid() else "") or ""


class ChangesSinceForm(forms.Form):
    since = GovukDateField(
        label="Changes since", what="the date to show changes from", help_text="For example, 27 3 2024"
    )
    kind = forms.ChoiceField(
        label="Kind of entry",
        required=False,
        choices=[
            ("", "Every kind"),
            ("officer", "Officers"),
            ("team", "Teams"),
            ("responsibility", "Responsibilities"),
            ("provider", "Providers"),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("since"), Field.select("kind"), submit="Show changes", form_tag=False)

    def clean_since(self) -> date:
        since = self.cleaned_data["since"]
        if since > timezone.localdate():
            raise ValidationError("The date to show changes from must be today or in the past")
        return since
