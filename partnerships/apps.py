from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Partnership pilots"

    def ready(self) -> None:
        from directory.services.handover import mover_register, registered_movers
        from partnerships.handover import PARTNERSHIP_PILOTS

        # ready() may run more than once (in some test set-ups); the mover is registered once.
        if PARTNERSHIP_PILOTS.name not in {registered.name for registered in registered_movers()}:
            mover_register(PARTNERSHIP_PILOTS)
