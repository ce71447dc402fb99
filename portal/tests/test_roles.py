import pytest
from django.contrib.auth.models import Group

from portal import roles
from portal.tests.factories import DirectorFactory, OfficerFactory, ProviderUserFactory, SuperuserFactory

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)


@pytest.mark.parametrize(
    ("role", "permission", "granted"),
    [
        (roles.OFFICER, "directory.view_providerorganisation", True),
        (roles.OFFICER, "directory.change_providerorganisation", False),
        (roles.DIRECTORY_EDITOR, "directory.change_providerorganisation", True),
        (roles.DIRECTOR, "directory.view_providerorganisation", True),
        (roles.PROVIDER_USER, "directory.view_providerorganisation", False),
    ],
)
def test_roles_hold_model_permissions(role, permission, granted):
    user = OfficerFactory(roles=[role])

    assert user.has_perm(permission) is granted


def test_home_page_kind_follows_the_role():
    assert roles.home_kind(ProviderUserFactory()) == "provider"
    assert roles.home_kind(DirectorFactory()) == "director"
    assert roles.home_kind(OfficerFactory()) == "officer"
    assert roles.home_kind(SuperuserFactory()) == "officer"


def test_roles_hold_exactly_the_permissions_the_code_lists():
    for role, codenames in roles.ROLE_PERMISSIONS.items():
        held = set(
            Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename")
        )
        assert held == set(codenames), role


@pytest.mark.django_db(transaction=True)
def test_roles_and_reference_data_come_back_after_the_database_is_flushed():
    from django.core.management import call_command

    from directory.models import Area, Topic

    call_command("flush", interactive=False, verbosity=0)

    assert Area.objects.count() == 4
    assert Topic.objects.filter(slug="safeguarding").exists()
    assert set(Group.objects.values_list("name", flat=True)) == set(roles.ALL_ROLES)
    assert OfficerFactory().has_perm("directory.view_providerorganisation")


@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_the_actions_offered_by_role_are_exactly_what_has_perm_allows(role):
    from django.contrib.auth.models import Permission

    user = OfficerFactory(roles=[role])
    every_permission = [
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list("content_type__app_label", "codename")
    ]

    offered = {permission for permission in every_permission if roles.may(user, permission)}

    assert offered == {permission for permission in every_permission if user.has_perm(permission)}
    # Providers reach their pages through scoping, not model permissions; every council role holds some.
    assert bool(offered) is (role != roles.PROVIDER_USER)


def test_superusers_are_offered_everything_and_inactive_users_nothing():
    superuser, officer = SuperuserFactory(), OfficerFactory()
    assert roles.may(superuser, "partnerships.delete_partnershippilot")
    officer.is_active = False
    assert not roles.may(officer, "partnerships.add_partnershippilot")
