"""Permission-matrix rows: the second sign-in step's pages, for sessions that have taken it (the matrix signs in by
force_login, which passes it). Sessions still waiting for it are tested in test_second_step.py."""

from tests.permission_matrix import Row, signed_in

_ADMINISTRATORS = {**signed_in(403), "superuser": 200}

ROWS: list[Row] = [
    # Taken already: on to the page asked for.
    Row("second_step", signed_in(302)),
    Row("second_step_recovery", signed_in(302)),
    Row("second_step_set_up", signed_in(200)),
    Row("second_step_qr", signed_in(200)),
    Row("second_step_recovery_codes", signed_in(200)),
    Row("account", signed_in(200)),
    # Nobody in the matrix has an app yet: back to the account page to set one up.
    Row("recovery_codes_renew", signed_in(302), method="post"),
    # Staff must keep the step; providers' staff have none to turn off.
    Row("second_step_turn_off", signed_in(404)),
    Row("second_step_reset", _ADMINISTRATORS),
    Row("second_step_reset", _ADMINISTRATORS, method="post", label="empty form"),
]
