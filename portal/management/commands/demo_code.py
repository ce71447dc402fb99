"""Print the code the demo staff accounts' authenticator shows now (make demo-code)."""

from django.core.management.base import BaseCommand

from portal.second_step.demo import demo_code


class Command(BaseCommand):
    help = (
        "Print the current authenticator code of the demo staff accounts (officer@ and director@example.org)."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(demo_code())
