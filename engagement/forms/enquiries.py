"""Forms for raising an enquiry and for each step of answering it."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from directory.forms.search import ReferenceChoiceField
from directory.models import Officer, Team
from directory.selectors.finder import question_choices
from engagement.selectors.enquiries import reassign_choices
from engagement.services.enquiry_attachments import ACCEPT, ALLOWED_TEXT, MAX_ATTACHMENTS, max_size_text

MESSAGE_MAX_LENGTH = 5000


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to a few files at once; the service checks each one's size, name and content."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Attach files (optional)")
        kwargs.setdefault(
            "help_text",
            f"Up to {MAX_ATTACHMENTS} files, each {ALLOWED_TEXT}, smaller than {max_size_text()}",
        )
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "govuk-file-upload", "accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data]
        return [super(AttachmentsField, self).clean(upload, initial) for upload in uploads if upload]


def _message_field(label: str, help_text: str, required_message: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "required": required_message,
            "max_length": f"{label} must be {MESSAGE_MAX_LENGTH} characters or fewer",
        },
    )


class _GdsForm(forms.Form):
    submit_label = "Send"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's own <form> holds the CSRF token
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(*self.layout_fields(), Button("submit", self.submit_label))

    def layout_fields(self) -> list:
        return [Field(name) for name in self.fields]


class RaiseForm(_GdsForm):
    """The provider is the user's own organisation, set by the view: it is never a field."""

    submit_label = "Send enquiry"

    topic = ReferenceChoiceField(
        label="What is your enquiry about?",
        error_messages={
            "required": "Choose what your enquiry is about",
            "invalid_choice": "Choose what your enquiry is about from the list",
        },
    )
    area = ReferenceChoiceField(
        label="Which area is the service in?",
        error_messages={
            "required": "Choose the area the service is in",
            "invalid_choice": "Choose the area the service is in from the list",
        },
    )
    service_type = ReferenceChoiceField(
        label="What type of service is it about?",
        error_messages={
            "required": "Choose the type of service",
            "invalid_choice": "Choose the type of service from the list",
        },
    )
    subject = forms.CharField(
        label="Subject",
        help_text="A few words, for example: invoice 4471 for March not paid",
        max_length=200,
        error_messages={
            "required": "Enter a subject",
            "max_length": "Subject must be 200 characters or fewer",
        },
    )
    message = _message_field(
        "Your message", "Include any invoice numbers, dates and names that will help", "Enter your message"
    )
    attachments = AttachmentsField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, records in question_choices().items():
            self.fields[name].load(records)

    def layout_fields(self) -> list:
        return [
            Field.radios("topic", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.radios("area", legend_size=Size.MEDIUM, legend_tag="h2", inline=True),
            Field.radios("service_type", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.text("subject"),
            Field.textarea("message", rows=8),
            Field("attachments"),
        ]


class ReplyForm(_GdsForm):
    submit_label = "Send reply"

    message = _message_field("Your reply", "", "Enter your message")
    attachments = AttachmentsField()

    def __init__(self, *args, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].help_text = help_text

    def layout_fields(self) -> list:
        return [Field.textarea("message", rows=8), Field("attachments")]


class _OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, officer: Officer) -> str:
        return f"{officer.full_name} ({officer.team.name})"


class ReassignForm(_GdsForm):
    submit_label = "Pass on the enquiry"

    officer = _OfficerChoiceField(
        queryset=Officer.objects.none(),
        required=False,
        label="Pass it to an officer",
        empty_label="Choose an officer",
        error_messages={"invalid_choice": "Choose an officer from the list"},
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        label="Or to a team",
        help_text="Choose a team when no one in particular should answer",
        empty_label="Choose a team",
        error_messages={"invalid_choice": "Choose a team from the list"},
    )
    reason = _message_field(
        "Why are you passing it on?", "The provider sees this", "Enter why you are passing the enquiry on"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset, self.fields["team"].queryset = reassign_choices()

    def layout_fields(self) -> list:
        return [
            Field.select("officer"),
            Field.select("team"),
            Field.textarea("reason", rows=4),
        ]

    def clean(self):
        cleaned = super().clean()
        officer, team = cleaned.get("officer"), cleaned.get("team")
        if "officer" in self.errors or "team" in self.errors:
            return cleaned
        if officer is None and team is None:
            self.add_error("officer", "Choose an officer or a team")
        elif officer is not None and team is not None:
            self.add_error("officer", "Choose an officer or a team, not both")
        return cleaned


class RequestInformationForm(_GdsForm):
    submit_label = "Ask the provider"

    message = _message_field(
        "What do you need to know?",
        "The provider sees this and is emailed it. The date you promised to answer by is on hold until they reply.",
        "Enter what you need to know",
    )

    def layout_fields(self) -> list:
        return [Field.textarea("message", rows=6)]


class NoteForm(_GdsForm):
    submit_label = "Add note"

    text = _message_field(
        "Internal note",
        "Only council staff see this. It is never shown or sent to the provider.",
        "Enter your note",
    )

    def layout_fields(self) -> list:
        return [Field.textarea("text", rows=6)]


class ResolveForm(_GdsForm):
    submit_label = "Resolve enquiry"

    message = _message_field(
        "How was it resolved?",
        "The provider sees this and is emailed it",
        "Enter how the enquiry was resolved",
    )

    def layout_fields(self) -> list:
        return [Field.textarea("message", rows=6)]
