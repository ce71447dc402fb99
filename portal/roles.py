"""The portal's roles. Each is a Django group holding model permissions, created by a data migration."""

OFFICER = "Officer"
DIRECTORY_EDITOR = "Directory editor"
ENGAGEMENT_MANAGER = "Engagement manager"
DIRECTOR = "Director"
PROVIDER_USER = "Provider user"

ALL_ROLES = (OFFICER, DIRECTORY_EDITOR, ENGAGEMENT_MANAGER, DIRECTOR, PROVIDER_USER)
COUNCIL_ROLES = frozenset({OFFICER, DIRECTORY_EDITOR, ENGAGEMENT_MANAGER, DIRECTOR})


def role_names(user) -> frozenset[str]:
    """The names of the user's roles, read once per user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def home_kind(user) -> str:
    """Which home page a signed-in user sees: provider, director or officer."""
    if getattr(user, "provider_organisation_id", None):
        return "provider"
    if DIRECTOR in role_names(user):
        return "director"
    return "officer"
