"""Permission-matrix rows for the relationship survey's respond pages."""

from tests.permission_matrix import ROLES, Row, managers_only

EVERYONE = {role: 200 for role in ROLES}

ROWS: list = [
    Row(
        "surveys:invitations-send",
        managers_only(),
        kwargs=lambda objects: {"year": objects["cycle"].year},
        label="of the open cycle",
    ),
    Row(
        "surveys:respond",
        # The link is the key: it needs no sign-in, and who is signed in makes no difference.
        EVERYONE,
        kwargs=lambda objects: {"token": objects["invitation"].token},
        label="with an unused invitation",
    ),
    # An address that is no invitation's: the same "link not recognised" page for everyone, and it says nothing
    # about any invitation.
    Row(
        "surveys:respond",
        dict.fromkeys(ROLES, 404),
        kwargs=lambda objects: {"token": "not-an-invitation-token"},
        label="with an unknown link",
    ),
    Row("surveys:respond-thanks", EVERYONE),
]
