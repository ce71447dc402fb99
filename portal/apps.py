from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .roles import roles_after_migrate
        from .schedules import ensure_periodic_tasks

        post_migrate.connect(roles_after_migrate, sender=self)
        post_migrate.connect(ensure_periodic_tasks, sender=self)
