import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from directory.models import ProviderOrganisation
from portal import roles
from portal.models import User
from tests.second_step import sign_in


def _seed(capsys) -> str:
    call_command("seed_demo")
    return capsys.readouterr().out


@pytest.mark.django_db
def test_seed_demo_creates_a_county_of_providers_and_the_demo_users(capsys, settings):
    output = _seed(capsys)

    assert ProviderOrganisation.objects.count() == 200
    assert set(ProviderOrganisation.objects.values_list("tier", flat=True)) == {1, 2, 3}
    assert settings.DEMO_PASSWORD in output
    provider_user = User.objects.get(email="provider@example.org")
    assert provider_user.provider_organisation is not None
    assert set(User.objects.get(email="director@example.org").role_names) == {roles.DIRECTOR}
    for email in ("officer@example.org", "director@example.org", "provider@example.org"):
        client = Client()
        response = sign_in(client, email, settings.DEMO_PASSWORD)
        assert response.status_code == 302 and response["Location"] == reverse("home"), email
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_running_seed_demo_again_changes_nothing(capsys):
    _seed(capsys)
    before = list(ProviderOrganisation.objects.order_by("pk").values_list("pk", "name", "tier", "updated_at"))
    links_before = ProviderOrganisation.areas.through.objects.count()

    output = _seed(capsys)

    created = re.search(r"Created: (.*)\.", output).group(1).split(", ")
    assert {"0 officers", "0 providers", "0 activities", "0 demo users"} <= set(created)
    assert all(count.startswith("0 ") for count in created), created
    assert (
        list(ProviderOrganisation.objects.order_by("pk").values_list("pk", "name", "tier", "updated_at"))
        == before
    )
    assert ProviderOrganisation.areas.through.objects.count() == links_before


@pytest.mark.django_db
def test_seed_demo_is_the_same_on_every_database(capsys):
    from directory.demo import provider_names

    _seed(capsys)

    assert provider_names(3) == provider_names(300)[:3]
    assert ProviderOrganisation.objects.filter(name=provider_names(1)[0]).exists()


@pytest.mark.django_db
def test_seed_demo_scale_multiplies_the_providers(capsys):
    call_command("seed_demo", "--scale", "2")

    assert ProviderOrganisation.objects.count() == 400


def test_demo_provider_names_stay_unique_up_to_scale_fifty():
    from directory.demo.providers import PROVIDERS_PER_SCALE, provider_names

    names = provider_names(PROVIDERS_PER_SCALE * 50)

    assert len(set(names)) == len(names) == 10_000
