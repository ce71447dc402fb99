"""Forms of a pilot's process: moving it on a stage, its procurement record, and its plan."""

from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Size
from django import forms
from django.db.models import Q

from directory.forms.editing import GovukDateField, OfficerChoiceField
from directory.models import Officer
from partnerships.models import Objective, PartnershipPilot, ProcurementRecord, Risk, Stage
from partnerships.services.stages import NOT_A_STAGE, STOP_NOTE_REQUIRED, next_stages
from portal.forms import form_helper

YES, NO = "yes", "no"
_YES_NO = ((YES, "Yes"), (NO, "No"))
_DATE_HINT = "For example, 27 3 2027"


def _yes_no(label: str, *, help_text: str = "", what: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=_YES_NO,
        coerce=lambda value: value == YES,
        widget=forms.RadioSelect,
        initial=NO,
        help_text=help_text,
        error_messages={"required": f"Choose whether {what}"},
    )


def _owner_field(*, current: Officer | None, what: str) -> OfficerChoiceField:
    """Officers in post today, and the one already chosen even if they have since left."""
    in_post = Q(pk__in=Officer.objects.active().values("pk"))
    if current is not None:
        in_post |= Q(pk=current.pk)
    return OfficerChoiceField(
        label="Owner",
        queryset=Officer.objects.filter(in_post).order_by("full_name", "pk"),
        empty_label="Choose an officer",
        help_text=f"The officer who answers for the {what}.",
        error_messages={
            "required": f"Choose who owns the {what}",
            "invalid_choice": "Choose an officer in post from the list",
        },
    )


class _StageChoiceField(forms.ChoiceField):
    """Offers the pilot's possible moves, but lets any stage through so that the process itself says why not."""

    def valid_value(self, value) -> bool:
        return value in Stage.values


class StageChangeForm(forms.Form):
    to_stage = _StageChoiceField(
        label="What happens next?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the stage the pilot moves to, or stop it",
            "invalid_choice": NOT_A_STAGE,
        },
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=5000,
        widget=forms.Textarea,
        help_text="Kept with the change in the pilot's stage history. Needed when you stop the pilot.",
    )

    def __init__(self, *args, pilot: PartnershipPilot, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [
            Choice(Stage.STOPPED.value, "Stop the pilot", hint="Say why in the note: it cannot be restarted")
            if stage == Stage.STOPPED
            else Choice(stage.value, f"Move to {stage.label.lower()}")
            for stage in next_stages(pilot.stage)
        ]
        self.helper = form_helper(
            Field.radios("to_stage", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.textarea("note", rows=4),
            submit="Change stage",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to_stage") == Stage.STOPPED and not (cleaned.get("note") or "").strip():
            self.add_error("note", STOP_NOTE_REQUIRED)
        return cleaned


class ProcurementForm(forms.Form):
    route = forms.ChoiceField(
        label="Procurement route",
        choices=ProcurementRecord.Route.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the procurement route"},
    )
    decision = forms.CharField(
        label="Decision",
        max_length=5000,
        widget=forms.Textarea,
        help_text="The decision taken, and how other providers were treated fairly.",
        error_messages={"required": "Enter the decision taken"},
    )
    decided_on = GovukDateField(
        label="Date of the decision", what="the date of the decision", help_text=_DATE_HINT
    )
    decided_by = forms.CharField(
        label="Decision maker",
        max_length=200,
        help_text="For example, the commissioning board.",
        error_messages={"required": "Enter who made the decision"},
    )

    def __init__(self, *args, record: ProcurementRecord | None = None, **kwargs):
        if record is not None:
            kwargs["initial"] = {
                name: getattr(record, name) for name in ("route", "decision", "decided_on", "decided_by")
            }
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("route", small=True),
            Field.textarea("decision", rows=5),
            Field("decided_on"),
            Field.text("decided_by"),
            submit="Save procurement record",
        )


class _PlanForm(forms.Form):
    """A form for one entry of the plan; `instance` is None when adding one."""

    fields_of_entry: tuple[str, ...] = ()
    submit = "Save"

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs["initial"] = {name: self.initial_value(instance, name) for name in self.fields_of_entry}
        super().__init__(*args, **kwargs)
        self.helper = form_helper(*self.layout(), submit=self.submit)

    def initial_value(self, instance, name: str) -> Any:
        value = getattr(instance, name)
        if isinstance(value, bool):
            return YES if value else NO
        return value

    def layout(self) -> list:
        return list(self.fields_of_entry)

    @property
    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields_of_entry}


class ObjectiveForm(_PlanForm):
    fields_of_entry = ("title", "measure", "target", "owner", "due_on")
    submit = "Save objective"

    title = forms.CharField(
        label="Objective", max_length=200, error_messages={"required": "Enter the objective"}
    )
    measure = forms.CharField(
        max_length=300,
        help_text="How progress is measured, for example days from medically fit to home.",
        error_messages={"required": "Enter how progress is measured"},
    )
    target = forms.CharField(
        max_length=300,
        help_text="For example, under 2 days on average.",
        error_messages={"required": "Enter the target"},
    )
    due_on = GovukDateField(label="Due on", what="the date the objective is due", help_text=_DATE_HINT)

    def __init__(self, *args, instance: Objective | None = None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["owner"] = _owner_field(current=instance.owner if instance else None, what="objective")
        self.order_fields(self.fields_of_entry)

    def initial_value(self, instance, name: str) -> Any:
        return instance.owner_id if name == "owner" else super().initial_value(instance, name)

    def layout(self) -> list:
        return [
            Field.text("title"),
            Field.text("measure"),
            Field.text("target"),
            Field.select("owner"),
            Field("due_on"),
        ]


class MilestoneForm(_PlanForm):
    fields_of_entry = ("title", "due_on", "completed_on")
    submit = "Save milestone"

    title = forms.CharField(
        label="Milestone", max_length=200, error_messages={"required": "Enter the milestone"}
    )
    due_on = GovukDateField(label="Due on", what="the date the milestone is due", help_text=_DATE_HINT)
    completed_on = GovukDateField(
        label="Completed on (optional)",
        what="the date the milestone was completed",
        required=False,
        help_text="Leave empty until it is done. " + _DATE_HINT,
    )

    def layout(self) -> list:
        return [Field.text("title"), Field("due_on"), Field("completed_on")]


def _level(label: str, required: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=Risk.Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": required, "invalid_choice": "Choose low, medium or high"},
    )


class RiskForm(_PlanForm):
    fields_of_entry = ("description", "likelihood", "impact", "mitigation", "owner", "status", "is_internal")
    submit = "Save risk"

    description = forms.CharField(
        label="Risk", max_length=5000, widget=forms.Textarea, error_messages={"required": "Describe the risk"}
    )
    likelihood = _level("Likelihood", "Choose how likely the risk is")
    impact = _level("Impact", "Choose how great its impact would be")
    mitigation = forms.CharField(
        label="Mitigation (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea,
        help_text="What is done to make it less likely or less harmful.",
    )
    status = forms.ChoiceField(
        choices=Risk.Status.choices,
        widget=forms.RadioSelect,
        initial=Risk.Status.OPEN,
        error_messages={"required": "Choose whether the risk is open or closed"},
    )
    is_internal = _yes_no(
        "Is this risk internal to the council?",
        help_text="An internal risk, such as a partner's finances, is never shown to providers.",
        what="the risk is internal to the council",
    )

    def __init__(self, *args, instance: Risk | None = None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["owner"] = _owner_field(current=instance.owner if instance else None, what="risk")
        self.order_fields(self.fields_of_entry)

    def initial_value(self, instance, name: str) -> Any:
        return instance.owner_id if name == "owner" else super().initial_value(instance, name)

    def layout(self) -> list:
        return [
            Field.textarea("description", rows=3),
            Field.radios("likelihood", small=True, inline=True),
            Field.radios("impact", small=True, inline=True),
            Field.textarea("mitigation", rows=3),
            Field.select("owner"),
            Field.radios("status", small=True, inline=True),
            Field.radios("is_internal", small=True, inline=True),
        ]


class ProgressEntryForm(_PlanForm):
    fields_of_entry = ("entry_on", "text", "is_internal")
    submit = "Add to the progress log"

    entry_on = GovukDateField(label="Date", what="the date of the progress entry", help_text=_DATE_HINT)
    text = forms.CharField(
        label="What happened",
        max_length=5000,
        widget=forms.Textarea,
        error_messages={"required": "Enter what happened"},
    )
    is_internal = _yes_no(
        "Is this entry internal to the council?",
        help_text="An internal entry is never shown to providers.",
        what="the entry is internal to the council",
    )

    def layout(self) -> list:
        return [
            Field("entry_on"),
            Field.textarea("text", rows=4),
            Field.radios("is_internal", small=True, inline=True),
        ]
