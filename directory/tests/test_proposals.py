"""Contact proposals: providers propose for their own organisation, directory editors decide once, with emails."""

from email import message_from_bytes, policy

import pytest
from django.urls import reverse

from directory.models import ContactProposal, ProviderPerson
from directory.services.proposals import (
    ProposalError,
    proposal_add_key_person,
    proposal_create,
    proposal_decide,
)
from directory.tests import factories
from portal import roles
from portal.models import OutboxMessage
from portal.tests.factories import OfficerFactory as CouncilUserFactory
from portal.tests.factories import ProviderUserFactory

pytestmark = pytest.mark.django_db

# Session, user, the count and the page of proposals with their provider and people.
PROPOSAL_LIST_MAX_QUERIES = 5
# Session, user, roles, the count and the page of proposals with their provider and people.
PROPOSAL_QUEUE_MAX_QUERIES = 5


@pytest.fixture
def editor():
    return CouncilUserFactory(roles=[roles.OFFICER, roles.DIRECTORY_EDITOR], full_name="Erin Editor")


@pytest.fixture
def proposer(provider_a):
    return ProviderUserFactory(provider_organisation=provider_a, email="proposer@provider-a.example.org")


@pytest.fixture
def contact_list(provider_a):
    factories.ProviderPersonFactory(provider=provider_a, email="manager@provider-a.example.org")
    factories.ProviderPersonFactory(
        provider=provider_a, email="finance@provider-a.example.org", receives_contact_list=False
    )
    # The proposer is also on the contact list: emailed once.
    factories.ProviderPersonFactory(provider=provider_a, email="Proposer@provider-a.example.org")


@pytest.fixture
def proposal(provider_a, proposer):
    return factories.ContactProposalFactory(
        provider=provider_a, proposed_by=proposer, name="Priya Discharge", organisation="County Hospital"
    )


def _body(message: OutboxMessage) -> str:
    return message_from_bytes(bytes(message.message), policy=policy.default).get_content()


# The services


def test_a_proposal_is_made_for_the_proposers_own_organisation(provider_a, proposer):
    proposal = proposal_create(
        provider=provider_a, proposed_by=proposer, name="Priya Discharge", reason="Weekly discharges"
    )

    assert (proposal.provider, proposal.proposed_by, proposal.status) == (
        provider_a,
        proposer,
        ContactProposal.Status.PENDING,
    )


def test_a_provider_user_cannot_propose_for_another_provider(provider_b, proposer):
    with pytest.raises(ProposalError, match="your own organisation"):
        proposal_create(provider=provider_b, proposed_by=proposer, name="Someone", reason="Because")

    assert not ContactProposal.objects.exists()


def test_accepting_records_the_decision_and_emails_the_proposer_and_the_contact_list(
    proposal, editor, contact_list
):
    decided = proposal_decide(proposal=proposal, decided_by=editor, accept=True, reason="  Good idea  ")

    proposal.refresh_from_db()
    assert proposal.status == ContactProposal.Status.ACCEPTED
    assert (proposal.decided_by, proposal.decision_reason) == (editor, "Good idea")
    assert proposal.decided_at is not None
    assert decided.pk == proposal.pk
    message = OutboxMessage.objects.get()
    assert message.recipients == ["proposer@provider-a.example.org", "manager@provider-a.example.org"]
    assert message.subject == "Your proposal of Priya Discharge was accepted"
    body = _body(message)
    assert "has accepted Provider A Care Ltd's proposal" in body
    assert "Good idea" in body
    assert reverse("directory:proposal-detail", args=[proposal.pk]) in body


def test_declining_needs_a_reason_and_changes_nothing_without_one(proposal, editor, contact_list):
    with pytest.raises(ProposalError, match="Enter a reason for declining") as raised:
        proposal_decide(proposal=proposal, decided_by=editor, accept=False, reason="   ")

    assert raised.value.field == "decision_reason"
    proposal.refresh_from_db()
    assert proposal.status == ContactProposal.Status.PENDING
    assert not OutboxMessage.objects.exists()


def test_declining_emails_the_reason(proposal, editor, contact_list):
    proposal_decide(proposal=proposal, decided_by=editor, accept=False, reason="We already meet them monthly")

    message = OutboxMessage.objects.get()
    assert message.subject == "Your proposal of Priya Discharge was declined"
    assert "We already meet them monthly" in _body(message)


def test_a_decided_proposal_cannot_be_decided_again_nor_emailed_twice(proposal, editor, contact_list):
    proposal_decide(proposal=proposal, decided_by=editor, accept=True, reason="")

    with pytest.raises(ProposalError, match="already accepted by Erin Editor"):
        proposal_decide(proposal=proposal, decided_by=editor, accept=False, reason="Changed my mind")

    proposal.refresh_from_db()
    assert proposal.status == ContactProposal.Status.ACCEPTED
    assert OutboxMessage.objects.count() == 1


def test_the_decision_reaches_a_real_smtp_server_once_committed(
    proposal, editor, contact_list, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal_decide(proposal=proposal, decided_by=editor, accept=True, reason="Yes")

    assert [sorted(envelope.rcpt_tos) for envelope in smtp_sink.messages] == [
        ["manager@provider-a.example.org", "proposer@provider-a.example.org"]
    ]


def test_an_accepted_proposal_can_be_added_once_as_a_key_person(proposal, editor):
    proposal.email = "priya@hospital.example.org"
    proposal.save()
    with pytest.raises(ProposalError, match="Only an accepted proposal"):
        proposal_add_key_person(proposal=proposal, added_by=editor)
    proposal_decide(proposal=proposal, decided_by=editor, accept=True, reason="")

    person = proposal_add_key_person(proposal=proposal, added_by=editor)

    assert (person.provider_id, person.full_name, person.email) == (
        proposal.provider_id,
        "Priya Discharge",
        "priya@hospital.example.org",
    )
    assert (person.role, person.receives_contact_list) == (ProviderPerson.Role.OTHER, False)
    with pytest.raises(ProposalError, match="already one of the provider’s key people"):
        proposal_add_key_person(proposal=proposal, added_by=editor)
    assert ProviderPerson.objects.filter(full_name="Priya Discharge").count() == 1


# The screens


def _proposal_form(**overrides) -> dict:
    return {
        "name": "Priya Discharge",
        "organisation": "County Hospital",
        "role": "Discharge lead",
        "email": "priya@hospital.example.org",
        "phone": "01234 567890",
        "reason": "We arrange discharges with her every week.",
        **overrides,
    }


def test_a_provider_user_proposes_a_contact_for_their_own_organisation_whatever_the_form_says(
    client, proposer, provider_a, provider_b
):
    client.force_login(proposer)

    response = client.post(
        reverse("directory:proposal-create"), _proposal_form(provider=provider_b.pk), follow=True
    )

    proposal = ContactProposal.objects.get()
    assert proposal.provider == provider_a
    assert proposal.proposed_by == proposer
    assert response.redirect_chain == [(reverse("directory:proposal-detail", args=[proposal.pk]), 302)]
    assert "Your proposal of Priya Discharge was sent to the council" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter the name of the person or organisation"),
        ({"reason": ""}, "Enter why the council should be in regular contact with them"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format, like name@example.org"),
    ],
)
def test_bad_proposal_input_gets_an_error_summary(client, proposer, overrides, message):
    client.force_login(proposer)

    response = client.post(reverse("directory:proposal-create"), _proposal_form(**overrides))

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert message in page
    assert not ContactProposal.objects.exists()


def test_provider_sees_only_its_own_proposals_with_the_councils_reason(
    client, provider_a, provider_b, proposer, editor, django_assert_max_num_queries
):
    for number in range(30):
        factories.ContactProposalFactory(
            provider=provider_a, proposed_by=proposer, name=f"A contact {number}"
        )
    declined = factories.ContactProposalFactory(provider=provider_a, name="Declined contact")
    proposal_decide(proposal=declined, decided_by=editor, accept=False, reason="Not a care partner")
    factories.ContactProposalFactory(provider=provider_b, name="B's secret contact")
    client.force_login(proposer)

    with django_assert_max_num_queries(PROPOSAL_LIST_MAX_QUERIES):
        response = client.get(reverse("directory:proposal-list"))

    page = response.content.decode()
    assert response.context["page_obj"].paginator.count == 31
    assert "Declined contact" in page
    assert "Not a care partner" in page
    assert "secret contact" not in page
    with django_assert_max_num_queries(PROPOSAL_LIST_MAX_QUERIES):
        second = client.get(reverse("directory:proposal-list"), {"page": 2})
    assert len(second.context["proposals"]) == 6
    assert "secret contact" not in second.content.decode()


def test_provider_cannot_see_or_decide_another_providers_proposal(client, provider_b, proposal):
    client.force_login(ProviderUserFactory(provider_organisation=provider_b))

    assert client.get(reverse("directory:proposal-detail", args=[proposal.pk])).status_code == 404
    decide = client.post(reverse("directory:proposal-decide", args=[proposal.pk]), {"decision": "accept"})
    assert decide.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ContactProposal.Status.PENDING


def test_provider_sees_its_own_proposal_without_a_decide_button(client, proposer, proposal):
    client.force_login(proposer)

    response = client.get(reverse("directory:proposal-detail", args=[proposal.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Priya Discharge" in page
    assert "Accept or decline" not in page


def test_council_staff_asking_for_their_proposals_are_sent_to_the_queue(client):
    client.force_login(CouncilUserFactory())

    response = client.get(reverse("directory:proposal-list"))

    assert response.status_code == 302
    assert response["Location"] == reverse("directory:proposal-queue")


def test_the_queue_lists_pending_proposals_oldest_first_without_a_query_per_row(
    client, provider_a, provider_b, editor, django_assert_max_num_queries
):
    first = factories.ContactProposalFactory(provider=provider_a, name="First in")
    for number in range(29):
        provider = provider_a if number % 2 else provider_b
        factories.ContactProposalFactory(
            provider=provider, proposed_by=ProviderUserFactory(provider_organisation=provider)
        )
    decided = factories.ContactProposalFactory(provider=provider_b, name="Already decided")
    proposal_decide(proposal=decided, decided_by=editor, accept=True, reason="")
    client.force_login(CouncilUserFactory())

    with django_assert_max_num_queries(PROPOSAL_QUEUE_MAX_QUERIES):
        response = client.get(reverse("directory:proposal-queue"))

    assert response.context["page_obj"].paginator.count == 30
    assert response.context["proposals"][0] == first
    assert "Already decided" not in response.content.decode()
    with django_assert_max_num_queries(PROPOSAL_QUEUE_MAX_QUERIES):
        decided_page = client.get(reverse("directory:proposal-queue"), {"show": "decided"})
    assert [proposal.name for proposal in decided_page.context["proposals"]] == ["Already decided"]


def test_an_officer_who_is_not_an_editor_may_view_but_not_decide(client, proposal):
    client.force_login(CouncilUserFactory())

    detail = client.get(reverse("directory:proposal-detail", args=[proposal.pk]))
    decide = client.post(reverse("directory:proposal-decide", args=[proposal.pk]), {"decision": "accept"})

    assert detail.status_code == 200
    assert "Accept or decline" not in detail.content.decode()
    assert decide.status_code == 403
    assert not OutboxMessage.objects.exists()


def test_an_editor_declines_with_a_reason_the_provider_then_sees(
    client, editor, proposer, proposal, contact_list
):
    client.force_login(editor)
    detail = client.get(reverse("directory:proposal-detail", args=[proposal.pk]))
    assert "Accept or decline" in detail.content.decode()

    response = client.post(
        reverse("directory:proposal-decide", args=[proposal.pk]),
        {"decision": "decline", "decision_reason": "We already meet the hospital monthly"},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("directory:proposal-detail", args=[proposal.pk]), 302)]
    assert "You declined the proposal of Priya Discharge" in response.content.decode()
    assert OutboxMessage.objects.count() == 1
    client.force_login(proposer)
    assert (
        "We already meet the hospital monthly"
        in client.get(reverse("directory:proposal-list")).content.decode()
    )


def test_declining_without_a_reason_gets_an_error_summary(client, editor, proposal):
    client.force_login(editor)

    response = client.post(reverse("directory:proposal-decide", args=[proposal.pk]), {"decision": "decline"})

    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter a reason for declining" in page
    proposal.refresh_from_db()
    assert proposal.status == ContactProposal.Status.PENDING


def test_deciding_without_choosing_gets_an_error_summary(client, editor, proposal):
    client.force_login(editor)

    response = client.post(reverse("directory:proposal-decide", args=[proposal.pk]), {})

    assert "Choose whether to accept or decline the proposal" in response.content.decode()


def test_deciding_an_already_decided_proposal_shows_an_error_and_sends_no_second_email(
    client, editor, proposal, contact_list
):
    proposal_decide(proposal=proposal, decided_by=editor, accept=True, reason="Yes")
    client.force_login(editor)

    response = client.post(
        reverse("directory:proposal-decide", args=[proposal.pk]),
        {"decision": "decline", "decision_reason": "No"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "This proposal was already accepted by Erin Editor" in page
    assert OutboxMessage.objects.count() == 1


def test_an_editor_adds_an_accepted_proposal_as_a_key_person(client, editor, proposal):
    proposal_decide(proposal=proposal, decided_by=editor, accept=True, reason="")
    client.force_login(editor)
    assert (
        "Add as key person"
        in client.get(reverse("directory:proposal-detail", args=[proposal.pk])).content.decode()
    )

    response = client.post(reverse("directory:proposal-add-key-person", args=[proposal.pk]), follow=True)

    assert "Priya Discharge was added to Provider A Care Ltd’s key people" in response.content.decode()
    assert ProviderPerson.objects.filter(provider=proposal.provider, full_name="Priya Discharge").exists()
