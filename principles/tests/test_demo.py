import pytest
from django.core.management import call_command

from directory.demo import demo_provider
from principles.demo import seed_principles
from principles.models import OfficerSignUp, PrinciplesVersion, ProviderSignUp

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(capsys):
    call_command("seed_demo")
    capsys.readouterr()


def test_the_demo_has_two_published_versions_with_fewer_signed_up_to_the_second(seeded):
    first, second = PrinciplesVersion.objects.order_by("number")

    assert first.is_published and second.is_published and second.what_changed
    assert first.published_at < second.published_at
    assert (
        ProviderSignUp.objects.filter(version=first).count()
        > ProviderSignUp.objects.filter(version=second).count()
    )
    assert OfficerSignUp.objects.filter(version=second).exists()


def test_the_demo_provider_has_still_to_sign_the_current_version(seeded):
    current = PrinciplesVersion.objects.current()

    assert not ProviderSignUp.objects.filter(version=current, organisation=demo_provider()).exists()


def test_seeding_again_adds_nothing(seeded):
    assert seed_principles(scale=1) == {"New Deal versions": 0, "provider sign-ups": 0, "officer sign-ups": 0}
