"""Visit the main pages against the database `make run` uses (run by tests/test_make_run_on_sqlite.py).

Prints one line per page, "<who> <url name> <status>", and the handover previews' counts.
"""

import datetime as dt
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from directory.models import Officer  # noqa: E402
from directory.services.handover import registered_movers  # noqa: E402
from partnerships.demo import demo_pilot  # noqa: E402
from surveys.models import Invitation  # noqa: E402
from tests.second_step import pass_second_step  # noqa: E402

setup_test_environment()
pilot = {"slug": demo_pilot().slug}
PAGES = {
    "officer@example.org": [
        ("home", {}),
        ("directory:search", {}),
        ("directory:finder", {}),
        ("engagement:plan", {}),
        ("engagement:enquiry-queue", {}),
        ("partnerships:register", {}),
        ("partnerships:pilot", pilot),
        ("partnerships:lessons", {}),
        ("partnerships:relationship", pilot),
        ("surveys:cycles", {}),
        ("surveys:dashboard", {}),
        ("surveys:overview", {}),
        ("market:direction", {}),
        ("market:keep", {}),
    ],
    "director@example.org": [
        ("home", {}),
        ("engagement:enquiry-figures", {}),
        ("surveys:dashboard", {}),
        ("principles:coverage", {}),
    ],
    "provider@example.org": [
        ("home", {}),
        ("engagement:plan", {}),
        ("partnerships:register", {}),
        ("principles:current", {}),
        ("market:direction", {}),
        ("market:opportunities", {}),
        ("market:fees", {}),
    ],
}
for email, pages in PAGES.items():
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    pass_second_step(client)  # as force_login skips the password
    for name, kwargs in pages:
        print(email.split("@")[0], name, client.get(reverse(name, kwargs=kwargs)).status_code)
invitation = Invitation.objects.filter(used=False, cycle__closed_at__isnull=True).first()
print("anyone surveys:respond", Client().get(reverse("surveys:respond", args=[invitation.token])).status_code)
leaving = Officer.objects.filter(partnership_pilots_led__isnull=False).first()
for mover in registered_movers():
    print("handover", mover.name, mover.count(leaving=leaving, effective_on=dt.date.today()))
