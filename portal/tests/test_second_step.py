"""The second sign-in step: who takes it, setting up an app, codes right, wrong, reused and too many, recovery codes,
turning it off, and administrators' resets. Everyone here signs in through the pages, as a person would."""

import datetime as dt
import re
from email import message_from_bytes

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import OutboxMessage, RecoveryCode, SecondStepReset
from portal.second_step import services
from portal.tests.factories import PASSWORD, OfficerFactory, ProviderUserFactory, SuperuserFactory
from tests.logs import kept_log_records
from tests.second_step import authenticator_for, code_at, next_code, sign_in

pytestmark = pytest.mark.django_db

WHOS_WHO = "/directory/whos-who/"


@pytest.fixture
def refusals():
    """The refusal lines the second step writes to the log."""
    with kept_log_records("portal.second_step.services") as records:
        yield records


def password_only(client: Client, user, next_path: str = WHOS_WHO):
    return client.post(reverse("login"), {"username": user.email, "password": PASSWORD, "next": next_path})


def enter_code(client: Client, code: str, next_path: str = WHOS_WHO):
    return client.post(f"{reverse('second_step')}?next={next_path}", {"code": code})


def set_up_key(client: Client) -> str:
    """Open the set-up page and read the key it shows for typing into an app."""
    page = client.get(reverse("second_step_set_up")).content.decode()
    groups = re.search(r'app-setup-key">(.*?)</p>', page, re.S).group(1)
    return "".join(re.findall(r"<span>([A-Z2-7]+)</span>", groups))


def code_for_key(base32_key: str) -> str:
    from base64 import b32decode

    device = TOTPDevice(key=b32decode(base32_key + "=" * (-len(base32_key) % 8)).hex())
    return code_at(device)[1]


def errors_in(response) -> str:
    return response.content.decode()


# Who takes it --------------------------------------------------------------------------------------------------------


def test_an_officer_with_an_app_is_asked_for_a_code_before_any_page(client):
    officer = OfficerFactory()
    authenticator_for(officer)

    response = password_only(client, officer)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('second_step')}?next=%2Fdirectory%2Fwhos-who%2F"
    # Until the code, every other page sends them back to the step, keeping the page they asked for.
    page = client.get(WHOS_WHO)
    assert page.status_code == 302 and page["Location"].startswith(reverse("second_step"))
    assert client.get(reverse("home"))["Location"].startswith(reverse("second_step"))


def test_a_session_waiting_for_its_code_may_still_sign_out_and_read_the_public_pages(client):
    officer = OfficerFactory()
    authenticator_for(officer)
    password_only(client, officer)

    assert client.get(reverse("accessibility_statement")).status_code == 200
    assert client.get(reverse("session_status")).status_code == 200
    page = client.get(reverse("second_step")).content.decode()
    assert "Your account" not in page and "Who&#x27;s who" not in page, "the header offers only signing out"
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_the_right_code_signs_the_officer_in_to_the_page_they_asked_for(client):
    officer = OfficerFactory()
    device = authenticator_for(officer)
    password_only(client, officer)
    waiting_key = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    response = enter_code(client, next_code(device))

    assert response.status_code == 302 and response["Location"] == WHOS_WHO
    assert client.get(WHOS_WHO).status_code == 200
    assert client.cookies[django_settings.SESSION_COOKIE_NAME].value != waiting_key, (
        "a new session key once the step is taken"
    )


def test_an_officer_without_an_app_must_set_one_up_and_is_given_recovery_codes(client):
    officer = OfficerFactory()

    response = password_only(client, officer)
    assert response["Location"] == f"{reverse('second_step_set_up')}?next=%2Fdirectory%2Fwhos-who%2F"
    assert client.get(WHOS_WHO)["Location"].startswith(reverse("second_step_set_up"))
    key = set_up_key(client)
    assert set_up_key(client) == key, "reloading the page shows the same key"
    qr = client.get(reverse("second_step_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and qr.content.startswith(b"<svg")
    assert "no-store" in qr["Cache-Control"]

    response = client.post(f"{reverse('second_step_set_up')}?next={WHOS_WHO}", {"code": code_for_key(key)})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('second_step_recovery_codes')}?next={WHOS_WHO}"
    shown = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", shown)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "shown only once" in shown
    assert not re.findall(r"<code>", client.get(response["Location"]).content.decode()), "shown once only"
    assert client.get(WHOS_WHO).status_code == 200
    stored = list(RecoveryCode.objects.filter(user=officer).values_list("digest", flat=True))
    assert len(stored) == 10 and not set(codes) & set(stored), "only digests are kept"
    assert TOTPDevice.objects.get(user=officer).confirmed


def test_a_provider_where_the_step_is_offered_signs_in_with_a_password_and_is_encouraged(client):
    provider_user = ProviderUserFactory()

    response = password_only(client, provider_user, next_path="/")

    assert response["Location"] == "/"
    assert client.get(WHOS_WHO).status_code == 200
    account = client.get(reverse("account")).content.decode()
    assert "Protect your account" in account and "Set up an authenticator app" in account
    home = client.get(reverse("home")).content.decode()
    assert "second step" in home and reverse("second_step_set_up") in home


def test_a_provider_who_set_up_an_app_takes_the_step_from_then_on(client):
    provider_user = ProviderUserFactory()
    device = authenticator_for(provider_user)

    assert password_only(client, provider_user)["Location"].startswith(reverse("second_step"))
    assert enter_code(client, next_code(device))["Location"] == WHOS_WHO


def test_the_step_can_be_required_of_providers_too(client, settings):
    settings.SECOND_STEP_FOR_PROVIDERS = "required"
    provider_user = ProviderUserFactory()

    response = password_only(client, provider_user)

    assert response["Location"].startswith(reverse("second_step_set_up"))
    assert "Not now" not in client.get(reverse("second_step_set_up")).content.decode()


def test_a_session_from_before_the_step_existed_is_asked_for_it(client):
    officer = OfficerFactory()
    authenticator_for(officer)
    sign_in(client, officer.email, PASSWORD)
    session = client.session
    del session[services.SESSION_KEY]
    session.save()

    assert client.get(WHOS_WHO)["Location"].startswith(reverse("second_step"))


# Bad codes --------------------------------------------------------------------------------------------------------


def test_a_wrong_code_is_refused_clearly_and_logged(client, refusals):
    officer = OfficerFactory()
    device = authenticator_for(officer)
    password_only(client, officer)
    right = next_code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = enter_code(client, wrong)

    assert response.status_code == 200
    page = errors_in(response)
    assert "There is a problem" in page
    assert "The code is not right. Check your authenticator app and enter the code it shows now" in page
    assert client.get(WHOS_WHO).status_code == 302
    assert [(r.getMessage(), r.reason, r.user_id) for r in refusals] == [
        ("Second sign-in step refused", "wrong", officer.pk)
    ]
    assert right not in "".join(r.getMessage() for r in refusals)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("12 34", "Enter the 6-digit code from your authenticator app"),
        ("abcdef", "Enter the 6-digit code from your authenticator app"),
        ("1" * 20, "Enter the 6-digit code from your authenticator app"),
        ("1" * 21, "Ensure this value has at most 20 characters"),
        ("١٢٣٤٥٦", "Enter the 6-digit code from your authenticator app"),
    ],
)
def test_something_that_is_not_a_code_gets_a_clear_message_never_an_error(client, typed, message):
    officer = OfficerFactory()
    authenticator_for(officer)
    password_only(client, officer)

    response = enter_code(client, typed)

    assert response.status_code == 200
    assert message in errors_in(response)


def test_a_code_already_used_is_refused_as_used(client, refusals):
    officer = OfficerFactory()
    device = authenticator_for(officer)
    code = next_code(device)
    sign_in(client, officer.email, PASSWORD)  # uses the same code
    other = Client()
    password_only(other, officer)

    response = enter_code(other, code)

    assert response.status_code == 200
    assert "That code has been used already" in errors_in(response)
    assert refusals[-1].reason == "reused"


def test_spaces_and_a_code_typed_with_a_gap_are_accepted(client):
    officer = OfficerFactory()
    device = authenticator_for(officer)
    password_only(client, officer)
    code = next_code(device)

    assert enter_code(client, f" {code[:3]} {code[3:]} ")["Location"] == WHOS_WHO


def test_too_many_wrong_codes_pause_the_step_like_wrong_passwords(client, settings, refusals):
    settings.AXES_FAILURE_LIMIT = 3
    officer = OfficerFactory()
    device = authenticator_for(officer)
    password_only(client, officer)
    wrong = f"{(int(next_code(device)) + 7) % 1_000_000:06d}"
    for _ in range(3):
        assert enter_code(client, wrong).status_code == 200

    paused = enter_code(client, next_code(device))

    assert paused.status_code == 429
    assert "Too many wrong codes" in paused.content.decode()
    assert refusals[-1].reason == "paused"
    # The pause covers recovery codes too, and ends after the cool-off, as for passwords.
    assert client.post(reverse("second_step_recovery"), {"code": "abcde-fghjk"}).status_code == 429
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now()
        - dt.timedelta(hours=settings.AXES_COOLOFF_TIME, seconds=1)
    )
    assert enter_code(client, next_code(device))["Location"] == WHOS_WHO


def test_a_right_code_clears_the_count_of_wrong_ones(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    officer = OfficerFactory()
    device = authenticator_for(officer)
    password_only(client, officer)
    wrong = f"{(int(next_code(device)) + 7) % 1_000_000:06d}"
    enter_code(client, wrong)
    enter_code(client, wrong)
    enter_code(client, next_code(device))

    device.refresh_from_db()
    assert device.throttling_failure_count == 0


# Recovery codes -----------------------------------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once_and_says_how_many_are_left(client):
    officer = OfficerFactory()
    authenticator_for(officer)
    codes = services.recovery_codes_renew(user=officer)
    password_only(client, officer)

    response = client.post(f"{reverse('second_step_recovery')}?next={WHOS_WHO}", {"code": codes[0].upper()})

    assert response["Location"] == WHOS_WHO
    assert "You used a recovery code. You have 9 left." in client.get(WHOS_WHO).content.decode()
    again = Client()
    password_only(again, officer)
    refused = again.post(reverse("second_step_recovery"), {"code": codes[0]})
    assert refused.status_code == 200
    assert "The recovery code is not right, or has been used already" in refused.content.decode()


def test_after_a_lost_phone_a_recovery_code_then_a_new_app_replaces_the_old_one(client):
    officer = OfficerFactory()
    old = authenticator_for(officer)
    codes = services.recovery_codes_renew(user=officer)
    password_only(client, officer)
    client.post(reverse("second_step_recovery"), {"code": codes[3]})

    key = set_up_key(client)
    response = client.post(reverse("second_step_set_up"), {"code": code_for_key(key)})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).count() == 1
    assert RecoveryCode.objects.filter(user=officer, used_at__isnull=True).count() == 10


def test_a_new_app_cannot_be_set_up_by_someone_who_has_only_the_password(client):
    officer = OfficerFactory()
    authenticator_for(officer)
    password_only(client, officer)

    assert client.get(reverse("second_step_set_up"))["Location"].startswith(reverse("second_step"))
    assert client.get(reverse("second_step_qr")).status_code == 404
    assert not TOTPDevice.objects.filter(user=officer, confirmed=False).exists()


def test_new_recovery_codes_replace_the_old_ones(client):
    officer = OfficerFactory()
    authenticator_for(officer)
    old = services.recovery_codes_renew(user=officer)
    sign_in(client, officer.email, PASSWORD)

    response = client.post(reverse("recovery_codes_renew"))

    shown = client.get(response["Location"]).content.decode()
    new = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", shown)
    assert len(new) == 10 and not set(new) & set(old)
    other = Client()
    password_only(other, officer)
    assert other.post(reverse("second_step_recovery"), {"code": old[0]}).status_code == 200
    assert other.post(reverse("second_step_recovery"), {"code": new[0]}).status_code == 302


# Turning it off, and administrators' resets ---------------------------------------------------------------------------


def test_a_provider_may_turn_the_step_off_where_it_is_offered(client):
    provider_user = ProviderUserFactory()
    device = authenticator_for(provider_user)
    services.recovery_codes_renew(user=provider_user)
    password_only(client, provider_user)
    enter_code(client, next_code(device))

    assert client.get(reverse("second_step_turn_off")).status_code == 200
    assert client.post(reverse("second_step_turn_off"))["Location"] == reverse("account")

    assert not TOTPDevice.objects.filter(user=provider_user).exists()
    assert not RecoveryCode.objects.filter(user=provider_user).exists()
    assert password_only(Client(), provider_user, next_path="/")["Location"] == "/"


def test_staff_cannot_turn_the_step_off(client):
    officer = OfficerFactory()
    authenticator_for(officer)
    sign_in(client, officer.email, PASSWORD)

    assert client.post(reverse("second_step_turn_off")).status_code == 404
    assert TOTPDevice.objects.filter(user=officer).exists()


def test_an_administrator_resets_a_lost_second_step_and_the_person_is_signed_out_and_told(
    client, django_capture_on_commit_callbacks
):
    administrator = SuperuserFactory()
    officer = OfficerFactory(email="lost.phone@council.example.org")
    authenticator_for(officer)
    services.recovery_codes_renew(user=officer)
    theirs = Client()
    sign_in(theirs, officer.email, PASSWORD)
    sign_in(client, administrator.email, PASSWORD)

    with django_capture_on_commit_callbacks():
        response = client.post(
            reverse("second_step_reset"),
            {
                "email": "Lost.Phone@council.example.org",
                "reason": "Lost phone, called back",
                "identity_checked": "on",
            },
        )

    assert response.status_code == 302
    assert "signed out of 1 session and sent an email" in client.get(response["Location"]).content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not RecoveryCode.objects.filter(user=officer).exists()
    reset = SecondStepReset.objects.get()
    assert (reset.user, reset.reset_by, reset.reason) == (officer, administrator, "Lost phone, called back")
    assert theirs.get(WHOS_WHO)["Location"].startswith(reverse("login"))
    email = message_from_bytes(bytes(OutboxMessage.objects.get(recipients=[officer.email]).message))
    assert email["Subject"] == "Your sign-in second step was reset"
    # At their next sign-in they set up an app again.
    assert password_only(Client(), officer)["Location"].startswith(reverse("second_step_set_up"))
    assert Session.objects.count() >= 1


def test_a_reset_needs_a_known_address_a_reason_and_a_check_and_never_your_own(client):
    administrator = SuperuserFactory()
    sign_in(client, administrator.email, PASSWORD)

    empty = client.post(reverse("second_step_reset"), {}).content.decode()
    unknown = client.post(
        reverse("second_step_reset"),
        {"email": "nobody@example.org", "reason": "x", "identity_checked": "on"},
    ).content.decode()
    own = client.post(
        reverse("second_step_reset"),
        {"email": administrator.email, "reason": "x", "identity_checked": "on"},
    ).content.decode()

    assert "Enter the email address of the person whose second step to reset" in empty
    assert "Enter why you are resetting this person" in empty
    assert "Confirm that you have checked the request comes from this person" in empty
    assert "No account has that email address" in unknown
    assert "You cannot reset your own second step" in own
    assert not SecondStepReset.objects.exists()


def test_only_administrators_may_reset(client):
    officer = OfficerFactory()
    target = OfficerFactory()
    authenticator_for(target)
    sign_in(client, officer.email, PASSWORD)

    response = client.post(
        reverse("second_step_reset"), {"email": target.email, "reason": "x", "identity_checked": "on"}
    )

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=target).exists()


def test_the_account_page_reads_in_a_few_queries(client, django_assert_max_num_queries):
    officer = OfficerFactory()
    authenticator_for(officer)
    services.recovery_codes_renew(user=officer)
    sign_in(client, officer.email, PASSWORD)

    with django_assert_max_num_queries(8):
        page = client.get(reverse("account")).content.decode()

    assert "10 of 10" in page


def test_the_resets_list_reads_in_constant_queries(client, django_assert_max_num_queries):
    administrator = SuperuserFactory()
    for _ in range(5):
        SecondStepReset.objects.create(user=OfficerFactory(), reset_by=administrator, reason="Lost phone")
    sign_in(client, administrator.email, PASSWORD)

    with django_assert_max_num_queries(8):
        page = client.get(reverse("second_step_reset")).content.decode()

    assert page.count("Lost phone") == 5
