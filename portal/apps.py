from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from .roles import roles_after_migrate
        from .schedules import ensure_periodic_tasks
        from .second_step.services import second_step_start
        from .session_rules import session_start

        post_migrate.connect(roles_after_migrate, sender=self)
        post_migrate.connect(ensure_periodic_tasks, sender=self)
        user_logged_in.connect(session_start, dispatch_uid="portal.session_rules.session_start")
        user_logged_in.connect(second_step_start, dispatch_uid="portal.second_step.second_step_start")
