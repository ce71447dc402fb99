"""Permission-matrix rows: Single sign-on with the council's identity provider (OpenID Connect).

ROWS hold with single sign-on switched off, as the suite's settings have it: its addresses are a 404 for everyone.
ENABLED_ROWS hold with it switched on; test_single_sign_on.py runs them against a real local identity provider.
"""

from tests.permission_matrix import ROLES, Row, signed_in

ROWS: list[Row] = [
    Row("council_sign_in", dict.fromkeys(ROLES, 404), label="switched off"),
    Row("council_sign_in_callback", dict.fromkeys(ROLES, 404), label="switched off"),
]

ENABLED_ROWS: list[Row] = [
    # Both ways in: the sign-in page (password form and council button), and the council account.
    Row("login", {**signed_in(302), "anonymous": 200}, label="switched on"),
    # Everyone is sent on to the identity provider; who may sign in is decided when it answers.
    Row("council_sign_in", dict.fromkeys(ROLES, 302), label="switched on"),
    # With no sign-in under way, the answer address refuses everyone.
    Row(
        "council_sign_in_callback", dict.fromkeys(ROLES, 403), label="switched on, with no sign-in under way"
    ),
]
