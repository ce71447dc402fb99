from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal import roles


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("Every user needs an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in with their email address: council staff or a provider's staff."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    provider_organisation = models.ForeignKey(
        "directory.ProviderOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="Set for provider users only: the one organisation they act for.",
    )
    is_staff = models.BooleanField(
        "Django admin access", default=False, help_text="Superusers only: officers work in the portal itself."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(provider_organisation__isnull=True) | Q(is_staff=False),
                name="provider_user_not_staff",
                violation_error_message="A provider user cannot have admin access.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()
        if (
            self.pk
            and self.groups.filter(name=roles.PROVIDER_USER).exists()
            and not self.provider_organisation_id
        ):
            raise ValidationError(
                {"provider_organisation": "A provider user must belong to a provider organisation."}
            )

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def role_names(self) -> frozenset[str]:
        return roles.role_names(self)

    @property
    def is_provider(self) -> bool:
        return self.provider_organisation_id is not None

    @property
    def is_council_staff(self) -> bool:
        return not self.is_provider and bool(self.role_names & roles.COUNCIL_ROLES)

    @property
    def is_director(self) -> bool:
        return roles.DIRECTOR in self.role_names
