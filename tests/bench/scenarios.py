"""The pages the benchmark watches: who signs in and which page they ask for.

Each part of the portal adds its own screens here. `floor` is the yardstick: every other scenario is
reported as a ratio of its median time.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

OFFICER = "officer@example.org"
DIRECTOR = "director@example.org"
PROVIDER = "provider@example.org"

FLOOR = "floor"


@dataclass(frozen=True)
class Scenario:
    name: str
    email: str
    url_name: str
    # Called once the demo data exists, so a page about one record can look up its key.
    url_kwargs: Callable[[], dict] = dict

    def url(self) -> str:
        return reverse(self.url_name, kwargs=self.url_kwargs())


SCENARIOS = [
    Scenario(FLOOR, OFFICER, "floor"),
    Scenario("home (officer)", OFFICER, "home"),
    Scenario("home (director)", DIRECTOR, "home"),
    Scenario("home (provider)", PROVIDER, "home"),
    Scenario("provider list (officer)", OFFICER, "directory:provider-list"),
]
