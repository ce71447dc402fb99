import factory
from django.contrib.auth.models import Group

from directory.tests.factories import ProviderOrganisationFactory
from portal import roles as portal_roles
from portal.models import User

PASSWORD = "correct-horse-battery"


def _roles(*default: str) -> factory.PostGeneration:
    """Put the user in the named roles; `roles=[...]` at the call overrides the default."""

    def add_roles(user, create, extracted, **kwargs):
        names = extracted if extracted is not None else default
        if create and names:
            user.groups.set(Group.objects.filter(name__in=names))

    return factory.PostGeneration(add_roles)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password(PASSWORD)

    roles = _roles()


class OfficerFactory(UserFactory):
    roles = _roles(portal_roles.OFFICER)


class DirectorFactory(UserFactory):
    roles = _roles(portal_roles.DIRECTOR)


class ProviderUserFactory(UserFactory):
    provider_organisation = factory.SubFactory(ProviderOrganisationFactory)
    roles = _roles(portal_roles.PROVIDER_USER)


class SuperuserFactory(UserFactory):
    is_staff = True
    is_superuser = True
