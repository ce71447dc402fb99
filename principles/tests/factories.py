import datetime as dt

import factory
from django.utils import timezone

from directory.tests.factories import OfficerFactory, ProviderOrganisationFactory
from principles.models import OfficerSignUp, PrinciplesVersion, ProviderSignUp


class PrinciplesVersionFactory(factory.django.DjangoModelFactory):
    """A published version; `status=PrinciplesVersion.Status.DRAFT, published_at=None` for a draft."""

    class Meta:
        model = PrinciplesVersion

    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Working together, version {n + 1}")
    body = "We share information early.\n\nWe involve providers in decisions that affect the people they support."
    what_changed = "Adds a principle on paying on time."
    status = PrinciplesVersion.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))


def draft(**kwargs) -> PrinciplesVersion:
    return PrinciplesVersionFactory(status=PrinciplesVersion.Status.DRAFT, published_at=None, **kwargs)


class ProviderSignUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderSignUp

    version = factory.SubFactory(PrinciplesVersionFactory)
    organisation = factory.SubFactory(ProviderOrganisationFactory)
    signer_name = "Pat Owner"
    signer_role = "Managing director"
    signed_at = factory.LazyFunction(timezone.now)


class OfficerSignUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficerSignUp

    version = factory.SubFactory(PrinciplesVersionFactory)
    officer = factory.SubFactory(OfficerFactory)
    signed_at = factory.LazyFunction(timezone.now)
