from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from directory.tests.factories import OfficerFactory, ProviderOrganisationFactory
from engagement.selectors.plan import feed_token
from portal import contributions
from portal.tests.factories import OfficerFactory as OfficerUserFactory
from portal.tests.factories import ProviderUserFactory
from principles.contributions import calendar
from principles.tests.factories import (
    OfficerSignUpFactory,
    PrinciplesVersionFactory,
    ProviderSignUpFactory,
    draft,
)

pytestmark = pytest.mark.django_db


def test_the_whos_who_search_finds_the_current_version(client):
    PrinciplesVersionFactory(number=1, body="We share information early about fees.")
    client.force_login(ProviderUserFactory())

    page = client.get(reverse("directory:search"), {"q": "fees early"}).content.decode()

    assert "The New Deal, version 1" in page
    assert reverse("principles:current") in page


def test_the_search_never_finds_a_draft_or_a_replaced_version():
    PrinciplesVersionFactory(number=1, body="Old words about pigeons.")
    PrinciplesVersionFactory(number=2, body="Current words.")
    draft(number=3, body="Draft words about pigeons.")

    assert [
        r.title for r in contributions.search(ProviderUserFactory(), ["pigeons"]) if r.kind == "The New Deal"
    ] == []


def test_a_providers_page_shows_when_it_signed_the_current_version(client):
    version = PrinciplesVersionFactory(number=2)
    provider = ProviderOrganisationFactory()
    ProviderSignUpFactory(version=version, organisation=provider, signer_name="Sam Lee", signer_role="Owner")
    client.force_login(OfficerUserFactory())

    page = client.get(reverse("directory:provider-detail", args=[provider.pk])).content.decode()

    assert "The New Deal" in page and "version 2 on" in page and "Sam Lee (Owner)" in page


def test_a_providers_page_shows_it_has_not_signed_the_new_version(client):
    old = PrinciplesVersionFactory(number=1)
    PrinciplesVersionFactory(number=2)
    user = ProviderUserFactory()
    ProviderSignUpFactory(version=old, organisation=user.provider_organisation)
    client.force_login(user)

    page = client.get(
        reverse("directory:provider-detail", args=[user.provider_organisation_id])
    ).content.decode()

    assert "Not yet signed" in page and "Signed version 1 on" in page
    assert reverse("principles:sign-provider", args=[2, user.provider_organisation_id]) in page


def test_an_officers_page_shows_their_sign_up(client):
    version = PrinciplesVersionFactory(number=1)
    officer = OfficerFactory()
    OfficerSignUpFactory(version=version, officer=officer)
    client.force_login(OfficerUserFactory())

    page = client.get(reverse("directory:officer-detail", args=[officer.pk])).content.decode()

    assert "The New Deal" in page and "Signed</strong> version 1 on" in page


def test_no_section_before_anything_is_published():
    draft(number=1)
    provider = ProviderOrganisationFactory()

    assert [
        s
        for s in contributions.provider_sections(OfficerUserFactory(), provider)
        if "principles" in s.template_name
    ] == []


def test_the_forward_plans_feed_carries_recent_publication_days_with_stable_uids():

    published_at = timezone.now() - timedelta(days=3)
    PrinciplesVersionFactory(number=1, published_at=timezone.now() - timedelta(days=400))
    PrinciplesVersionFactory(
        number=2, published_at=published_at, what_changed="Fees are explained each year."
    )
    draft(number=3)
    user = ProviderUserFactory()

    feeds = [Client().get(reverse("engagement:plan-ical"), {"token": feed_token(user)}) for _ in range(2)]

    events = [
        {
            str(e["summary"]): (str(e["uid"]), e["dtstart"].dt, str(e["description"]))
            for e in Calendar.from_ical(f.content).walk("VEVENT")
        }
        for f in feeds
    ]
    assert events[0] == events[1], "the same UIDs in every copy of the feed"
    new_deal = {summary: event for summary, event in events[0].items() if summary.startswith("The New Deal")}
    assert list(new_deal) == ["The New Deal, version 2 published"], "neither the old one nor the draft"
    uid, day, description = new_deal["The New Deal, version 2 published"]
    assert uid.startswith("new-deal-version-") and day == timezone.localdate(published_at)
    assert description == "Fees are explained each year."


def test_the_calendar_source_is_one_query_however_many_versions(django_assert_num_queries):

    for number in range(1, 6):
        PrinciplesVersionFactory(number=number)
    user = ProviderUserFactory()

    with django_assert_num_queries(1):
        items = calendar(user)

    assert len(items) == 5
