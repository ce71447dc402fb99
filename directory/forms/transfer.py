"""The upload form for importing the who's-who from a CSV file."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from directory.services.csv_export import Kind

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class CsvImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What does the file list?",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what the file lists",
            "invalid_choice": "Choose what the file lists",
        },
    )
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="A CSV file saved as UTF-8, up to 5 MB, with the headings of an exported file.",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": "Select a CSV file",
            "empty": "The selected file is empty",
            "invalid": "Select a CSV file",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's form tag has the token
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field("file"),
            Button("submit", "Check and import"),
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 5 MB")
        return upload

    def content(self) -> bytes:
        return self.cleaned_data["file"].read()
