"""Fill the database with deterministic demo data; running it again changes nothing."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from directory import demo as directory_demo
from engagement.demo import seed_engagement
from market.demo import seed_market
from partnerships.demo import seed_partnerships
from portal import roles
from portal.models import User
from portal.second_step.demo import demo_authenticator_hex_key
from principles.demo import seed_principles
from surveys.demo import seed_surveys

DEMO_USERS = [
    # (email, full name, roles, belongs to the demo provider)
    (
        "officer@example.org",
        "Olivia Officer",
        [roles.OFFICER, roles.DIRECTORY_EDITOR, roles.ENGAGEMENT_MANAGER],
        False,
    ),
    ("director@example.org", "Dev Director", [roles.DIRECTOR], False),
    ("provider@example.org", "Priya Provider", [roles.PROVIDER_USER], True),
]


class Command(BaseCommand):
    help = "Create demo providers and the demo users officer@, director@ and provider@example.org."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=int, default=1, help="Multiplies the volumes (1: about 200 providers)."
        )

    def handle(self, *args, scale: int, **options) -> None:
        if scale < 1:
            self.stderr.write("--scale must be 1 or more")
            raise SystemExit(2)
        with transaction.atomic():
            created = directory_demo.seed_directory(scale=scale)
            # Before engagement: the demo officer's entry in the who's-who is given enquiries and activities.
            demo_users = self._seed_users()
            created.update(seed_engagement(scale=scale))
            created.update(seed_partnerships(scale=scale))
            created.update(seed_surveys(scale=scale))
            created.update(seed_principles(scale=scale))
            created.update(seed_market(scale=scale))
            created["demo users"] = demo_users
        self.stdout.write(
            "Created: "
            + ", ".join(f"{count} {kind.replace('_', ' ')}" for kind, count in created.items())
            + "."
        )
        self.stdout.write(f"Demo sign-ins (password for each: {settings.DEMO_PASSWORD}):")
        for email, _, role_list, _ in DEMO_USERS:
            self.stdout.write(f"  {email}  ({', '.join(role_list)})")
        self.stdout.write(
            "Council staff then enter a code from an authenticator app set up with the key "
            f"{settings.DEMO_AUTHENTICATOR_KEY}, or the code `make demo-code` prints."
        )

    def _seed_users(self) -> int:
        created = 0
        provider = directory_demo.demo_provider()
        for email, full_name, role_list, is_provider in DEMO_USERS:
            if User.objects.filter(email=email).exists():
                continue
            user = User.objects.create_user(
                email=email,
                password=settings.DEMO_PASSWORD,
                full_name=full_name,
                provider_organisation=provider if is_provider else None,
            )
            user.groups.set(Group.objects.filter(name__in=role_list))
            if roles.DIRECTORY_EDITOR in role_list:
                directory_demo.link_demo_officer(user)
            if not is_provider:
                # Staff take the second step; the demo's app key is published, so anyone can try the portal.
                TOTPDevice.objects.create(
                    user=user, name="Authenticator app", key=demo_authenticator_hex_key(), confirmed=True
                )
            created += 1
        return created
