"""The second sign-in step in tests: an authenticator with a known key, its codes, and skipping the step on purpose.

`client.force_login` skips the password, and the root conftest makes it skip the second step too (as the bench
does with `pass_second_step`); the second step's own tests sign in through the pages.
"""

import time

from django.test.client import ClientMixin
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.second_step import services

# A key only tests and the demo use (20 bytes, as hex). The demo's is documented in the README.
TEST_KEY = "3132333435363738393031323334353637383930"

FORCE_LOGIN = ClientMixin.force_login


def authenticator_for(user, *, key: str = TEST_KEY) -> TOTPDevice:
    """The person's confirmed authenticator app, made once."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", key=key, confirmed=True)
    return device


def code_at(device: TOTPDevice, *, steps_from_now: int = 0) -> tuple[int, str]:
    """The time step and the code the app shows `steps_from_now` steps from now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_from_now * device.step
    return totp.t(), f"{totp.token():0{device.digits}d}"


def next_code(device: TOTPDevice) -> str:
    """A code the portal will accept now: the current one, or the next one if the current one has been used."""
    device.refresh_from_db()
    for steps in (0, 1):
        step, code = code_at(device, steps_from_now=steps)
        if step > device.last_t:
            return code
    raise AssertionError("Both codes the portal would accept now have been used")


def pass_second_step(client) -> None:
    """Mark a test client's session as past the second step (after force_login)."""
    session = client.session
    session[services.SESSION_KEY] = services.PASSED
    session.save()


def force_login_and_pass(self, user, backend=None) -> None:
    FORCE_LOGIN(self, user, backend)
    pass_second_step(self)


def sign_in(client, email: str, password: str, *, next_path: str = ""):
    """Sign in through the pages, as a person would: the password, then (where the account takes one) the code.

    An account that must take the second step is given an authenticator first. Returns the last response.
    """
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    user = get_user_model().objects.filter(email__iexact=email).first()
    device = authenticator_for(user) if user is not None and services.required_for(user) else None
    data = {"username": email, "password": password} | ({"next": next_path} if next_path else {})
    response = client.post(reverse("login"), data)
    if (
        device is not None
        and response.status_code == 302
        and response["Location"].startswith(reverse("second_step"))
    ):
        response = client.post(response["Location"], {"code": next_code(device)})
    return response
