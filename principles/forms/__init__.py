"""Forms of the New Deal: writing a version, publishing it, signing up, and filtering who has not signed."""

from crispy_forms_gds.layout import Field
from django import forms
from django.utils.html import escape

from directory.models import Area, Directorate, ProviderOrganisation, ServiceType, Team
from portal.forms import form_helper
from principles.services.signups import NO_NAME, NO_ROLE, NOT_ENTITLED
from principles.services.versions import NO_BODY, NO_TITLE


class VersionForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": NO_TITLE})
    body = forms.CharField(
        label="The principles",
        widget=forms.Textarea,
        help_text="Plain text. Leave a blank line between paragraphs.",
        error_messages={"required": NO_BODY},
    )
    what_changed = forms.CharField(
        label="What changed",
        widget=forms.Textarea,
        required=False,
        help_text="What this version changes since the one before, in a few lines. Leave blank for the first version.",
    )

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None:
            kwargs["initial"] = {
                "title": instance.title,
                "body": instance.body,
                "what_changed": instance.what_changed,
            }
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("title"),
            Field.textarea("body", rows=15),
            Field.textarea("what_changed", rows=4),
            submit="Save draft",
        )


class PublishForm(forms.Form):
    """Nothing to fill in: the button approves, and a refusal shows in the error summary."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit="Approve and publish")


class ProviderSignUpForm(forms.Form):
    signer_name = forms.CharField(
        label="Your full name", max_length=150, error_messages={"required": NO_NAME}
    )
    signer_role = forms.CharField(
        label="Your role in the organisation",
        max_length=150,
        help_text="For example, owner, managing director or nominated individual.",
        error_messages={"required": NO_ROLE},
    )
    entitled = forms.BooleanField(error_messages={"required": NOT_ENTITLED})

    def __init__(self, *args, organisation: ProviderOrganisation, user, **kwargs):
        kwargs.setdefault("initial", {"signer_name": user.full_name})
        super().__init__(*args, **kwargs)
        # The GOV.UK templates show labels and button text as given: the organisation's name is escaped here.
        name = escape(organisation.name)
        self.fields["entitled"].label = f"I am entitled to act for {name} and sign up on its behalf"
        self.helper = form_helper(
            Field.text("signer_name"),
            Field.text("signer_role"),
            Field("entitled"),
            submit=f"Sign up for {name}",
        )


class OfficerSignUpForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit="Sign up")


class ProvidersNotSignedForm(forms.Form):
    """Narrows the list of providers not yet signed up; a choice that is not on the list is an error, not a 500."""

    tier = forms.TypedChoiceField(
        label="Tier",
        choices=[("", "All tiers"), *ProviderOrganisation.Tier.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    area = forms.ModelChoiceField(
        label="Area",
        queryset=Area.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="All areas",
    )
    service_type = forms.ModelChoiceField(
        label="Type of service",
        queryset=ServiceType.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="All types",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.select("tier"), Field.select("area"), Field.select("service_type"), submit="Show"
        )


class OfficersNotSignedForm(forms.Form):
    directorate = forms.ModelChoiceField(
        label="Directorate",
        queryset=Directorate.objects.order_by("name"),
        required=False,
        empty_label="All directorates",
    )
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.order_by("name"), required=False, empty_label="All teams"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.select("directorate"), Field.select("team"), submit="Show")
