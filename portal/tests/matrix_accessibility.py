"""Permission-matrix rows: The accessibility statement and the session-timeout pages."""

from tests.permission_matrix import Row, signed_in

ROWS: list[Row] = [
    Row("accessibility_statement", signed_in(200, anonymous=200)),
    Row("session_status", signed_in(200)),
    Row("session_extend", signed_in(200), method="post"),
]
