"""The demo staff accounts' authenticator: a published key, so that anyone trying the portal can take the step."""

from base64 import b32decode

from django.conf import settings
from django_otp.oath import totp


def demo_authenticator_hex_key() -> str:
    key = settings.DEMO_AUTHENTICATOR_KEY.replace(" ", "").upper()
    return b32decode(key + "=" * (-len(key) % 8)).hex()


def demo_code() -> str:
    """The code an app set up with the demo key shows now."""
    return f"{totp(bytes.fromhex(demo_authenticator_hex_key())):06d}"
