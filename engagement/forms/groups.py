"""Forms for keeping the engagement groups, their terms of reference and their maturity."""

from crispy_forms_gds.layout import Field
from django import forms
from django.utils import timezone

from directory.forms.editing import GovukDateField, OfficerChoiceField, officers_in_post
from directory.models import Area, ProviderAssociation, ProviderOrganisation
from engagement.models import EngagementGroup, MaturityAssessment
from engagement.selectors.groups import Quarter, recent_quarters
from engagement.services.groups import APPROVAL_IN_FUTURE, ASSESSMENT_IN_FUTURE, REVIEW_BEFORE_APPROVAL
from portal.forms import form_helper


class ProviderChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ProviderOrganisation) -> str:
        return f"{obj.name} ({obj.get_tier_display()})"


class MemberOfficersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name}, {obj.job_title}"


class GroupForm(forms.Form):
    """A group's details and members. `instance` is the group being edited, or None."""

    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the group's name"}
    )
    kind = forms.ChoiceField(
        label="Kind of group",
        choices=EngagementGroup.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of group it is"},
    )
    purpose = forms.CharField(
        label="Purpose",
        widget=forms.Textarea,
        help_text="What the group is for. Providers see this.",
        error_messages={"required": "Enter the group's purpose"},
    )
    chair = OfficerChoiceField(
        queryset=None,
        required=False,
        label="Chair (optional)",
        empty_label="No chair yet",
        error_messages={"invalid_choice": "Choose an officer in post as the chair"},
    )
    area = forms.ModelChoiceField(
        queryset=Area.objects.order_by("name"),
        required=False,
        label="Area (optional)",
        empty_label="The whole county",
        help_text="For an area provider forum: the area it serves.",
    )
    meeting_frequency = forms.ChoiceField(
        label="How often it meets",
        choices=EngagementGroup.Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often the group meets"},
    )
    member_officers = MemberOfficersField(
        queryset=None,
        required=False,
        label="Council officers who are members (optional)",
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
        widget=forms.SelectMultiple(attrs={"size": 8, "class": "govuk-select"}),
    )
    member_providers = ProviderChoiceField(
        queryset=None,
        required=False,
        label="Providers who are members (optional)",
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
        widget=forms.SelectMultiple(attrs={"size": 8, "class": "govuk-select"}),
    )
    member_associations = forms.ModelMultipleChoiceField(
        queryset=ProviderAssociation.objects.order_by("name"),
        required=False,
        label="Provider associations who are members (optional)",
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(
        label="The group is active",
        required=False,
        initial=True,
        help_text="Untick when the group stops meeting.",
    )

    def __init__(self, *args, instance: EngagementGroup | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs["initial"] = {
                "name": instance.name,
                "kind": instance.kind,
                "purpose": instance.purpose,
                "chair": instance.chair_id,
                "area": instance.area_id,
                "meeting_frequency": instance.meeting_frequency,
                "member_officers": [officer.pk for officer in instance.member_officers.all()],
                "member_providers": [provider.pk for provider in instance.member_providers.all()],
                "member_associations": [association.pk for association in instance.member_associations.all()],
                "is_active": instance.is_active,
            }
        else:
            kwargs.setdefault("initial", {"meeting_frequency": EngagementGroup.Frequency.QUARTERLY})
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = officers_in_post()
        self.fields["member_officers"].queryset = officers_in_post()
        self.fields["member_providers"].queryset = ProviderOrganisation.objects.filter(
            is_active=True
        ).order_by("name")
        self.helper = form_helper(
            Field.text("name"),
            Field.radios("kind", small=True),
            Field.textarea("purpose", rows=4),
            Field.select("chair"),
            Field.select("area"),
            Field.radios("meeting_frequency", small=True),
            Field.select("member_officers"),
            Field.select("member_providers"),
            Field.checkboxes("member_associations", small=True),
            Field.checkbox("is_active", small=True),
            submit="Save group",
        )


class TermsForm(forms.Form):
    """A new version of the terms; the text starts as a copy of the version before."""

    purpose = forms.CharField(
        label="Purpose", widget=forms.Textarea, error_messages={"required": "Enter the group's purpose"}
    )
    membership = forms.CharField(
        label="Membership",
        widget=forms.Textarea,
        help_text="Who the members are, and who chairs.",
        error_messages={"required": "Enter who the members are"},
    )
    decision_making = forms.CharField(
        label="How decisions are made",
        widget=forms.Textarea,
        error_messages={"required": "Enter how the group makes decisions"},
    )
    frequency_and_quorum = forms.CharField(
        label="Frequency and quorum (optional)", widget=forms.Textarea, required=False
    )
    approved_on = GovukDateField(
        label="Date approved", what="the date the terms were approved", help_text="For example, 27 3 2026"
    )
    review_on = GovukDateField(
        label="Review by",
        what="the date the terms must be reviewed by",
        help_text="Usually a year after approval. For example, 27 3 2027",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.textarea("purpose", rows=4),
            Field.textarea("membership", rows=4),
            Field.textarea("decision_making", rows=3),
            Field.textarea("frequency_and_quorum", rows=2),
            Field("approved_on"),
            Field("review_on"),
            submit="Save new version",
        )

    def clean(self):
        cleaned = super().clean()
        approved_on, review_on = cleaned.get("approved_on"), cleaned.get("review_on")
        if approved_on and approved_on > timezone.localdate():
            self.add_error("approved_on", APPROVAL_IN_FUTURE)
        if approved_on and review_on and review_on <= approved_on:
            self.add_error("review_on", REVIEW_BEFORE_APPROVAL)
        return cleaned


def _rating_field(name: str) -> forms.TypedChoiceField:
    label = MaturityAssessment._meta.get_field(name).verbose_name
    return forms.TypedChoiceField(
        label=label[0].upper() + label[1:],
        choices=[(value, f"{value} – {label}") for value, label in MaturityAssessment.Rating.choices],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": f"Rate the group on “{label}”"},
    )


class MaturityForm(forms.Form):
    assessed_on = GovukDateField(
        label="Date of the assessment", what="the date of the assessment", help_text="For example, 27 3 2026"
    )
    clear_purpose = _rating_field("clear_purpose")
    right_membership = _rating_field("right_membership")
    steady_attendance = _rating_field("steady_attendance")
    actions_followed_up = _rating_field("actions_followed_up")
    provider_voice = _rating_field("provider_voice")
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("assessed_on"),
            *(Field.radios(name, small=True, inline=True) for name in MaturityAssessment.CRITERIA),
            Field.textarea("notes", rows=3),
            submit="Save assessment",
        )

    def clean_assessed_on(self):
        assessed_on = self.cleaned_data["assessed_on"]
        if assessed_on > timezone.localdate():
            raise forms.ValidationError(ASSESSMENT_IN_FUTURE)
        return assessed_on

    @property
    def ratings(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in MaturityAssessment.CRITERIA}


class QuarterForm(forms.Form):
    """Which quarter the Tier One cadence is shown for; this quarter unless another is chosen."""

    quarter = forms.ChoiceField(label="Quarter", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.quarters = recent_quarters()
        self.fields["quarter"].choices = [(str(quarter), quarter.label) for quarter in self.quarters]
        self.fields["quarter"].error_messages["invalid_choice"] = "Choose a quarter from the list"
        self.helper = form_helper(Field.select("quarter"), submit="Show quarter")

    @property
    def chosen(self) -> Quarter:
        if self.is_bound and self.is_valid() and self.cleaned_data["quarter"]:
            return Quarter.parse(self.cleaned_data["quarter"])
        return self.quarters[0]
