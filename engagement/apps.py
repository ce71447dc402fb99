from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "engagement"
    verbose_name = "Engagement"

    def ready(self) -> None:
        from directory.services.handover import mover_register, registered_movers
        from engagement.enquiry_handover import OPEN_ENQUIRIES
        from engagement.handover import ENGAGEMENT_COMMITMENTS

        # ready() may run more than once (in some test set-ups); each mover is registered once.
        for mover in (ENGAGEMENT_COMMITMENTS, OPEN_ENQUIRIES):
            if mover.name not in {registered.name for registered in registered_movers()}:
                mover_register(mover)
