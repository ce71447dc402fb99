import datetime as dt

import pytest
from django.utils import timezone

from directory.models import ProviderOrganisation
from directory.tests.factories import (
    OfficerFactory,
    ProviderOrganisationFactory,
    TeamFactory,
    area,
    service_type,
)
from portal.tests.factories import ProviderUserFactory
from principles.models import PrinciplesVersion
from principles.selectors.coverage import coverage, headline
from principles.services.signups import provider_sign_up
from principles.tests.factories import OfficerSignUpFactory, PrinciplesVersionFactory, ProviderSignUpFactory

pytestmark = pytest.mark.django_db


def _shares(shares) -> dict[str, tuple[int, int]]:
    return {share.label: (share.signed, share.total) for share in shares}


@pytest.fixture
def county():
    """Two providers in Mid (one signed the current version, one only the old one), one in South, one closed."""
    old = PrinciplesVersionFactory(number=1)
    current = PrinciplesVersionFactory(number=2)
    signed = ProviderOrganisationFactory(tier=2)
    signed.areas.set([area("mid"), area("south")])
    signed.service_types.set([service_type("home-care")])
    only_old = ProviderOrganisationFactory(tier=2)
    only_old.areas.set([area("mid")])
    only_old.service_types.set([service_type("home-care")])
    ProviderOrganisationFactory(tier=3).areas.set([area("south")])
    closed = ProviderOrganisationFactory(tier=3, is_active=False)
    ProviderSignUpFactory(version=current, organisation=signed)
    ProviderSignUpFactory(version=old, organisation=only_old)
    ProviderSignUpFactory(version=current, organisation=closed)
    team = TeamFactory(name="Contract Management Mid")
    OfficerSignUpFactory(version=current, officer=OfficerFactory(team=team))
    OfficerFactory(team=team)
    left = OfficerFactory(team=team, active_to=timezone.localdate() - dt.timedelta(days=1))
    OfficerSignUpFactory(version=current, officer=left)
    return current


def test_coverage_counts_active_providers_and_officers_in_post_against_the_current_version(county):
    figures = coverage(county)

    assert (figures.providers.signed, figures.providers.total) == (1, 3)
    assert _shares(figures.by_tier) == {"Tier 1": (0, 0), "Tier 2": (1, 2), "Tier 3": (0, 1)}
    assert _shares(figures.by_area) == {"Mid": (1, 2), "South": (1, 2)}
    assert _shares(figures.by_service_type) == {"Home care": (1, 2)}
    assert (figures.officers.signed, figures.officers.total) == (1, 2)
    assert _shares(figures.by_team) == {"Contract Management Mid": (1, 2)}
    assert len(figures.by_directorate) == 1 and figures.by_directorate[0].percent_cell == "50%"


def test_each_group_links_to_the_list_of_those_not_yet_signed_in_it(county):
    figures = coverage(county)

    assert figures.by_tier[1].url == "/new-deal/coverage/providers/?tier=2"
    assert figures.by_area[0].url == "/new-deal/coverage/providers/?area=mid"


def test_the_overview_headline_matches_the_coverage(county):
    figures = headline()

    assert (figures.providers.signed, figures.providers.total) == (1, 3)
    assert (figures.officers.signed, figures.officers.total) == (1, 2)


def test_no_headline_before_anything_is_published():
    assert headline() is None


def test_the_counts_are_kept_until_someone_signs(county, django_assert_num_queries):
    coverage(PrinciplesVersion.objects.get(pk=county.pk))

    with django_assert_num_queries(1):  # the version only: the counts are kept
        kept = coverage(PrinciplesVersion.objects.get(pk=county.pk))
    assert (kept.providers.signed, kept.providers.total) == (1, 3)

    unsigned = (
        ProviderOrganisation.objects.filter(is_active=True)
        .exclude(principles_sign_ups__version=county)
        .first()
    )
    user = ProviderUserFactory(provider_organisation=unsigned)
    provider_sign_up(
        version=county, organisation=unsigned, by=user, signer_name="Pat", signer_role="Owner", entitled=True
    )

    recounted = coverage(PrinciplesVersion.objects.get(pk=county.pk))
    assert (recounted.providers.signed, recounted.providers.total) == (2, 3)
