"""Forms engagement managers write market direction and fees pages with; field names are the services' own."""

from crispy_forms_gds.layout import Button, Field
from django import forms

from directory.forms.editing import GovukDateField, OfficerChoiceField, officers_in_post
from directory.models import Area, ServiceType
from market.models import CommercialOpportunity, CommissioningIntention
from portal.forms import form_helper

EVERY_AREA_HINT = "Leave every box clear if it is for every area."


def _text(label: str, what: str, *, max_length: int = 200, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, help_text=hint, error_messages={"required": f"Enter {what}"}
    )


def _long_text(label: str, what: str, *, required: bool = True, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea,
        required=required,
        help_text=hint,
        error_messages={"required": f"Enter {what}"},
    )


def _choice(label: str, what: str, choices) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": f"Choose {what}", "invalid_choice": f"Choose {what}"},
    )


def _service_type() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=ServiceType.objects.all(),
        label="Type of service",
        empty_label="Choose a type of service",
        error_messages={"required": "Choose a type of service", "invalid_choice": "Choose a type of service"},
    )


def _areas() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Area.objects.all(),
        label="Areas",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=EVERY_AREA_HINT,
        error_messages={
            "invalid_choice": "Choose areas from the list",
            "invalid_pk_value": "Choose areas from the list",
        },
    )


class _PageForm(forms.Form):
    """The owner and review date every page has."""

    owner = OfficerChoiceField(
        queryset=None,
        label="Owner",
        empty_label="Choose an officer",
        help_text="The officer providers can ask about it.",
        error_messages={"required": "Choose the owner", "invalid_choice": "Choose the owner from the list"},
    )
    review_on = GovukDateField(
        what="the review date", label="Review date", help_text="For example, 31 3 2027"
    )

    submit = "Save as draft"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = officers_in_post()
        self.helper = form_helper(
            *self.layout_fields(), Field("owner"), Field("review_on"), submit=self.submit
        )

    def layout_fields(self) -> list:
        return [Field(name) for name in self.fields if name not in ("owner", "review_on")]


class IntentionForm(_PageForm):
    title = _text("Title", "a title", hint="For example, more home care in rural areas")
    service_type = _service_type()
    areas = _areas()
    direction = _choice(
        "What the council intends", "what the council intends", CommissioningIntention.Direction.choices
    )
    what_and_why = _long_text("What and why", "what the council intends to buy and why")
    when = _text("When, in words", "when, in words", hint="For example, from April 2027, over two years")
    starts_on = GovukDateField(what="the date it starts", label="From", help_text="For example, 1 4 2027")

    def layout_fields(self) -> list:
        return [
            Field.text("title"),
            Field("service_type"),
            Field.checkboxes("areas", small=True),
            Field.radios("direction", small=True),
            Field.textarea("what_and_why", rows=6),
            Field.text("when"),
            Field("starts_on"),
        ]


class StatementForm(_PageForm):
    title = _text("Title", "a title")
    year = _text("Year", "the year", max_length=20, hint="For example, 2026 to 2027")
    summary = _long_text("Summary", "a summary", hint="A paragraph providers see first.")
    body = _long_text("Statement", "the statement")

    def layout_fields(self) -> list:
        return [
            Field.text("title"),
            Field.text("year", field_width=10),
            Field.textarea("summary", rows=4),
            Field.textarea("body", rows=15),
        ]


class OpportunityForm(_PageForm):
    title = _text("Title", "a title")
    description = _long_text("Description", "a description")
    service_types = forms.ModelMultipleChoiceField(
        queryset=ServiceType.objects.all(),
        label="Types of service",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one type of service",
            "invalid_choice": "Choose types of service from the list",
            "invalid_pk_value": "Choose types of service from the list",
        },
    )
    areas = _areas()
    procurement_route = _choice(
        "Procurement route", "a procurement route", CommercialOpportunity.Route.choices
    )
    opens_on = GovukDateField(what="the opening date", label="Opens on", help_text="For example, 1 3 2027")
    closes_on = GovukDateField(what="the closing date", label="Closes on", help_text="For example, 31 3 2027")
    contract_starts_on = GovukDateField(
        what="the contract start date",
        label="Contract starts on (optional)",
        required=False,
        help_text="For example, 1 7 2027",
    )

    def layout_fields(self) -> list:
        return [
            Field.text("title"),
            Field.textarea("description", rows=6),
            Field.checkboxes("service_types", small=True),
            Field.checkboxes("areas", small=True),
            Field.radios("procurement_route", small=True),
            Field("opens_on"),
            Field("closes_on"),
            Field("contract_starts_on"),
        ]


class FeeExplanationForm(_PageForm):
    service_type = _service_type()
    year = _text(
        "Year it applies to", "the year it applies to", max_length=20, hint="For example, 2026 to 2027"
    )
    fee_level = _text("Fee level", "the fee level", hint="For example, £1,050 to £1,240 a week")
    method = _long_text("How the fee level is set", "how the fee level is set")
    inputs = _long_text(
        "What goes into it", "what goes into it", hint="For example, wages, on-costs, inflation"
    )
    changes = _long_text("What changed since last year (optional)", "what changed", required=False)

    def layout_fields(self) -> list:
        return [
            Field("service_type"),
            Field.text("year", field_width=10),
            Field.text("fee_level"),
            Field.textarea("method", rows=6),
            Field.textarea("inputs", rows=5),
            Field.textarea("changes", rows=5),
        ]


class IntentionFilterForm(forms.Form):
    """The fields are django-filter's (market/filters.py); this gives them the GOV.UK layout."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(*[Field(name) for name in self.fields], submit="Show intentions")
        self.helper.layout[-1] = Button.secondary("submit", "Show intentions")
