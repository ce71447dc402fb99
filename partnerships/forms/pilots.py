"""Forms of the register: its filters, a pilot's record, its partners and why it is strategic."""

from crispy_forms_gds.layout import HTML, Field, Fieldset, Size
from django import forms
from django.db.models import Q

from directory.forms.editing import OfficerChoiceField, officers_in_post
from directory.models import Area, ProviderOrganisation, ServiceType
from partnerships.models import PartnershipPilot, PilotPartner, StrategicReason
from partnerships.services import pilots as services
from portal.forms import form_helper
from portal.select_options import SelectOptionsForm

COUNCIL_ONLY_HINT = "Council staff only: providers never see this."


class RegisterFilterForm(SelectOptionsForm):
    """The form of the register's filters; django-filter adds its fields (see partnerships/filters.py).

    The register is timed by the benchmark, so its template writes the fields out (portal/select_options.py).
    """


def _council_only(label: str) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea, required=False, help_text=COUNCIL_ONLY_HINT)


class PilotForm(forms.Form):
    """A pilot's record. Its field names are the services' own (pilot_create, pilot_update)."""

    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the pilot's title"}
    )
    aim = forms.CharField(
        label="Aim",
        widget=forms.Textarea,
        help_text="What the pilot sets out to test or achieve, in plain words. Providers see this.",
        error_messages={"required": "Enter the pilot's aim"},
    )
    lead_officer = OfficerChoiceField(
        queryset=None,
        label="Lead officer",
        empty_label="Choose an officer",
        error_messages={
            "required": "Choose the officer who leads the pilot",
            "invalid_choice": "Choose an officer in post to lead the pilot",
        },
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.order_by("name"),
        required=False,
        label="Areas (optional)",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose areas from the list"},
    )
    service_types = forms.ModelMultipleChoiceField(
        queryset=ServiceType.objects.order_by("name"),
        required=False,
        label="Types of service (optional)",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose types of service from the list"},
    )
    risk_sharing = _council_only("How risk is shared (optional)")
    commercial_details = _council_only("Commercial details (optional)")
    internal_notes = _council_only("Internal notes (optional)")
    is_published = forms.BooleanField(
        label="Put the pilot on the register",
        required=False,
        help_text="Providers see the pilot once it is on the register. Until then it is a draft for council staff.",
    )

    def __init__(self, *args, instance: PartnershipPilot | None = None, **kwargs):
        if instance is not None:
            kwargs["initial"] = {
                **{
                    name: getattr(instance, name)
                    for name in ("title", "aim", "risk_sharing", "commercial_details", "internal_notes")
                },
                "lead_officer": instance.lead_officer_id,
                "areas": [area.pk for area in instance.areas.all()],
                "service_types": [service_type.pk for service_type in instance.service_types.all()],
                "is_published": instance.is_published,
            }
        super().__init__(*args, **kwargs)
        self.fields["lead_officer"].queryset = officers_in_post()
        self.helper = form_helper(
            Field.text("title"),
            Field.textarea("aim", rows=4),
            Field.select("lead_officer"),
            Field.checkboxes("areas", small=True),
            Field.checkboxes("service_types", small=True),
            Fieldset(
                Field.textarea("risk_sharing", rows=3),
                Field.textarea("commercial_details", rows=3),
                Field.textarea("internal_notes", rows=3),
                legend="For council staff only",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            Field.checkbox("is_published", small=True),
            submit="Save pilot",
        )


class ProviderField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ProviderOrganisation) -> str:
        return obj.name


class PartnerForm(forms.Form):
    """A partner: a provider from the who's-who, or another organisation with its kind. Then its role and contact."""

    provider = ProviderField(
        queryset=None,
        required=False,
        label="Provider",
        empty_label="Not a provider in the who's-who",
        help_text="Choose the provider if it is in the who's-who.",
        error_messages={"invalid_choice": "Choose a provider from the list"},
    )
    organisation_name = forms.CharField(
        label="Organisation's name",
        max_length=200,
        required=False,
        help_text="For a partner that is not a provider.",
    )
    kind = forms.ChoiceField(
        label="Kind of organisation",
        choices=[(kind.value, kind.label) for kind in services.ORGANISATION_KINDS],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": services.CHOOSE_KIND},
    )
    role = forms.CharField(label="Role in the pilot (optional)", max_length=200, required=False)
    contact_name = forms.CharField(label="Contact's name (optional)", max_length=200, required=False)
    contact_email = forms.EmailField(
        label="Contact's email address (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    contact_phone = forms.CharField(label="Contact's phone number (optional)", max_length=40, required=False)

    def __init__(self, *args, instance: PilotPartner | None = None, **kwargs):
        if instance is not None:
            kwargs["initial"] = {
                "provider": instance.provider_id,
                "organisation_name": instance.organisation_name,
                "kind": "" if instance.provider_id else instance.kind,
                **{
                    name: getattr(instance, name)
                    for name in ("role", "contact_name", "contact_email", "contact_phone")
                },
            }
        super().__init__(*args, **kwargs)
        current = instance.provider_id if instance is not None else None
        self.fields["provider"].queryset = ProviderOrganisation.objects.filter(
            Q(is_active=True) | Q(pk=current)
        ).order_by("name")
        self.helper = form_helper(
            Fieldset(
                Field.select("provider"), legend="A provider from the who's-who", legend_size=Size.MEDIUM
            ),
            Fieldset(
                Field.text("organisation_name"),
                Field.radios("kind", small=True),
                legend="Or another organisation",
                legend_size=Size.MEDIUM,
            ),
            Field.text("role"),
            Fieldset(
                HTML('<p class="govuk-body">Only council staff see a partner\'s contact.</p>'),
                Field.text("contact_name"),
                Field.text("contact_email", spellcheck="false"),
                Field.text("contact_phone"),
                legend="Contact",
                legend_size=Size.MEDIUM,
            ),
            submit="Save partner",
        )

    def clean(self):
        cleaned = super().clean()
        provider, name = cleaned.get("provider"), cleaned.get("organisation_name", "").strip()
        if "provider" in self.errors:
            return cleaned
        if provider is not None and name:
            self.add_error("organisation_name", services.NOT_BOTH)
        elif provider is None and not name:
            self.add_error("provider", services.PROVIDER_OR_NAME)
        elif provider is None and not cleaned.get("kind") and "kind" not in self.errors:
            self.add_error("kind", services.CHOOSE_KIND)
        return cleaned


class PartnerRemoveForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit="Remove partner", warning=True)


def explanation_field(reason: str) -> str:
    return f"{reason}_explanation"


class ReasonsForm(forms.Form):
    """The five strategic reasons, each chosen with how it applies to this pilot; providers see them all."""

    def __init__(self, *args, reasons: list[StrategicReason] = (), **kwargs):
        chosen = {reason.reason: reason.explanation for reason in reasons}
        kwargs["initial"] = {
            **{value: True for value in chosen},
            **{explanation_field(value): text for value, text in chosen.items()},
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        pairs = []
        for value, label in StrategicReason.Reason.choices:
            self.fields[value] = forms.BooleanField(label=label, required=False)
            self.fields[explanation_field(value)] = forms.CharField(
                label=f"How “{label.lower()}” applies to this pilot",
                widget=forms.Textarea,
                required=False,
                help_text="Needed if you choose this reason.",
            )
            pairs += [Field.checkbox(value, small=True), Field.textarea(explanation_field(value), rows=2)]
        self.helper = form_helper(
            Fieldset(
                *pairs,
                legend="Why the pilot is strategic",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            submit="Save reasons",
        )

    def clean(self):
        cleaned = super().clean()
        values = StrategicReason.Reason.values
        if not any(cleaned.get(value) for value in values):
            self.add_error(values[0], services.NO_REASON)
        for value in values:
            if cleaned.get(value) and not cleaned.get(explanation_field(value), "").strip():
                self.add_error(explanation_field(value), services.explanation_missing(value))
        return cleaned

    @property
    def reasons(self) -> dict[str, str]:
        """Each chosen reason and how it applies, as pilot_reasons_set() takes them."""
        return {
            value: self.cleaned_data[explanation_field(value)]
            for value in StrategicReason.Reason.values
            if self.cleaned_data.get(value)
        }
