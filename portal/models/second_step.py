"""The second sign-in step's own records: recovery codes, and the administrators' resets of a person's step.

The authenticator app itself is django-otp's TOTPDevice (one confirmed device a person).
"""

from django.conf import settings
from django.db import models


class RecoveryCode(models.Model):
    """A one-time code for when the authenticator app is not to hand. Only a digest is kept: the code is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "digest"], name="recovery_code_unique_per_user")
        ]

    def __str__(self) -> str:
        return f"Recovery code of user {self.user_id}{' (used)' if self.used_at else ''}"


class SecondStepReset(models.Model):
    """An administrator took away a person's authenticator and recovery codes, for example after a lost phone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="second_step_resets"
    )
    reset_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="second_step_resets_made"
    )
    reason = models.CharField(max_length=200)
    reset_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reset_at", "-pk"]

    def __str__(self) -> str:
        return f"Second step of user {self.user_id} reset at {self.reset_at:%Y-%m-%d %H:%M}"
