"""Sending a cycle's invitations: who is invited, what each knows of the segments, once only."""

import datetime as dt
from email import message_from_bytes, policy

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory.models import Officer, ProviderPerson
from directory.tests import factories as directory_factories
from portal.models import OutboxMessage
from surveys.models import Audience, Invitation
from surveys.services.invitations import InvitationError, invitations_send, provider_size
from surveys.tests import factories

pytestmark = pytest.mark.django_db

Role = ProviderPerson.Role
PAGE_MAX_QUERIES = 14


def _messages() -> list:
    return [
        message_from_bytes(bytes(row.message), policy=policy.default)
        for row in OutboxMessage.objects.order_by("pk")
    ]


@pytest.fixture
def cycle():
    cycle = factories.SurveyCycleFactory(year=timezone.localdate().year)
    factories.QuestionnaireFactory(cycle=cycle, audience=Audience.PROVIDERS)
    factories.QuestionnaireFactory(cycle=cycle, audience=Audience.OFFICERS)
    return cycle


@pytest.fixture
def sender(users):
    return users["manager"]


@pytest.fixture
def care_home():
    provider = directory_factories.ProviderOrganisationFactory(name="Oak House Care", people_supported=40)
    provider.service_types.set(
        [
            directory_factories.service_type("residential-care"),
            directory_factories.service_type("nursing-care"),
        ]
    )
    provider.areas.set([directory_factories.area("south"), directory_factories.area("mid")])
    return provider


def _person(provider, role, email="", **fields) -> ProviderPerson:
    return directory_factories.ProviderPersonFactory(
        provider=provider, role=role, email=email, receives_contact_list=bool(email), **fields
    )


def _active_officers() -> int:
    return Officer.objects.active().exclude(email="").count()


def test_nominated_people_of_active_providers_are_invited_with_their_providers_segments(
    cycle, sender, care_home
):
    nominated = _person(care_home, Role.NOMINATED_INDIVIDUAL, "ni@oak.example.org")
    manager = _person(care_home, Role.REGISTERED_MANAGER, "rm@oak.example.org")
    _person(care_home, Role.FINANCE, "finance@oak.example.org")
    _person(care_home, Role.REGISTERED_MANAGER, "")
    closed = directory_factories.ProviderOrganisationFactory(name="Closed Care", is_active=False)
    _person(closed, Role.NOMINATED_INDIVIDUAL, "ni@closed.example.org")

    invitations_send(cycle=cycle, sent_by=sender)

    invited = Invitation.objects.filter(audience=Audience.PROVIDERS)
    assert {invitation.provider_person for invitation in invited} == {nominated, manager}
    invitation = invited.get(provider_person=nominated)
    assert invitation.email == "ni@oak.example.org"
    assert invitation.provider_type.slug == "nursing-care"  # the first by name
    assert invitation.area.slug == "mid"
    assert invitation.size == "medium"
    assert invitation.sent_at is not None and not invitation.used and len(invitation.token) >= 40


@pytest.mark.parametrize(
    ("people", "size"),
    [(None, ""), (0, "small"), (24, "small"), (25, "medium"), (99, "medium"), (100, "large")],
)
def test_a_providers_size_comes_from_the_people_it_supports(people, size):
    assert provider_size(people) == size


def test_every_officer_in_post_is_invited_with_seniority_and_team(cycle, sender):
    team = directory_factories.TeamFactory(name="Commissioning South")
    head = directory_factories.OfficerFactory(team=team, seniority=Officer.Seniority.HEAD_OF_SERVICE)
    left = directory_factories.OfficerFactory(active_to=timezone.localdate() - dt.timedelta(days=1))

    invitations_send(cycle=cycle, sent_by=sender)

    invited = Invitation.objects.filter(audience=Audience.OFFICERS)
    assert invited.count() == _active_officers()
    assert not invited.filter(officer=left).exists()
    invitation = invited.get(officer=head)
    assert (invitation.seniority, invitation.team, invitation.email) == ("head_of_service", team, head.email)


def test_each_is_emailed_their_personal_link(cycle, sender, care_home):
    person = _person(care_home, Role.NOMINATED_INDIVIDUAL, "ni@oak.example.org")

    invitations_send(cycle=cycle, sent_by=sender)

    invitation = Invitation.objects.get(provider_person=person)
    message = next(message for message in _messages() if message["To"] == "ni@oak.example.org")
    link = settings.SITE_URL + reverse("surveys:respond", kwargs={"token": invitation.token})
    assert link in message.get_content()
    assert f"relationship survey {cycle.year}" in message["Subject"]
    assert len(_messages()) == Invitation.objects.count()


def test_sending_twice_invites_nobody_twice_and_then_only_newcomers(cycle, sender, care_home):
    _person(care_home, Role.NOMINATED_INDIVIDUAL, "ni@oak.example.org")
    first = invitations_send(cycle=cycle, sent_by=sender)
    assert invitations_send(cycle=cycle, sent_by=sender) == 0

    newcomer = _person(care_home, Role.REGISTERED_MANAGER, "new@oak.example.org")
    assert invitations_send(cycle=cycle, sent_by=sender) == 1

    assert Invitation.objects.count() == first + 1 == len(_messages())
    assert Invitation.objects.filter(provider_person=newcomer).count() == 1


def test_a_cycle_opening_in_future_can_be_sent_and_the_email_says_when_it_opens(sender, care_home):
    today = timezone.localdate()
    cycle = factories.SurveyCycleFactory(
        year=today.year + 1, opens_on=today + dt.timedelta(days=5), closes_on=today + dt.timedelta(days=30)
    )
    factories.QuestionnaireFactory(cycle=cycle, audience=Audience.PROVIDERS)
    _person(care_home, Role.NOMINATED_INDIVIDUAL, "ni@oak.example.org")

    assert invitations_send(cycle=cycle, sent_by=sender) == 1

    assert "The survey opens on" in _messages()[0].get_content()


def test_a_closed_cycle_sends_no_invitations(sender, care_home):
    today = timezone.localdate()
    cycle = factories.SurveyCycleFactory(
        year=today.year - 1, opens_on=today - dt.timedelta(days=60), closes_on=today - dt.timedelta(days=1)
    )
    factories.QuestionnaireFactory(cycle=cycle)
    _person(care_home, Role.NOMINATED_INDIVIDUAL, "ni@oak.example.org")

    with pytest.raises(InvitationError, match="The survey closed on"):
        invitations_send(cycle=cycle, sent_by=sender)

    assert Invitation.objects.count() == 0 and OutboxMessage.objects.count() == 0


def test_an_audience_without_a_questionnaire_is_not_invited(sender, care_home):
    cycle = factories.SurveyCycleFactory(year=timezone.localdate().year)
    factories.QuestionnaireFactory(cycle=cycle, audience=Audience.PROVIDERS)
    directory_factories.OfficerFactory()
    _person(care_home, Role.NOMINATED_INDIVIDUAL, "ni@oak.example.org")

    assert invitations_send(cycle=cycle, sent_by=sender) == 1
    assert not Invitation.objects.filter(audience=Audience.OFFICERS).exists()


def test_a_cycle_without_questionnaires_refuses(sender):
    cycle = factories.SurveyCycleFactory(year=timezone.localdate().year)

    with pytest.raises(InvitationError, match="Add the questionnaires"):
        invitations_send(cycle=cycle, sent_by=sender)


# The page


def _page(cycle) -> str:
    return reverse("surveys:invitations-send", kwargs={"year": cycle.year})


def _manager_client(users) -> Client:
    client = Client()
    client.force_login(users["manager"])
    return client


def test_the_page_shows_how_many_would_be_invited_in_few_queries(
    cycle, users, care_home, django_assert_max_num_queries
):
    for number in range(15):
        provider = directory_factories.ProviderOrganisationFactory(
            name=f"Care {number}", people_supported=number
        )
        provider.areas.set([directory_factories.area("west")])
        _person(provider, Role.NOMINATED_INDIVIDUAL, f"ni{number}@care.example.org")
        directory_factories.OfficerFactory()
    client = _manager_client(users)

    with django_assert_max_num_queries(PAGE_MAX_QUERIES):
        page = client.get(_page(cycle))

    preview = page.context["preview"]
    assert preview.providers_to_invite == 15
    assert preview.officers_to_invite == _active_officers()
    assert f"Send {preview.to_invite} invitations" in page.content.decode()


def test_posting_invites_and_says_how_many(cycle, users, care_home):
    _person(care_home, Role.NOMINATED_INDIVIDUAL, "ni@oak.example.org")
    directory_factories.OfficerFactory()
    client = _manager_client(users)
    expected = 1 + _active_officers()

    sent = client.post(_page(cycle), follow=True)

    assert f"{expected} invitations sent" in sent.content.decode()
    assert Invitation.objects.count() == expected
    assert sent.context["preview"].providers_invited == 1
    assert "There is nobody left to invite" in sent.content.decode()


def test_the_page_of_a_closed_cycle_offers_no_button_and_a_post_is_refused(users, care_home):
    today = timezone.localdate()
    cycle = factories.SurveyCycleFactory(
        year=today.year - 1, opens_on=today - dt.timedelta(days=60), closes_on=today - dt.timedelta(days=1)
    )
    factories.QuestionnaireFactory(cycle=cycle)
    _person(care_home, Role.NOMINATED_INDIVIDUAL, "ni@oak.example.org")
    client = _manager_client(users)

    page = client.get(_page(cycle))
    refused = client.post(_page(cycle))

    assert "no more invitations can be sent" in page.content.decode()
    assert "<button" not in page.content.decode().split('id="closed"')[1].split("</main>")[0]
    assert refused.status_code == 200
    assert "govuk-error-summary" in refused.content.decode()
    assert "The survey closed on" in refused.content.decode()
    assert Invitation.objects.count() == 0


def test_others_may_not_send_invitations(cycle, users):
    for role in ("officer", "director", "provider_a"):
        client = Client()
        client.force_login(users[role])
        assert client.post(_page(cycle)).status_code == 403
    assert Invitation.objects.count() == 0
