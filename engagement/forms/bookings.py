"""Forms for booking places at an activity and recording who came."""

from dataclasses import dataclass

from crispy_forms_gds.helper import FormHelper
from django import forms

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.org"
PEOPLE_PER_BOOKING = 5
ORDINALS = ("first", "second", "third", "fourth", "fifth")


@dataclass(frozen=True)
class PersonFields:
    legend: str
    name: forms.BoundField
    email: forms.BoundField


class BookingForm(forms.Form):
    """Up to five named people; a row left empty is ignored. The provider is the user's own, never a field.

    The rows are laid out by `bookings/includes/person_fields.html` in GOV.UK markup: the page is the booking
    benchmark's, and ten fields through crispy's templates cost more than the rest of the page.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, PEOPLE_PER_BOOKING + 1):
            which = ORDINALS[number - 1]
            self.fields[f"name_{number}"] = forms.CharField(label="Full name", required=False, max_length=150)
            self.fields[f"email_{number}"] = forms.EmailField(
                label="Email address",
                required=False,
                error_messages={"invalid": f"{EMAIL_FORMAT} for the {which} person"},
            )
        # The error summary reads the helper's settings.
        self.helper = FormHelper()
        self.helper.form_tag = False

    @property
    def people(self) -> list[PersonFields]:
        return [
            PersonFields(
                legend=f"{ORDINALS[number - 1].capitalize()} person" + ("" if number == 1 else " (optional)"),
                name=self[f"name_{number}"],
                email=self[f"email_{number}"],
            )
            for number in range(1, PEOPLE_PER_BOOKING + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        seen: dict[str, int] = {}
        for number in range(1, PEOPLE_PER_BOOKING + 1):
            which = ORDINALS[number - 1]
            name = cleaned.get(f"name_{number}", "").strip()
            email = cleaned.get(f"email_{number}", "")
            if f"email_{number}" in self.errors:
                continue
            if email and not name:
                self.add_error(f"name_{number}", f"Enter the full name of the {which} person")
            if name and not email:
                self.add_error(f"email_{number}", f"Enter the email address of the {which} person")
            if email:
                if email.lower() in seen:
                    self.add_error(
                        f"email_{number}",
                        f"The {which} person has the same email address as the "
                        f"{ORDINALS[seen[email.lower()] - 1]}: each person needs their own",
                    )
                seen.setdefault(email.lower(), number)
        if not self.errors and not seen:
            self.add_error("name_1", "Enter the name and email address of at least one person")
        return cleaned

    @property
    def attendees(self) -> list[tuple[str, str]]:
        people = []
        for number in range(1, PEOPLE_PER_BOOKING + 1):
            name = self.cleaned_data.get(f"name_{number}", "").strip()
            email = self.cleaned_data.get(f"email_{number}", "")
            if name and email:
                people.append((name, email))
        return people


class CancelBookingForm(forms.Form):
    """Nothing to fill in: it carries the refusal, if any, to the error summary."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class AttendanceForm(forms.Form):
    """The bookings listed on the page (`shown`) and those ticked as attended."""

    shown = forms.TypedMultipleChoiceField(coerce=int, required=False)
    attended = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, booking_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(pk, pk) for pk in booking_ids]
        self.fields["shown"].choices = choices
        self.fields["attended"].choices = choices
