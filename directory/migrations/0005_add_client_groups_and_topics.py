"""The client groups providers support and the topics a provider may need help with."""

from django.db import migrations
from django.utils.text import slugify

CLIENT_GROUPS = [
    "Older people",
    "Learning disability",
    "Mental health",
    "Physical disability",
    "Autism",
    "Carers",
]
TOPICS = [
    ("Safeguarding", "Concerns that an adult is at risk of abuse or neglect"),
    ("Payments and invoices", "Unpaid or disputed invoices and payment dates"),
    ("Contract management", "Your contract, its terms and monitoring"),
    ("Commissioning", "What the council plans to buy and how"),
    ("Quality", "Quality assurance, visits and improvement support"),
    ("Policy and practice", "Council policy and social work practice"),
    ("Fees and pricing", "Fee levels, uplifts and how prices are set"),
    ("Workforce and training", "Recruitment, retention and training"),
    ("Market leadership", "The council's relationship with the care market"),
]


def add_reference(apps, schema_editor):
    ClientGroup = apps.get_model("directory", "ClientGroup")
    Topic = apps.get_model("directory", "Topic")
    for name in CLIENT_GROUPS:
        ClientGroup.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    for name, description in TOPICS:
        Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name, "description": description})


def remove_reference(apps, schema_editor):
    apps.get_model("directory", "ClientGroup").objects.filter(name__in=CLIENT_GROUPS).delete()
    apps.get_model("directory", "Topic").objects.filter(name__in=[name for name, _ in TOPICS]).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_add_whos_who")]

    operations = [migrations.RunPython(add_reference, remove_reference)]
