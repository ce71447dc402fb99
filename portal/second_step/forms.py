"""The second step's forms, laid out with the GOV.UK Design System."""

from crispy_forms_gds.layout import Field
from django import forms

from portal.forms import form_helper
from portal.models import User


class AuthenticatorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6 digits your app shows now for this portal, for example 123456",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, submit: str = "Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("code", field_width=5), submit=submit)


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label="Recovery code",
        help_text="One of the 10 codes you saved when you set up your authenticator app, for example abcde-23456",
        max_length=40,
        error_messages={"required": "Enter one of your recovery codes"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("code", field_width=10), submit="Continue")


class SecondStepResetForm(forms.Form):
    email = forms.EmailField(
        label="Email address of the person",
        error_messages={
            "required": "Enter the email address of the person whose second step to reset",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
    )
    reason = forms.CharField(
        label="Why you are resetting it",
        help_text="For example: lost phone, reported by telephone and identity checked",
        max_length=200,
        error_messages={"required": "Enter why you are resetting this person's second step"},
    )
    identity_checked = forms.BooleanField(
        label="I have checked that the request comes from this person",
        error_messages={"required": "Confirm that you have checked the request comes from this person"},
    )

    def __init__(self, *args, administrator: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.administrator = administrator
        self.helper = form_helper(
            Field.text("email"),
            Field.text("reason"),
            Field.checkbox("identity_checked"),
            submit="Reset second step",
        )

    def clean_email(self) -> User:
        email = self.cleaned_data["email"]
        person = User.objects.filter(email__iexact=email).first()
        if person is None:
            raise forms.ValidationError("No account has that email address")
        if person.pk == self.administrator.pk:
            raise forms.ValidationError("You cannot reset your own second step: ask another administrator")
        return person
