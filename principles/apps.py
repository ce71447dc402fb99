from django.apps import AppConfig


class PrinciplesConfig(AppConfig):
    name = "principles"
    verbose_name = "The New Deal"

    def ready(self) -> None:
        from portal import contributions
        from principles import contributions as new_deal

        # Registered by name, so that a second ready() replaces rather than adds.
        contributions.register_search("principles", new_deal.search)
        contributions.register_provider_section("principles", new_deal.provider_section)
        contributions.register_officer_section("principles", new_deal.officer_section)
        contributions.register_calendar("principles", new_deal.calendar)
