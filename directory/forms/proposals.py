"""Forms for proposing a contact, and for the council's decision on it."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms

from directory.models import ContactProposal
from directory.services.proposals import DECLINE_REASON_REQUIRED

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.org"


class ProposalForm(forms.ModelForm):
    """The provider is the proposer's own organisation, set by the view: it is never a field."""

    class Meta:
        model = ContactProposal
        fields = ["name", "organisation", "role", "email", "phone", "reason"]
        labels = {
            "name": "Name of the person or organisation",
            "organisation": "Their organisation (optional)",
            "role": "Their role (optional)",
            "email": "Email address (optional)",
            "phone": "Phone number (optional)",
            "reason": "Why should the council be in regular contact with them?",
        }
        help_texts = {
            "organisation": "For example, the hospital trust or association they work for",
            "role": "For example, hospital discharge lead",
            "reason": "The council will read this when it decides",
        }
        error_messages = {
            "name": {"required": "Enter the name of the person or organisation"},
            "reason": {"required": "Enter why the council should be in regular contact with them"},
            "email": {"invalid": EMAIL_FORMAT},
        }
        widgets = {"reason": forms.Textarea}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's own <form> holds the CSRF token
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("name"),
            Field.text("organisation"),
            Field.text("role"),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.text("phone", field_width=Fixed.TWENTY),
            Field.textarea("reason", rows=5),
            Button("submit", "Send proposal"),
        )


class DecisionForm(forms.Form):
    ACCEPT = "accept"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        label="Your decision",
        choices=(
            Choice(ACCEPT, "Accept", hint="The council will keep in regular contact with them"),
            Choice(DECLINE, "Decline"),
        ),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept or decline the proposal"},
    )
    decision_reason = forms.CharField(
        label="Reason",
        help_text="The provider will see this. Required if you decline.",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's own <form> holds the CSRF token
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.MEDIUM
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.textarea("decision_reason", rows=4),
            Button("submit", "Save decision"),
        )

    @property
    def accepts(self) -> bool:
        return self.cleaned_data["decision"] == self.ACCEPT

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.DECLINE and not cleaned.get("decision_reason", "").strip():
            self.add_error("decision_reason", DECLINE_REASON_REQUIRED)
        return cleaned
