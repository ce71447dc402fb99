"""A provider user's choice of market direction updates."""

from crispy_forms_gds.layout import Field
from django import forms

from directory.models import Area, ServiceType
from portal.forms import form_helper


class SubscriptionForm(forms.Form):
    all_service_types = forms.BooleanField(label="Every type of service", required=False)
    service_types = forms.ModelMultipleChoiceField(
        queryset=ServiceType.objects.all(),
        label="Or these types of service",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose types of service from the list",
            "invalid_pk_value": "Choose types of service from the list",
        },
    )
    all_areas = forms.BooleanField(label="Every area", required=False)
    areas = forms.ModelMultipleChoiceField(
        queryset=Area.objects.all(),
        label="Or these areas",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose areas from the list",
            "invalid_pk_value": "Choose areas from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.checkbox("all_service_types", small=True),
            Field.checkboxes("service_types", small=True),
            Field.checkbox("all_areas", small=True),
            Field.checkboxes("areas", small=True),
            submit="Save my choices",
        )
