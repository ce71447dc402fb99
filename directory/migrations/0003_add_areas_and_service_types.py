"""The county's four areas and the main types of care service."""

from django.db import migrations

from directory.reference_data import AREAS, SERVICE_TYPES, ensure_named


def add_reference(apps, schema_editor):
    ensure_named(apps.get_model("directory", "Area"), AREAS)
    ensure_named(apps.get_model("directory", "ServiceType"), SERVICE_TYPES)


def remove_reference(apps, schema_editor):
    apps.get_model("directory", "Area").objects.filter(name__in=AREAS).delete()
    apps.get_model("directory", "ServiceType").objects.filter(name__in=SERVICE_TYPES).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_add_history_user_to_providers")]

    operations = [migrations.RunPython(add_reference, remove_reference)]
