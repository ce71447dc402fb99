"""Production's static files: collected with the manifest storage, as the Docker image and a release do."""

from io import StringIO

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import override_settings

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_collectstatic_finds_every_file_the_styles_refer_to(tmp_path):
    """The manifest storage fails on a url() in the CSS that names a missing file, which would stop a release."""
    # Changing STORAGES makes Django build the static files storage afresh, with these settings.
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=MANIFEST_STORAGE):
        call_command("collectstatic", interactive=False, verbosity=0, stdout=StringIO())
        hashed_styles = staticfiles_storage.stored_name("build/portal.css")
    assert hashed_styles != "build/portal.css"
    assert (tmp_path / hashed_styles).exists()
    assert (tmp_path / "build" / "govuk" / "assets" / "images" / "govuk-crest.svg").exists()
