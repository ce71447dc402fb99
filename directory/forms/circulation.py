"""The confirmation that starts a circulation by hand: no fields, only the service's refusal as an error."""

from django import forms


class CirculationStartForm(forms.Form):
    """Carries a refusal from `circulation_start` (for example, a run already sending) to the error summary."""
