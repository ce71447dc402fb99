"""The client groups providers support and the topics a provider may need help with."""

from django.db import migrations

from directory.reference_data import CLIENT_GROUPS, TOPICS, ensure_named, ensure_topics


def add_reference(apps, schema_editor):
    ensure_named(apps.get_model("directory", "ClientGroup"), CLIENT_GROUPS)
    ensure_topics(apps.get_model("directory", "Topic"))


def remove_reference(apps, schema_editor):
    apps.get_model("directory", "ClientGroup").objects.filter(name__in=CLIENT_GROUPS).delete()
    apps.get_model("directory", "Topic").objects.filter(name__in=[name for name, _ in TOPICS]).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_add_whos_who")]

    operations = [migrations.RunPython(add_reference, remove_reference)]
