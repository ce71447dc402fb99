"""The questionnaire as a form (one field a question), and the form that sends a cycle's invitations."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils.html import escape

from directory.models import Area, Officer, ServiceType, Team
from surveys.models import Answer, Invitation, ProviderSize, Question, Segment
from surveys.services.responses import (
    DONT_KNOW,
    FREE_TEXT_MAX_LENGTH,
    OUTSIDE_THE_SCALE,
    SEGMENT_FIELDS,
    field_name,
    required_message,
)

AGREEMENT_CHOICES = [(str(value), label) for value, label in Answer.Agreement.choices] + [
    (DONT_KNOW, "Don’t know")
]
PREFER_NOT_TO_SAY = "Prefer not to say"
# Segments answered from a list of the directory's records, and those from a short set of choices.
SEGMENT_RECORDS = {
    Segment.PROVIDER_TYPE: lambda: ServiceType.objects.order_by("name"),
    Segment.AREA: lambda: Area.objects.order_by("name"),
    Segment.TEAM: lambda: Team.objects.filter(is_active=True).order_by("name"),
}
SEGMENT_CHOICES = {Segment.SIZE: ProviderSize.choices, Segment.SENIORITY: Officer.Seniority.choices}


# Labels and hints are printed as they are (the GOV.UK templates mark them safe): a stored question is escaped.
def _agreement_field(question: Question, *, required: bool) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=escape(question.text),
        help_text=escape(question.hint),
        required=required,
        choices=AGREEMENT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": required_message(question), "invalid_choice": OUTSIDE_THE_SCALE},
    )


def _free_text_field(question: Question, *, required: bool) -> forms.CharField:
    return forms.CharField(
        label=escape(question.text),
        help_text=escape(question.hint),
        required=required,
        max_length=FREE_TEXT_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "required": required_message(question),
            "max_length": f"Your answer must be {FREE_TEXT_MAX_LENGTH} characters or fewer",
        },
    )


def _segment_field(question: Question, *, required: bool) -> forms.Field:
    errors = {"required": required_message(question), "invalid_choice": "Select one of the answers given"}
    if question.segment in SEGMENT_RECORDS:
        return forms.ModelChoiceField(
            label=escape(question.text),
            help_text=escape(question.hint),
            required=required,
            queryset=SEGMENT_RECORDS[question.segment](),
            empty_label="Select one" if required else PREFER_NOT_TO_SAY,
            error_messages=errors,
        )
    choices = list(SEGMENT_CHOICES.get(question.segment, []))
    return forms.ChoiceField(
        label=escape(question.text),
        help_text=escape(question.hint),
        required=required,
        choices=choices if required else [*choices, ("", PREFER_NOT_TO_SAY)],
        widget=forms.RadioSelect,
        error_messages=errors,
    )


def _layout(question: Question) -> Field:
    name = field_name(question)
    if question.kind == Question.Kind.FREE_TEXT:
        return Field.textarea(name, label_size=Size.SMALL, rows=5)
    if question.kind == Question.Kind.SEGMENT and question.segment in SEGMENT_RECORDS:
        return Field(name, context={"label_size": Size.for_label(Size.SMALL)})
    return Field.radios(name, legend_size=Size.SMALL)


class ResponseForm(forms.Form):
    """Every question of a questionnaire, in order. Saving to come back later asks for nothing, but still
    refuses an answer outside the choices; sending asks for every required question."""

    def __init__(self, *args, questions: list[Question], for_draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        makers = {
            Question.Kind.AGREEMENT: _agreement_field,
            Question.Kind.FREE_TEXT: _free_text_field,
            Question.Kind.SEGMENT: _segment_field,
        }
        for question in questions:
            self.fields[field_name(question)] = makers[question.kind](
                question, required=question.required and not for_draft
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*(_layout(question) for question in questions))

    @property
    def answers(self) -> dict[str, str]:
        """The answers given, as saved to come back to: {question id: value}."""
        given = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if value in (None, ""):
                continue
            given[str(question.pk)] = str(value.pk) if hasattr(value, "pk") else str(value).strip()
        return given


def initial_answers(questions: list[Question], invitation: Invitation) -> dict[str, str]:
    """The answers saved to come back to; before any, the segments the invitation knows."""
    if invitation.draft:
        return {
            field_name(question): invitation.draft[str(question.pk)]
            for question in questions
            if str(question.pk) in invitation.draft
        }
    initial = {}
    for question in questions:
        if question.kind == Question.Kind.SEGMENT and question.segment in SEGMENT_FIELDS:
            known = getattr(invitation, SEGMENT_FIELDS[question.segment])
            if known not in (None, ""):
                initial[field_name(question)] = str(known)
    return initial


class InvitationsSendForm(forms.Form):
    """Nothing to fill in: the button confirms, and a refusal shows in the error summary."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
