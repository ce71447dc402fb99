from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "engagement"
    verbose_name = "Engagement"

    def ready(self) -> None:
        from directory.services.handover import mover_register, registered_movers
        from engagement.handover import ENGAGEMENT_COMMITMENTS

        # ready() may run more than once (in some test set-ups); the mover is registered once.
        if ENGAGEMENT_COMMITMENTS.name not in {mover.name for mover in registered_movers()}:
            mover_register(ENGAGEMENT_COMMITMENTS)
