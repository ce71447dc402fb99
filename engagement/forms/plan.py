"""Forms of the forward plan: an activity, its cancellation, and the plan's filters."""

import datetime as dt
import re
from typing import Any

from crispy_forms_gds.layout import Field, Fieldset, Fixed, Size
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from directory.forms.editing import GovukDateField, OfficerChoiceField, officers_in_post
from directory.models import Area, ServiceType
from engagement.models import Activity, EngagementGroup
from engagement.services import plan as services
from portal.forms import form_helper
from portal.select_options import SelectOptionsForm

TIERS = (("1", "Tier One providers"), ("2", "Tier Two providers"), ("3", "Tier Three providers"))
_TIER_FIELDS = {"1": "for_tier_one", "2": "for_tier_two", "3": "for_tier_three"}
YES, NO = "yes", "no"

# Where on the form each of the service's rules is shown.
_FORM_FIELD = {
    "starts_at": "on",
    "ends_at": "end_time",
    "bookings_open_at": "bookings_open_on",
    "bookings_close_at": "bookings_close_on",
    "cancel_by": "cancel_by_on",
}


class GovukTimeField(forms.Field):
    """A time of day on the 24-hour clock, like 14:30 (9.30, 0930 and 2:30pm are understood too)."""

    _PATTERN = re.compile(r"^(\d{1,2})(?:[:.]?(\d{2}))?\s*(am|pm)?$")

    widget = forms.TextInput

    def __init__(self, *, what: str, **kwargs):
        kwargs.setdefault("help_text", "Use the 24-hour clock, for example 14:30")
        super().__init__(**kwargs)
        self.what = what
        self.error_messages["required"] = f"Enter {what}"

    def prepare_value(self, value):
        return value.strftime("%H:%M") if isinstance(value, dt.time) else value

    def to_python(self, value) -> dt.time | None:
        text = str(value or "").strip().lower().replace(" ", "")
        if not text:
            return None
        found = self._PATTERN.match(text)
        wrong = ValidationError(f"Enter {self.what} as a time on the 24-hour clock, like 14:30")
        if not found:
            raise wrong
        hour, minute, half = int(found[1]), int(found[2] or 0), found[3]
        if half:
            if not 1 <= hour <= 12:
                raise wrong
            hour = hour % 12 + (12 if half == "pm" else 0)
        if hour > 23 or minute > 59:
            raise wrong
        return dt.time(hour, minute)


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    """That wall-clock time in London, whichever side of the change to or from British Summer Time."""
    return timezone.make_aware(dt.datetime.combine(day, time))


class ActivityForm(forms.Form):
    """An activity in the plan; `instance` is None when adding one."""

    title = forms.CharField(max_length=200, error_messages={"required": "Enter the activity's title"})
    kind = forms.ChoiceField(
        label="Kind of activity",
        choices=Activity.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of activity"},
    )
    group = forms.ModelChoiceField(
        label="Engagement group (optional)",
        queryset=EngagementGroup.objects.none(),
        required=False,
        empty_label="Not a group's meeting",
        error_messages={"invalid_choice": "Choose a group from the list"},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, max_length=5000, widget=forms.Textarea
    )
    on = GovukDateField(label="Date", what="the date of the activity", help_text="For example, 27 3 2027")
    start_time = GovukTimeField(label="Start time", what="the start time")
    end_time = GovukTimeField(label="End time", what="the end time")
    place = forms.CharField(
        label="Place", required=False, max_length=250, help_text="The venue and room, if it meets in person"
    )
    online_link = forms.URLField(
        label="Online link",
        assume_scheme="https",
        required=False,
        max_length=200,
        help_text="If it meets online, the link to join",
        error_messages={
            "invalid": "Enter the online link as a web address, like https://meet.example.org/forum"
        },
    )
    facilitator = OfficerChoiceField(
        queryset=None,
        empty_label="Choose an officer",
        error_messages={
            "required": "Choose who facilitates the activity",
            "invalid_choice": "Choose an officer in post from the list",
        },
    )
    status = forms.ChoiceField(
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the activity's status"},
    )
    tiers = forms.MultipleChoiceField(
        label="Providers it is for",
        choices=TIERS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": services.NO_TIER},
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked for every area.",
    )
    service_types = forms.ModelMultipleChoiceField(
        queryset=ServiceType.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Types of service",
        help_text="Leave all unticked for every type of service.",
    )
    ad_hoc_reason = forms.CharField(
        label="Reason it is ad hoc",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )
    takes_bookings = forms.TypedChoiceField(
        label="Do providers book places?",
        choices=((YES, "Yes"), (NO, "No")),
        coerce=lambda value: value == YES,
        widget=forms.RadioSelect,
        initial=NO,
        error_messages={"required": "Choose whether providers book places"},
    )
    capacity = forms.IntegerField(
        label="Number of places",
        required=False,
        min_value=1,
        max_value=10000,
        error_messages={
            "invalid": "Enter the number of places as a whole number, like 40",
            "min_value": "The number of places must be 1 or more",
            "max_value": "The number of places must be 10,000 or fewer",
        },
    )
    cap_per_provider = forms.IntegerField(
        label="Places per provider organisation (optional)",
        required=False,
        min_value=1,
        max_value=10000,
        error_messages={
            "invalid": "Enter the places per provider as a whole number, like 2",
            "min_value": "Places per provider must be 1 or more",
            "max_value": "Places per provider must be 10,000 or fewer",
        },
    )
    bookings_open_on = GovukDateField(
        label="Bookings open on (optional)",
        what="the date bookings open",
        required=False,
        help_text="Leave empty to open bookings now",
    )
    bookings_close_on = GovukDateField(
        label="Bookings close on (optional)",
        what="the date bookings close",
        required=False,
        help_text="At the end of that day. Leave empty to take bookings until the activity starts",
    )
    cancel_by_on = GovukDateField(
        label="Cancellation deadline (optional)",
        what="the cancellation deadline",
        required=False,
        help_text="Providers may cancel a place until the end of that day",
    )

    def __init__(self, *args, instance: Activity | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs["initial"] = {**self.initial_from(instance), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = EngagementGroup.objects.filter(is_active=True).order_by("name")
        self.fields["facilitator"].queryset = officers_in_post()
        statuses = [Activity.Status.PLANNED, Activity.Status.CONFIRMED]
        if instance is not None:
            statuses.append(Activity.Status.HELD)
        self.fields["status"].choices = [(status.value, status.label) for status in statuses]
        self.fields["status"].initial = Activity.Status.PLANNED
        self.fields["tiers"].initial = [value for value, _ in TIERS]
        self._describe_ad_hoc()
        self.helper = form_helper(*self._layout(), submit="Save activity")

    def _describe_ad_hoc(self) -> None:
        weeks = settings.ENGAGEMENT_PLAN_WEEKS_AHEAD
        field = self.fields["ad_hoc_reason"]
        if self.instance is not None and self.instance.is_ad_hoc:
            field.help_text = "This activity was added to the plan at short notice, so it is ad hoc."
        elif self.instance is None:
            field.help_text = (
                f"Only if the activity is less than {weeks} weeks away: it is then ad hoc, and the "
                "engagement manager must approve it. Say why it could not be planned earlier."
            )

    def _layout(self) -> list:
        ad_hoc = (
            []
            if self.instance is not None and not self.instance.is_ad_hoc
            else [Field.textarea("ad_hoc_reason", rows=3)]
        )
        return [
            Field.text("title"),
            Field.radios("kind", small=True),
            Field.select("group"),
            Field.textarea("description", rows=4),
            Fieldset(
                Field("on"),
                Field.text("start_time", field_width=Fixed.FIVE),
                Field.text("end_time", field_width=Fixed.FIVE),
                legend="When",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            *ad_hoc,
            Fieldset(
                Field.text("place"),
                Field.text("online_link", spellcheck="false"),
                legend="Where",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            Field.select("facilitator"),
            Field.radios("status", small=True, inline=True),
            Fieldset(
                Field.checkboxes("tiers", small=True),
                Field.checkboxes("areas", small=True),
                Field.checkboxes("service_types", small=True),
                legend="Audience",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            Fieldset(
                Field.radios("takes_bookings", small=True, inline=True),
                Field.text("capacity", field_width=Fixed.FIVE),
                Field.text("cap_per_provider", field_width=Fixed.FIVE),
                Field("bookings_open_on"),
                Field("bookings_close_on"),
                Field("cancel_by_on"),
                legend="Places",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
        ]

    @staticmethod
    def initial_from(activity: Activity) -> dict[str, Any]:
        starts, ends = timezone.localtime(activity.starts_at), timezone.localtime(activity.ends_at)

        def day(value):
            return timezone.localtime(value).date() if value else None

        return {
            **{
                name: getattr(activity, name)
                for name in ("title", "kind", "description", "place", "online_link")
            },
            "group": activity.group_id,
            "facilitator": activity.facilitator_id,
            "status": activity.status,
            "on": starts.date(),
            "start_time": starts.time(),
            "end_time": ends.time(),
            "tiers": [value for value, name in _TIER_FIELDS.items() if getattr(activity, name)],
            "areas": list(activity.areas.all()),
            "service_types": list(activity.service_types.all()),
            "ad_hoc_reason": activity.ad_hoc_reason,
            "takes_bookings": YES if activity.takes_bookings else NO,
            "capacity": activity.capacity,
            "cap_per_provider": activity.cap_per_provider,
            "bookings_open_on": day(activity.bookings_open_at),
            "bookings_close_on": day(activity.bookings_close_at),
            "cancel_by_on": day(activity.cancel_by),
        }

    def _values(self, cleaned: dict) -> dict[str, Any]:
        """The activity's fields, as the service takes them, from what was filled in."""
        on, starts, ends = cleaned.get("on"), cleaned.get("start_time"), cleaned.get("end_time")
        starts_at = _at(on, starts) if on and starts else None
        tiers = cleaned.get("tiers") or []

        def day_end(day: dt.date | None) -> dt.datetime | None:
            if day is None:
                return None
            # On the day of the activity itself, "the end of the day" is when it starts.
            return starts_at if starts_at and day == on else _at(day, dt.time(23, 59))

        opens_on = cleaned.get("bookings_open_on")
        return {
            **{name: cleaned.get(name) for name in ("title", "kind", "group", "facilitator", "status")},
            **{
                name: cleaned.get(name) or ""
                for name in ("description", "place", "online_link", "ad_hoc_reason")
            },
            "starts_at": starts_at,
            "ends_at": _at(on, ends) if on and ends else None,
            **{name: value in tiers for value, name in _TIER_FIELDS.items()},
            "takes_bookings": bool(cleaned.get("takes_bookings")),
            "capacity": cleaned.get("capacity"),
            "cap_per_provider": cleaned.get("cap_per_provider"),
            "bookings_open_at": _at(opens_on, dt.time.min) if opens_on else None,
            "bookings_close_at": day_end(cleaned.get("bookings_close_on")),
            "cancel_by": day_end(cleaned.get("cancel_by_on")),
        }

    def clean(self):
        cleaned = super().clean()
        self.values = self._values(cleaned)
        add_plan_problems(self, services.activity_problems(activity=self.instance, values=self.values))
        return cleaned

    @property
    def many(self) -> dict[str, list]:
        return {name: list(self.cleaned_data.get(name) or []) for name in ("areas", "service_types")}


def add_plan_problems(form: forms.Form, problems: dict) -> None:
    """Show the service's broken rules on the fields they concern, unless a field already has an error."""
    for name, message in problems.items():
        field = _FORM_FIELD.get(name, name)
        if field not in form.fields:
            field = None
        if field is None or field not in form.errors:
            form.add_error(field, message)


def add_plan_error(form: forms.Form, error: services.PlanError) -> None:
    if isinstance(error, services.PlanProblems):
        add_plan_problems(form, error.problems)
    else:
        add_plan_problems(form, {error.field: error.message})


class ActivityCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is it cancelled?",
        help_text="Everyone with a place is emailed this.",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": services.CANCEL_REASON_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("reason", rows=4), submit="Cancel activity", warning=True)


class AdHocApproveForm(forms.Form):
    """Nothing to fill in: the button approves."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit="Approve ad hoc activity")


class PlanFilterForm(SelectOptionsForm):
    """The form of the plan's filters; django-filter adds its fields (see engagement/filters.py).

    The template writes the selects out (portal/select_options.py): the plan is timed by the benchmark.
    """
