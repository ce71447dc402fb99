import factory

from directory.models import (
    Area,
    ContactProposal,
    Directorate,
    Officer,
    ProviderAssociation,
    ProviderOrganisation,
    ProviderPerson,
    Responsibility,
    ServiceType,
    Team,
    Topic,
)


def area(slug: str) -> Area:
    """One of the four areas made by migration: north-east, mid, south, west."""
    return Area.objects.get(slug=slug)


def service_type(slug: str) -> ServiceType:
    return ServiceType.objects.get(slug=slug)


def topic(slug: str) -> Topic:
    return Topic.objects.get(slug=slug)


class DirectorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directorate
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Directorate {n}")
    slug = factory.Sequence(lambda n: f"directorate-{n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    directorate = factory.SubFactory(DirectorateFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    mailbox = factory.Sequence(lambda n: f"team{n}@council.example.org")
    phone = "0300 555 0100"


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer
        skip_postgeneration_save = True

    full_name = factory.Faker("name", locale="en_GB")
    job_title = "Contract officer"
    team = factory.SubFactory(TeamFactory)
    email = factory.Sequence(lambda n: f"officer{n}@council.example.org")
    phone = "0300 555 0101"

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responsibility
        skip_postgeneration_save = True

    topic = factory.LazyFunction(lambda: Topic.objects.get(slug="safeguarding"))
    officer = factory.SubFactory(OfficerFactory)
    team = factory.SelfAttribute("officer.team")

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def service_types(self, create, extracted, **kwargs):
        if create and extracted:
            self.service_types.set(extracted)


class ProviderAssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderAssociation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Provider Association {n}")


class ProviderOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderOrganisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Provider {n} Care Ltd")
    tier = ProviderOrganisation.Tier.THREE
    location_id = factory.Sequence(lambda n: f"1-{1000000000 + n}")

    class Params:
        tier_one = factory.Trait(
            tier=ProviderOrganisation.Tier.ONE, contract_manager=factory.SubFactory(OfficerFactory)
        )


class ProviderPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderPerson

    provider = factory.SubFactory(ProviderOrganisationFactory)
    full_name = factory.Faker("name", locale="en_GB")
    role = ProviderPerson.Role.REGISTERED_MANAGER
    email = factory.Sequence(lambda n: f"manager{n}@provider.example.org")
    receives_contact_list = True


class ContactProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactProposal

    provider = factory.SubFactory(ProviderOrganisationFactory)
    name = factory.Faker("name", locale="en_GB")
    role = "Hospital discharge lead"
    reason = "We work with them every week on discharges."
