import pytest
from django.db import IntegrityError

from directory.tests.factories import OfficerFactory, ProviderOrganisationFactory
from portal import roles
from portal.tests.factories import OfficerFactory as OfficerUserFactory
from portal.tests.factories import ProviderUserFactory
from principles.models import OfficerSignUp, PrinciplesVersion, ProviderSignUp
from principles.services import signups, versions
from principles.services.versions import PrinciplesError
from principles.tests.factories import PrinciplesVersionFactory, ProviderSignUpFactory, draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return OfficerUserFactory(roles=[roles.OFFICER, roles.ENGAGEMENT_MANAGER])


@pytest.fixture
def provider_user():
    return ProviderUserFactory(full_name="Pat Owner")


def _sign(version, user, **changes):
    data = {"signer_name": "Pat Owner", "signer_role": "Owner", "entitled": True, **changes}
    return signups.provider_sign_up(version=version, organisation=user.provider_organisation, by=user, **data)


def test_a_new_version_is_a_draft_numbered_after_the_last(manager):
    PrinciplesVersionFactory(number=1)

    version = versions.version_create(
        by=manager, title="Working together", body="We share.", what_changed="More"
    )

    assert (version.number, version.status) == (2, PrinciplesVersion.Status.DRAFT)
    assert version.history.count() == 1


def test_a_second_draft_is_refused_while_one_exists(manager):
    draft(number=1)

    with pytest.raises(PrinciplesError, match="Version 1 is already a draft"):
        versions.version_create(by=manager, title="Another", body="Text")


def test_the_database_holds_one_draft_at_a_time():
    draft(number=1)

    with pytest.raises(IntegrityError):
        draft(number=2)


def test_a_later_version_must_say_what_changed(manager):
    PrinciplesVersionFactory(number=1)

    with pytest.raises(PrinciplesError) as refused:
        versions.version_create(by=manager, title="Working together", body="We share.", what_changed=" ")

    assert refused.value.field == "what_changed"


def test_publishing_records_who_approved_it_and_makes_it_current(manager):
    PrinciplesVersionFactory(number=1)
    version = draft(number=2)

    versions.version_publish(version=version, by=manager)

    version.refresh_from_db()
    assert version.is_published and version.published_by == manager and version.published_at
    assert PrinciplesVersion.objects.current() == version


def test_only_an_engagement_manager_publishes():
    officer = OfficerUserFactory()
    version = draft(number=1)

    with pytest.raises(PrinciplesError, match="Only an engagement manager"):
        versions.version_publish(version=version, by=officer)
    assert PrinciplesVersion.objects.current() is None


def test_a_published_version_is_never_changed(manager):
    version = PrinciplesVersionFactory(number=1)

    with pytest.raises(PrinciplesError, match="no longer be changed"):
        versions.version_update(version=version, by=manager, title="New", body="New")


def test_a_provider_user_signs_the_current_version_for_their_organisation(provider_user):
    version = PrinciplesVersionFactory(number=1)

    sign_up = _sign(version, provider_user, signer_role="Nominated individual")

    assert sign_up.organisation == provider_user.provider_organisation
    assert (sign_up.signer_name, sign_up.signer_role, sign_up.signed_by) == (
        "Pat Owner",
        "Nominated individual",
        provider_user,
    )


def test_signing_twice_says_when_and_by_whom_and_makes_no_duplicate(provider_user):
    version = PrinciplesVersionFactory(number=3)
    _sign(version, provider_user)

    with pytest.raises(PrinciplesError, match=r"already signed version 3 on .*, by Pat Owner \(Owner\)"):
        _sign(version, provider_user)
    assert ProviderSignUp.objects.count() == 1


def test_the_database_refuses_a_second_sign_up_to_the_same_version():
    sign_up = ProviderSignUpFactory()

    with pytest.raises(IntegrityError):
        ProviderSignUpFactory(version=sign_up.version, organisation=sign_up.organisation)


def test_signing_a_replaced_version_points_at_the_current_one(provider_user):
    old = PrinciplesVersionFactory(number=1)
    PrinciplesVersionFactory(number=2)

    with pytest.raises(PrinciplesError, match="sign the current version, version 2"):
        _sign(old, provider_user)
    assert not ProviderSignUp.objects.exists()


def test_a_draft_cannot_be_signed(provider_user):
    PrinciplesVersionFactory(number=1)
    version = draft(number=2)

    with pytest.raises(PrinciplesError, match="not published"):
        _sign(version, provider_user)


def test_nobody_signs_for_an_organisation_they_do_not_belong_to(provider_user):
    version = PrinciplesVersionFactory(number=1)
    other = ProviderOrganisationFactory()

    with pytest.raises(PrinciplesError, match="only sign up for the organisation you belong to"):
        signups.provider_sign_up(
            version=version,
            organisation=other,
            by=provider_user,
            signer_name="P",
            signer_role="O",
            entitled=True,
        )
    assert not ProviderSignUp.objects.exists()


def test_signing_for_an_organisation_needs_the_declaration_of_entitlement(provider_user):
    version = PrinciplesVersionFactory(number=1)

    with pytest.raises(PrinciplesError) as refused:
        _sign(version, provider_user, entitled=False)

    assert refused.value.field == "entitled"


def test_a_new_version_asks_everyone_again(provider_user, manager):
    first = PrinciplesVersionFactory(number=1)
    _sign(first, provider_user)
    second = versions.version_publish(version=draft(number=2, what_changed="Adds fees"), by=manager)

    sign_up = _sign(second, provider_user)

    assert sign_up.version == second
    assert ProviderSignUp.objects.filter(organisation=provider_user.provider_organisation).count() == 2


def test_an_officer_signs_in_person_through_their_whos_who_entry():
    user = OfficerUserFactory()
    officer = OfficerFactory(user=user)
    version = PrinciplesVersionFactory(number=1)

    signups.officer_sign_up(version=version, officer=officer, by=user)

    with pytest.raises(PrinciplesError, match="You already signed version 1"):
        signups.officer_sign_up(version=version, officer=officer, by=user)
    assert OfficerSignUp.objects.get().signed_by == user


def test_an_officer_without_a_whos_who_entry_is_told_why_they_cannot_sign():
    user = OfficerUserFactory()
    version = PrinciplesVersionFactory(number=1)

    with pytest.raises(PrinciplesError, match="not linked to an entry in the who's-who"):
        signups.officer_sign_up(version=version, officer=None, by=user)


def test_nobody_signs_as_someone_elses_whos_who_entry():
    user = OfficerUserFactory()
    someone_else = OfficerFactory(user=OfficerUserFactory())
    version = PrinciplesVersionFactory(number=1)

    with pytest.raises(PrinciplesError):
        signups.officer_sign_up(version=version, officer=someone_else, by=user)


def test_publishing_emails_each_providers_nominated_individuals_through_the_outbox(
    manager, smtp_sink, django_capture_on_commit_callbacks
):
    from directory.models import ProviderPerson
    from directory.tests.factories import ProviderPersonFactory
    from portal.models import OutboxMessage

    riverside = ProviderOrganisationFactory(name="Riverside Home Care Ltd")
    ProviderPersonFactory(
        provider=riverside, role=ProviderPerson.Role.NOMINATED_INDIVIDUAL, email="ni@riverside.example.org"
    )
    ProviderPersonFactory(
        provider=riverside, role=ProviderPerson.Role.FINANCE, email="pay@riverside.example.org"
    )
    closed = ProviderOrganisationFactory(is_active=False)
    ProviderPersonFactory(
        provider=closed, role=ProviderPerson.Role.NOMINATED_INDIVIDUAL, email="ni@closed.example.org"
    )
    PrinciplesVersionFactory(number=1)

    with django_capture_on_commit_callbacks(execute=True):
        versions.version_publish(version=draft(number=2, what_changed="Adds paying on time"), by=manager)

    message = OutboxMessage.objects.get()
    assert message.recipients == ["ni@riverside.example.org"]
    assert message.subject == "The New Deal, version 2: please sign up again for Riverside Home Care Ltd"
    assert [rcpt for envelope in smtp_sink.messages for rcpt in envelope.rcpt_tos] == [
        "ni@riverside.example.org"
    ]
    assert b"/new-deal/versions/2/sign/organisation/" in smtp_sink.messages[0].content


def test_a_refused_publication_sends_nothing():
    from portal.models import OutboxMessage

    version = draft(number=1)

    with pytest.raises(PrinciplesError):
        versions.version_publish(version=version, by=OfficerUserFactory())
    assert not OutboxMessage.objects.exists()


def test_a_sign_up_made_a_moment_earlier_by_someone_else_is_a_clear_refusal(provider_user):
    version = PrinciplesVersionFactory(number=1)
    ProviderSignUpFactory(version=version, organisation=provider_user.provider_organisation)
    racing = ProviderSignUp(
        version=version,
        organisation=provider_user.provider_organisation,
        signer_name="Pat Owner",
        signer_role="Owner",
        signed_at=version.published_at,
    )

    with pytest.raises(PrinciplesError, match="Version 1 has just been signed"):
        signups._save(racing)
    assert ProviderSignUp.objects.count() == 1
