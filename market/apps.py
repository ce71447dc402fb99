from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "market"
    verbose_name = "Market direction"

    def ready(self) -> None:
        from market.selectors.contributions import market_calendar, market_search
        from portal import contributions

        contributions.register_search("market", market_search)
        contributions.register_calendar("market", market_calendar)
