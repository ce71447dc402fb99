"""Forms for opening a round of the relationship check and answering it."""

from crispy_forms_gds.layout import Field
from django import forms
from django.utils import timezone

from directory.forms.editing import GovukDateField
from partnerships.models import PilotPartner
from partnerships.services.checks import CLOSES_BEFORE_OPENING, OPENS_IN_THE_PAST, rating_missing_message
from portal.forms import form_helper
from portal.relationship_themes import RelationshipRating, RelationshipTheme

COMMENT_MAX_LENGTH = 2000
COUNCIL = "council"


class CheckOpenForm(forms.Form):
    opened_on = GovukDateField(
        label="Opens on",
        what="the date the round opens",
        help_text="Partners are emailed today. For example, 27 3 2026",
    )
    closes_on = GovukDateField(
        label="Closes on",
        what="the date the round closes",
        help_text="Answers are taken until the end of this day. Three weeks is usual",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("opened_on"), Field("closes_on"), submit="Open the round")

    def clean(self):
        cleaned = super().clean()
        opened_on, closes_on = cleaned.get("opened_on"), cleaned.get("closes_on")
        if opened_on and opened_on < timezone.localdate():
            self.add_error("opened_on", OPENS_IN_THE_PAST)
        if opened_on and closes_on and closes_on <= opened_on:
            self.add_error("closes_on", CLOSES_BEFORE_OPENING)
        return cleaned


def _rating_field(theme: RelationshipTheme) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=theme.label,
        choices=[(value, f"{value} – {label}") for value, label in RelationshipRating.choices],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": rating_missing_message(theme),
            "invalid_choice": rating_missing_message(theme),
        },
    )


class CheckResponseForm(forms.Form):
    """A rating of every theme and a comment. Council staff also choose whose answer it is: the council's or a
    partner's that is not a provider (given with `partners`); a provider user answers for its own organisation."""

    respondent = forms.ChoiceField(
        label="Whose answer is this?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whose answer this is",
            "invalid_choice": "Choose the council or one of the partners listed",
        },
    )
    comment = forms.CharField(
        label="Comment (optional)",
        help_text="What is going well in the partnership, and what could be better",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={"max_length": f"Comment must be {COMMENT_MAX_LENGTH} characters or fewer"},
    )

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.partners = {str(partner.pk): partner for partner in partners or []}
        for theme in RelationshipTheme:
            self.fields[theme.value] = _rating_field(theme)
        layout = []
        if partners is None:
            del self.fields["respondent"]
        else:
            self.fields["respondent"].choices = [
                (COUNCIL, "The council"),
                *(
                    (pk, f"{partner.name} ({partner.get_kind_display()})")
                    for pk, partner in self.partners.items()
                ),
            ]
            layout.append(Field.radios("respondent", small=True))
        layout += [Field.radios(theme.value, small=True, inline=True) for theme in RelationshipTheme]
        layout.append(Field.textarea("comment", rows=4))
        self.helper = form_helper(*layout, submit="Send answers")
        # The themes come after the respondent and before the comment, in the error summary too.
        self.order_fields(["respondent", *RelationshipTheme.values, "comment"])

    @property
    def partner(self) -> PilotPartner | None:
        """The partner answered for, or None for the council (and for a provider user: the view knows its own)."""
        return self.partners.get(self.cleaned_data.get("respondent", COUNCIL))

    @property
    def ratings(self) -> dict[str, int]:
        return {theme: self.cleaned_data[theme] for theme in RelationshipTheme.values}
