"""Forms for evaluating a pilot: the evaluation with an outcome per objective, publishing it, its lessons, and
the lessons library's filters."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.forms.formsets import ManagementForm
from django.utils import timezone
from django.utils.functional import cached_property

from directory.forms.editing import GovukDateField
from partnerships.models import Evaluation, Lesson, Objective, ObjectiveOutcome
from partnerships.services.evaluation import IN_THE_FUTURE, NO_SUMMARY, Outcome

OBJECTIVES_CHANGED = "The pilot's objectives changed while you were writing: check this objective again"


def _helper(*fields, submit: str | None = None, form_tag: bool = False, warning: bool = False) -> FormHelper:
    helper = FormHelper()
    # The template's own <form> holds the CSRF token when it posts; a GET filter keeps it out of the address.
    helper.form_tag = form_tag
    helper.disable_csrf = True
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    buttons = []
    if submit:
        buttons = [Button.warning("submit", submit) if warning else Button("submit", submit)]
    helper.layout = Layout(*fields, *buttons)
    return helper


class EvaluationForm(forms.Form):
    """The evaluation itself; its outcomes come from OutcomeFormSet, one row per objective."""

    point = forms.ChoiceField(
        label="Point of the evaluation",
        choices=Evaluation.Point.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the point the pilot is evaluated at"},
    )
    evaluated_on = GovukDateField(
        label="Date of the evaluation",
        what="the date of the evaluation",
        help_text="For example, 27 3 2026",
    )
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea,
        help_text="What the evaluation found, in plain words. Providers in the pilot see it once it is published.",
        error_messages={"required": NO_SUMMARY},
    )

    def __init__(self, *args, instance: Evaluation | None = None, **kwargs):
        if instance is not None:
            kwargs["initial"] = {
                "point": instance.point,
                "evaluated_on": instance.evaluated_on,
                "summary": instance.summary,
            }
        else:
            kwargs.setdefault("initial", {"evaluated_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("point", small=True), Field("evaluated_on"), Field.textarea("summary", rows=5)
        )

    def clean_evaluated_on(self):
        evaluated_on = self.cleaned_data["evaluated_on"]
        if evaluated_on > timezone.localdate():
            raise forms.ValidationError(IN_THE_FUTURE)
        return evaluated_on


class OutcomeForm(forms.Form):
    """How far one objective was met, and the evidence measured against its target."""

    # Which objective the row was written for, so that a change to the pilot's objectives is noticed.
    objective = forms.IntegerField(widget=forms.HiddenInput, required=False)
    result = forms.ChoiceField(
        label="Outcome", choices=ObjectiveOutcome.Result.choices, widget=forms.RadioSelect
    )
    evidence = forms.CharField(label="Evidence against the target", widget=forms.Textarea)

    def __init__(self, *args, objective: Objective, **kwargs):
        super().__init__(*args, **kwargs)
        # Not `self.objective`: a template's `row.objective` is the hidden field.
        self.pilot_objective = objective
        self.fields["objective"].initial = objective.pk
        self.fields["result"].help_text = f"Measured by: {objective.measure}. Target: {objective.target}."
        self.fields["result"].error_messages["required"] = f"Choose how far “{objective.title}” was met"
        self.fields["evidence"].help_text = "What was measured, set against the target."
        self.fields["evidence"].error_messages["required"] = (
            f"Enter the evidence for “{objective.title}” against its target"
        )
        self.helper = _helper(
            Field("objective"),
            Field.radios("result", small=True, inline=True),
            Field.textarea("evidence", rows=3),
        )

    def clean_objective(self):
        posted = self.cleaned_data["objective"]
        if posted is not None and posted != self.pilot_objective.pk:
            raise forms.ValidationError(OBJECTIVES_CHANGED)
        return self.cleaned_data["objective"]

    def clean_evidence(self):
        evidence = self.cleaned_data["evidence"].strip()
        if not evidence:
            raise forms.ValidationError(self.fields["evidence"].error_messages["required"])
        return evidence


class OutcomeFormSet(forms.BaseFormSet):
    """One row for each of the pilot's objectives, in the order the pilot lists them, however many are posted."""

    def __init__(self, *args, objectives: list[Objective], existing: dict | None = None, **kwargs):
        self.objectives = objectives
        self.existing = existing or {}
        super().__init__(*args, prefix="outcomes", **kwargs)

    def total_form_count(self) -> int:
        return len(self.objectives)

    def initial_form_count(self) -> int:
        # Every row is required: none is an "extra" row that may be left empty.
        return len(self.objectives)

    @cached_property
    def management_form(self) -> ManagementForm:
        """The counts are the objectives', not the page's: a page posted without them still gets each row's own
        errors rather than a message about missing hidden fields."""
        count = len(self.objectives)
        prefix = self.prefix
        data = {f"{prefix}-TOTAL_FORMS": count, f"{prefix}-INITIAL_FORMS": count}
        form = ManagementForm(data, auto_id=self.auto_id, prefix=prefix)
        form.full_clean()
        return form

    def get_form_kwargs(self, index: int) -> dict:
        objective = self.objectives[index]
        outcome = self.existing.get(objective.pk)
        initial = {"objective": objective.pk}
        if outcome is not None:
            initial.update(result=outcome.result, evidence=outcome.evidence)
        return {"objective": objective, "initial": initial}

    @property
    def outcomes(self) -> list[Outcome]:
        return [
            Outcome(
                objective=form.pilot_objective,
                result=form.cleaned_data["result"],
                evidence=form.cleaned_data["evidence"],
            )
            for form in self.forms
        ]


OutcomeFormSetClass = forms.formset_factory(OutcomeForm, formset=OutcomeFormSet, extra=0)


def outcome_formset(
    *, objectives: list[Objective], data=None, existing: dict | None = None
) -> OutcomeFormSet:
    return OutcomeFormSetClass(data, objectives=objectives, existing=existing)


class PublishForm(forms.Form):
    """Nothing to fill in: the button confirms, and a refusal shows in the error summary."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit="Publish evaluation")


class LessonForm(forms.Form):
    theme = forms.ChoiceField(
        label="Theme",
        choices=Lesson.Theme.choices,
        widget=forms.RadioSelect,
        help_text="The library is filtered by theme, so others find the lesson when they need it.",
        error_messages={"required": "Choose the lesson's theme"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="The lesson in a sentence, like “Agree shared measures with the NHS before starting”.",
        error_messages={
            "required": "Enter a title for the lesson",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    what_happened = forms.CharField(
        label="What happened",
        widget=forms.Textarea,
        help_text="Written for someone who was not part of this pilot: say enough for them to follow it.",
        error_messages={"required": "Enter what happened"},
    )
    do_next_time = forms.CharField(
        label="What to do next time",
        widget=forms.Textarea,
        help_text="Written for reuse: what the next pilot should do, whoever runs it.",
        error_messages={"required": "Enter what to do next time"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("theme", small=True),
            Field.text("title"),
            Field.textarea("what_happened", rows=4),
            Field.textarea("do_next_time", rows=4),
            submit="Add lesson",
        )


class LessonFilterForm(forms.Form):
    """The lessons library's search and filters; django-filter adds the fields (partnerships/filters_lessons.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("q"),
            Field.select("theme"),
            Field.select("service_type"),
            Field.select("area"),
            submit="Show lessons",
        )
