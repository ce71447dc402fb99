from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Who's who"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .reference_data import reference_after_migrate

        post_migrate.connect(reference_after_migrate, sender=self)
