import pytest


@pytest.fixture(autouse=True)
def filing_one_at_a_time(request, settings):
    """Sent answers are filed as a response at once, unless a test is about filing them in groups."""
    if request.node.get_closest_marker("filing_in_groups") is None:
        settings.SURVEY_FILING_GROUP = 1
