"""Who signed up to which version of the New Deal: provider organisations, and officers in person."""

from django.conf import settings
from django.db import models

from .versions import PrinciplesVersion


class ProviderSignUp(models.Model):
    """A provider organisation's sign-up, made by someone entitled to act for it."""

    version = models.ForeignKey(PrinciplesVersion, on_delete=models.PROTECT, related_name="provider_sign_ups")
    organisation = models.ForeignKey(
        "directory.ProviderOrganisation", on_delete=models.CASCADE, related_name="principles_sign_ups"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # As the signer gave them: the account may later change hands or close.
    signer_name = models.CharField(max_length=150)
    signer_role = models.CharField("signer's role", max_length=150)
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["-signed_at", "-pk"]
        permissions = [("view_signup_coverage", "Can see who has signed up to the New Deal")]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "organisation"], name="principles_provider_signs_a_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} signed {self.version}"


class OfficerSignUp(models.Model):
    """An officer's own sign-up, from their who's-who entry."""

    version = models.ForeignKey(PrinciplesVersion, on_delete=models.PROTECT, related_name="officer_sign_ups")
    officer = models.ForeignKey(
        "directory.Officer", on_delete=models.CASCADE, related_name="principles_sign_ups"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["-signed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "officer"], name="principles_officer_signs_a_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} signed {self.version}"
