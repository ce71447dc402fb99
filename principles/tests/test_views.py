import pytest
from django.urls import reverse

from directory.tests.factories import OfficerFactory, ProviderOrganisationFactory
from portal import roles
from portal.tests.factories import DirectorFactory, ProviderUserFactory
from portal.tests.factories import OfficerFactory as OfficerUserFactory
from principles.models import OfficerSignUp, PrinciplesVersion, ProviderSignUp
from principles.tests.factories import PrinciplesVersionFactory, ProviderSignUpFactory, draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider_user():
    return ProviderUserFactory(full_name="Pat Owner")


@pytest.fixture
def manager():
    return OfficerUserFactory(roles=[roles.OFFICER, roles.ENGAGEMENT_MANAGER])


def _sign_url(version, organisation):
    return reverse("principles:sign-provider", args=[version.number, organisation.pk])


def test_a_provider_reads_the_current_version_and_is_asked_to_sign(client, provider_user):
    PrinciplesVersionFactory(number=1, body="We share information <early>.\n\nWe pay on time.")
    client.force_login(provider_user)

    page = client.get(reverse("principles:current")).content.decode()

    assert "Your organisation has not yet signed up to version 1" in page
    assert "<p>We share information &lt;early&gt;.</p>" in page
    assert _sign_url(PrinciplesVersion.objects.get(), provider_user.provider_organisation) in page


def test_a_provider_signs_for_their_organisation(client, provider_user):
    version = PrinciplesVersionFactory(number=1)
    client.force_login(provider_user)

    response = client.post(
        _sign_url(version, provider_user.provider_organisation),
        {"signer_name": "Pat Owner", "signer_role": "Managing director", "entitled": "on"},
        follow=True,
    )

    assert "has signed up to version 1 of the New Deal" in response.content.decode()
    assert "signed up to version 1 on" in response.content.decode()
    assert ProviderSignUp.objects.get().signer_role == "Managing director"


def test_signing_without_declaring_entitlement_shows_the_error(client, provider_user):
    version = PrinciplesVersionFactory(number=1)
    client.force_login(provider_user)

    response = client.post(
        _sign_url(version, provider_user.provider_organisation),
        {"signer_name": "Pat", "signer_role": "Owner"},
    )

    assert response.status_code == 200
    assert "Confirm that you are entitled to act for your organisation" in response.content.decode()
    assert not ProviderSignUp.objects.exists()


def test_signing_again_shows_who_signed_and_when(client, provider_user):
    version = PrinciplesVersionFactory(number=1)
    ProviderSignUpFactory(
        version=version, organisation=provider_user.provider_organisation, signer_name="Sam Lee"
    )
    client.force_login(provider_user)

    response = client.post(
        _sign_url(version, provider_user.provider_organisation),
        {"signer_name": "Pat", "signer_role": "Owner", "entitled": "on"},
    )

    assert "Your organisation already signed version 1 on" in response.content.decode()
    assert "by Sam Lee" in response.content.decode()
    assert ProviderSignUp.objects.count() == 1


def test_signing_a_replaced_version_links_to_the_current_one(client, provider_user):
    old = PrinciplesVersionFactory(number=1)
    PrinciplesVersionFactory(number=2)
    client.force_login(provider_user)

    page = client.get(_sign_url(old, provider_user.provider_organisation)).content.decode()

    assert "Version 1 has been replaced: read and sign the current version, version 2" in page
    assert 'name="entitled"' not in page


def test_a_provider_cannot_sign_for_another_organisation(client, provider_user):
    version = PrinciplesVersionFactory(number=1)
    client.force_login(provider_user)

    response = client.post(
        _sign_url(version, ProviderOrganisationFactory()),
        {"signer_name": "Pat", "signer_role": "Owner", "entitled": "on"},
    )

    assert response.status_code == 404
    assert not ProviderSignUp.objects.exists()


def test_providers_never_see_drafts(client, provider_user):
    PrinciplesVersionFactory(number=1)
    draft(number=2, title="Secret draft")
    client.force_login(provider_user)

    assert client.get(reverse("principles:version", args=[2])).status_code == 404
    assert "Secret draft" not in client.get(reverse("principles:versions")).content.decode()
    assert "Secret draft" not in client.get(reverse("principles:current")).content.decode()


def test_an_engagement_manager_writes_and_publishes_a_version(client, manager):
    PrinciplesVersionFactory(number=1)
    client.force_login(manager)

    response = client.post(
        reverse("principles:version-add"),
        {
            "title": "Working together",
            "body": "We share.\n\nWe pay on time.",
            "what_changed": "Adds paying on time",
        },
    )
    assert response.status_code == 302
    response = client.post(reverse("principles:version-publish", args=[2]), follow=True)

    assert "Version 2 published" in response.content.decode()
    assert PrinciplesVersion.objects.current().number == 2


def test_a_version_without_a_title_shows_the_error_summary(client, manager):
    client.force_login(manager)

    response = client.post(reverse("principles:version-add"), {"title": "", "body": ""})

    page = response.content.decode()
    assert "govuk-error-summary" in page and "Enter a title" in page


def test_an_officer_signs_in_person(client):
    user = OfficerUserFactory()
    OfficerFactory(user=user)
    version = PrinciplesVersionFactory(number=1)
    client.force_login(user)

    response = client.post(reverse("principles:sign-officer", args=[version.number]), follow=True)

    assert "You have signed up to version 1" in response.content.decode()
    assert OfficerSignUp.objects.get().signed_by == user


def test_a_council_user_without_a_whos_who_entry_is_told_why(client):
    version = PrinciplesVersionFactory(number=1)
    client.force_login(OfficerUserFactory())

    page = client.get(reverse("principles:sign-officer", args=[version.number])).content.decode()

    assert "not linked to an entry in the who&#x27;s-who" in page


def _coverage_data(providers: int) -> PrinciplesVersion:
    version = PrinciplesVersionFactory(number=1)
    for index in range(providers):
        organisation = ProviderOrganisationFactory()
        if index % 2:
            ProviderSignUpFactory(version=version, organisation=organisation)
        officer = OfficerFactory()
        if index % 3:
            OfficerSignUp.objects.create(version=version, officer=officer, signed_at=version.published_at)
    return version


# Session, user, the user's and the roles' permissions; the current version; every count, in one query
# (providers by tier, type of service and area, officers by team); the roles (for the header).
COVERAGE_QUERIES = 7


@pytest.mark.parametrize("size", [2, 12])
def test_coverage_asks_the_same_queries_whatever_the_numbers(client, django_assert_num_queries, size):
    _coverage_data(size)
    client.force_login(DirectorFactory())

    with django_assert_num_queries(COVERAGE_QUERIES):
        response = client.get(reverse("principles:coverage"))

    page = response.content.decode()
    assert f"{size // 2} of {size}" in page


# Session, user, the user's and the roles' permissions, roles; the current version; the page of providers with
# contract managers and its count; the areas and service types to filter by.
PROVIDERS_NOT_SIGNED_QUERIES = 10


@pytest.mark.parametrize("size", [2, 12])
def test_providers_not_signed_asks_the_same_queries_whatever_the_numbers(
    client, django_assert_num_queries, size
):
    _coverage_data(size)
    client.force_login(DirectorFactory())

    with django_assert_num_queries(PROVIDERS_NOT_SIGNED_QUERIES):
        response = client.get(reverse("principles:providers-not-signed"), {"tier": "3"})

    assert len(response.context["providers"]) == size - size // 2


# Session, user, the user's and the roles' permissions, roles; the current version; the page of officers with
# teams and its count; the directorates and teams to filter by.
OFFICERS_NOT_SIGNED_QUERIES = 10


@pytest.mark.parametrize("size", [2, 12])
def test_officers_not_signed_asks_the_same_queries_whatever_the_numbers(
    client, django_assert_num_queries, size
):
    _coverage_data(size)
    client.force_login(DirectorFactory())

    with django_assert_num_queries(OFFICERS_NOT_SIGNED_QUERIES):
        response = client.get(reverse("principles:officers-not-signed"))

    assert len(response.context["officers"]) == len(range(0, size, 3))


def test_a_filter_choice_that_is_not_on_the_list_is_an_error_not_a_failure(client):
    _coverage_data(2)
    client.force_login(DirectorFactory())

    response = client.get(reverse("principles:providers-not-signed"), {"tier": "9", "area": "atlantis"})

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_the_history_lists_every_version_with_what_changed(client, provider_user):
    PrinciplesVersionFactory(number=1, what_changed="")
    PrinciplesVersionFactory(number=2, what_changed="Adds paying on time")
    client.force_login(provider_user)

    page = client.get(reverse("principles:versions")).content.decode()

    assert "First version" in page and "Adds paying on time" in page


@pytest.mark.parametrize("size", [2, 12])
def test_the_directors_overview_shows_the_sign_up_shares(client, django_assert_max_num_queries, size):
    from surveys.tests.test_overview import OVERVIEW_MAX_QUERIES

    _coverage_data(size)
    client.force_login(DirectorFactory())
    client.get(reverse("surveys:overview"))  # the enquiry figures are counted and kept on the first visit

    with django_assert_max_num_queries(OVERVIEW_MAX_QUERIES):
        response = client.get(reverse("surveys:overview"))

    page = response.content.decode()
    assert 'data-panel="new-deal"' in page and f">{50}%<" in page
    assert reverse("principles:coverage") in page


def test_the_organisations_name_is_escaped_on_the_sign_up_form(client):
    organisation = ProviderOrganisationFactory(name="<script>alert(1)</script> Care")
    user = ProviderUserFactory(provider_organisation=organisation)
    version = PrinciplesVersionFactory(number=1)
    client.force_login(user)

    page = client.get(_sign_url(version, organisation)).content.decode()

    assert "<script>alert(1)" not in page
    assert "I am entitled to act for &lt;script&gt;alert(1)&lt;/script&gt; Care" in page
