"""The GOV.UK layout every part's forms share, and the sign-in and password forms."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms


def form_helper(*fields, submit: str | None = None, warning: bool = False) -> FormHelper:
    """The page template holds the <form> element, its CSRF token and the error summary; a GET filter's form has
    no token, so none is written into the address. `warning` makes the button red, for what cannot be undone."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    button = [Button.warning("submit", submit) if warning else Button("submit", submit)] if submit else []
    helper.layout = Layout(*fields, *button)
    return helper


def add_service_error(form: forms.Form, error) -> None:
    """Show a service's refusal against the field it is about, or at the top of the error summary."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


class SignInForm(auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been closed",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.helper = form_helper(Field.text("username"), Field.text("password"), submit="Sign in")


def sign_in_username(request, credentials: dict | None) -> str | None:
    """The account a sign-in is for, as django-axes counts failures: one count whatever the letters' case."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username.strip().lower() if isinstance(username, str) and username.strip() else None


def sign_in_address(request) -> str | None:
    """The address a sign-in came from, as django-axes counts failures per address.

    Behind AXES_IPWARE_PROXY_COUNT proxies, each appending to X-Forwarded-For the address it was reached from, the
    client's is that many from the right; anything further left the client may have written itself. With no proxy
    the header is ignored, so a client cannot escape the count by sending one.
    """
    proxies = settings.AXES_IPWARE_PROXY_COUNT or 0
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.org"
        )
        self.helper = form_helper(Field.text("email"), submit="Send reset link")


class NewPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"
        self.helper = form_helper(
            Field.text("new_password1"), Field.text("new_password2"), submit="Save password"
        )
