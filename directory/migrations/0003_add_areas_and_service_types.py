"""The county's four areas and the main types of care service."""

from django.db import migrations
from django.utils.text import slugify

AREAS = ["North East", "Mid", "South", "West"]
SERVICE_TYPES = [
    "Residential care",
    "Nursing care",
    "Home care",
    "Supported living",
    "Day opportunities",
    "Specialist services",
]


def add_reference(apps, schema_editor):
    for model_name, names in (("Area", AREAS), ("ServiceType", SERVICE_TYPES)):
        model = apps.get_model("directory", model_name)
        for name in names:
            model.objects.get_or_create(slug=slugify(name), defaults={"name": name})


def remove_reference(apps, schema_editor):
    apps.get_model("directory", "Area").objects.filter(name__in=AREAS).delete()
    apps.get_model("directory", "ServiceType").objects.filter(name__in=SERVICE_TYPES).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_add_history_user_to_providers")]

    operations = [migrations.RunPython(add_reference, remove_reference)]
