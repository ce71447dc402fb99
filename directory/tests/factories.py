import factory

from directory.models import ProviderOrganisation


class ProviderOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderOrganisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Provider {n} Care Ltd")
    tier = ProviderOrganisation.Tier.THREE
