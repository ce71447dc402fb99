"""Publishing market direction pages, and the emails subscribers get."""

import pytest
from django.urls import reverse

from directory.tests.factories import area, service_type
from market.models import Published
from market.services import publishing as services
from market.tests.factories import (
    FeeExplanationFactory,
    IntentionFactory,
    OpportunityFactory,
    StatementFactory,
    SubscriptionFactory,
    in_days,
)
from portal.models import OutboxMessage
from portal.tests.factories import OfficerFactory, ProviderUserFactory

pytestmark = pytest.mark.django_db

DRAFT = Published.Status.DRAFT


def _subscriber(email: str, **choices):
    return SubscriptionFactory(user=ProviderUserFactory(email=email), **choices).user


def _emailed() -> set[str]:
    return {address for message in OutboxMessage.objects.all() for address in message.recipients}


def test_publishing_an_intention_emails_subscribers_to_its_service_type_and_area_only():
    _subscriber(
        "home-care-south@example.org", service_types=[service_type("home-care")], areas=[area("south")]
    )
    _subscriber("everything@example.org", all_service_types=True, all_areas=True)
    _subscriber("home-care-west@example.org", service_types=[service_type("home-care")], areas=[area("west")])
    _subscriber(
        "nursing-south@example.org", service_types=[service_type("nursing-care")], areas=[area("south")]
    )
    intention = IntentionFactory(status=DRAFT, service_type=service_type("home-care"), areas=[area("south")])

    services.market_item_publish(item=intention)

    assert _emailed() == {"home-care-south@example.org", "everything@example.org"}
    message = OutboxMessage.objects.get(recipients=["everything@example.org"])
    assert message.subject == f"Commissioning intention: {intention.title}"
    assert reverse("market:intention", kwargs={"pk": intention.pk}).encode() in bytes(message.message)


def test_an_item_for_every_area_reaches_subscribers_of_any_area():
    _subscriber("west@example.org", service_types=[service_type("supported-living")], areas=[area("west")])
    opportunity = OpportunityFactory(status=DRAFT, service_types=[service_type("supported-living")])

    services.market_item_publish(item=opportunity)

    assert _emailed() == {"west@example.org"}
    assert OutboxMessage.objects.get().subject == f"Commercial opportunity: {opportunity.title}"


def test_publishing_twice_sends_each_subscriber_one_email():
    _subscriber("everything@example.org", all_service_types=True, all_areas=True)
    intention = IntentionFactory(status=DRAFT)

    services.market_item_publish(item=intention)
    services.market_item_publish(item=intention)

    assert OutboxMessage.objects.count() == 1


def test_a_draft_sends_nothing_and_a_deactivated_subscriber_gets_nothing():
    _subscriber("everything@example.org", all_service_types=True, all_areas=True)
    gone = _subscriber("gone@example.org", all_service_types=True, all_areas=True)
    gone.is_active = False
    gone.save()
    IntentionFactory(status=DRAFT)
    services.intention_save(
        title="Stop buying block beds",
        service_type=service_type("residential-care"),
        areas=[],
        direction="stop",
        what_and_why="Spot purchase instead.",
        when="From next year",
        starts_on=in_days(200),
        owner=IntentionFactory().owner,
        review_on=in_days(300),
    )
    assert OutboxMessage.objects.count() == 0

    services.market_item_publish(item=IntentionFactory(status=DRAFT))

    assert _emailed() == {"everything@example.org"}


def test_publishing_sets_the_publication_date_and_a_statement_reaches_every_subscriber():
    _subscriber("everything@example.org", all_service_types=True, all_areas=True)
    _subscriber("west@example.org", service_types=[service_type("home-care")], areas=[area("west")])
    statement = StatementFactory(status=DRAFT)

    published = services.market_item_publish(item=statement)

    assert published.is_published and published.published_on == in_days(0)
    assert _emailed() == {"everything@example.org", "west@example.org"}
    assert OutboxMessage.objects.filter(subject=f"Market position statement: {statement.title}").count() == 2


def test_a_fee_explanation_reaches_subscribers_to_its_type_of_service_in_any_area():
    _subscriber("home.west@example.org", service_types=[service_type("home-care")], areas=[area("west")])
    _subscriber("nursing@example.org", service_types=[service_type("nursing-care")], all_areas=True)
    fee = FeeExplanationFactory(status=DRAFT, service_type=service_type("home-care"))

    services.market_item_publish(item=fee)

    assert _emailed() == {"home.west@example.org"}
    body = bytes(OutboxMessage.objects.get().message).decode()
    assert fee.fee_level in body and reverse("market:fee", kwargs={"pk": fee.pk}) in body


def test_the_review_date_must_be_after_the_publication_date():
    statement = StatementFactory(status=DRAFT, review_on=in_days(0))

    with pytest.raises(services.MarketError) as refused:
        services.market_item_publish(item=statement)

    assert refused.value.message == services.REVIEW_NOT_AFTER_PUBLICATION
    statement.refresh_from_db()
    assert statement.status == DRAFT


def test_an_opportunity_cannot_close_before_it_opens():
    with pytest.raises(services.MarketError) as refused:
        services.opportunity_save(
            title="Day opportunities",
            description="New day services.",
            service_types=[service_type("day-opportunities")],
            areas=[],
            procurement_route="open",
            opens_on=in_days(30),
            closes_on=in_days(10),
            contract_starts_on=None,
            owner=OpportunityFactory().owner,
            review_on=in_days(300),
        )

    assert refused.value.field == "closes_on"


def test_one_fee_explanation_per_service_type_and_year():
    existing = FeeExplanationFactory(year="2026 to 2027")
    fields = {
        "service_type": existing.service_type,
        "year": "2026 to 2027",
        "fee_level": "£900",
        "method": "Cost of care",
        "inputs": "Wages",
        "changes": "",
        "owner": existing.owner,
        "review_on": in_days(100),
    }

    with pytest.raises(services.MarketError) as refused:
        services.fee_explanation_save(**fields)
    changed = services.fee_explanation_save(item=existing, **fields)

    assert refused.value.field == "year"
    assert changed.fee_level == "£900"


def test_the_engagement_manager_publishes_through_the_confirm_page(client):
    from portal import roles

    _subscriber("everything@example.org", all_service_types=True, all_areas=True)
    opportunity = OpportunityFactory(status=DRAFT)
    client.force_login(OfficerFactory(roles=[roles.OFFICER, roles.ENGAGEMENT_MANAGER]))
    url = reverse("market:page-publish", kwargs={"kind": "opportunity", "pk": opportunity.pk})

    assert "Providers who subscribed" in client.get(url).content.decode()
    response = client.post(url, follow=True)

    assert response.redirect_chain[-1][0] == opportunity.get_absolute_url()
    assert "The commercial opportunity is published" in response.content.decode()
    assert _emailed() == {"everything@example.org"}


def test_the_subscribers_email_reaches_a_real_mail_server_once_published(
    smtp_sink, django_capture_on_commit_callbacks
):
    _subscriber("pat@provider-a.example.org", service_types=[service_type("home-care")], all_areas=True)
    intention = IntentionFactory(status=DRAFT, title="More home care in the villages")

    with django_capture_on_commit_callbacks(execute=True):
        services.market_item_publish(item=intention)

    [envelope] = smtp_sink.messages
    assert envelope.rcpt_tos == ["pat@provider-a.example.org"]
    assert b"Subject: Commissioning intention: More home care in the villages" in envelope.content
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
