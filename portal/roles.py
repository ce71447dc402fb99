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


# What each role may do, as model permissions. A part of the portal that adds models adds its rows here.
_DIRECTORY_MODELS = [
    "directorate",
    "team",
    "officer",
    "responsibility",
    "providerorganisation",
    "providerperson",
    "providerassociation",
    "contactproposal",
    "handover",
]
_VIEW_DIRECTORY = [("directory", f"view_{model}") for model in _DIRECTORY_MODELS]
_EDIT_DIRECTORY = [
    ("directory", f"{action}_{model}")
    for model in _DIRECTORY_MODELS
    for action in ("add", "change", "delete")
]

_VIEW_CIRCULATION = [
    ("directory", f"view_{model}")
    for model in ("contactlistversion", "circulationrun", "circulationdelivery")
]
# Starting a circulation by hand, and re-sending to its failures.
_RUN_CIRCULATION = [("directory", "add_circulationrun"), ("directory", "change_circulationrun")]

_ENGAGEMENT_MODELS = [
    "engagementgroup",
    "termsofreference",
    "maturityassessment",
    "activity",
    "booking",
    "feedback",
    "activitynote",
    "action",
    "yousaidwedid",
]
_VIEW_ENGAGEMENT = [("engagement", f"view_{model}") for model in _ENGAGEMENT_MODELS]
# Officers put activities in the plan and record what happened at them.
_RUN_ACTIVITIES = [
    ("engagement", f"{action}_{model}")
    for model in ("activity", "booking", "activitynote", "action", "yousaidwedid")
    for action in ("add", "change")
]
# The engagement manager also keeps the groups, their terms of reference and maturity, and approves ad hoc ones.
_MANAGE_ENGAGEMENT = [
    ("engagement", f"{action}_{model}")
    for model in _ENGAGEMENT_MODELS
    for action in ("add", "change", "delete")
] + [("engagement", "approve_ad_hoc_activity")]

# Officers answer providers' enquiries: each step they take is an event in the enquiry's timeline.
_ANSWER_ENQUIRIES = [
    ("engagement", f"{action}_{model}")
    for model in ("enquiry", "enquiryevent")
    for action in ("view", "add", "change")
] + [("engagement", "view_enquiryattachment")]
# Directors read enquiries for the figures.
_VIEW_ENQUIRIES = [("engagement", "view_enquiry")]

_PARTNERSHIP_MODELS = [
    "partnershippilot",
    "strategicreason",
    "pilotpartner",
    "procurementrecord",
    "stagechange",
    "objective",
    "milestone",
    "risk",
    "progressentry",
    "evaluation",
    "objectiveoutcome",
    "lesson",
    "relationshipcheck",
    "relationshipcheckresponse",
    "relationshipcheckrating",
]
_VIEW_PARTNERSHIPS = [("partnerships", f"view_{model}") for model in _PARTNERSHIP_MODELS]
# Officers run pilots: propose them, move them through their stages, keep their plans and evaluate them.
_RUN_PARTNERSHIPS = [
    ("partnerships", f"{action}_{model}") for model in _PARTNERSHIP_MODELS for action in ("add", "change")
]
# The engagement manager, who leads the relationship with the market, may also remove what was entered in error.
_MANAGE_PARTNERSHIPS = [("partnerships", f"delete_{model}") for model in _PARTNERSHIP_MODELS]

# The engagement manager runs the relationship survey: its cycles, questionnaires and invitations, the live response
# rates, the results with their free text, and the export for analysts.
_RUN_SURVEY = [
    ("surveys", f"{action}_{model}")
    for model in ("surveycycle", "questionnaire", "question", "invitation")
    for action in ("view", "add", "change")
] + [
    ("surveys", "delete_question"),
    ("surveys", "view_response"),
    ("surveys", "view_free_text"),
    ("surveys", "export_response"),
]
# Directors read the results, free text included.
_READ_SURVEY = [
    ("surveys", "view_surveycycle"),
    ("surveys", "view_response"),
    ("surveys", "view_free_text"),
]

# The New Deal (principles/) and market direction with fees (market/), role by role.
# Council staff read drafts and see who has signed up (to chase them); the engagement manager writes and publishes.
_READ_PRINCIPLES = [("principles", "view_principlesversion"), ("principles", "view_signup_coverage")]
_PRINCIPLES_BY_ROLE: dict[str, list[tuple[str, str]]] = {
    OFFICER: _READ_PRINCIPLES,
    DIRECTORY_EDITOR: _READ_PRINCIPLES,
    ENGAGEMENT_MANAGER: _READ_PRINCIPLES
    + [
        ("principles", "add_principlesversion"),
        ("principles", "change_principlesversion"),
        ("principles", "publish_principlesversion"),
    ],
    DIRECTOR: _READ_PRINCIPLES,
}
_MARKET_MODELS = [
    "commissioningintention",
    "marketpositionstatement",
    "commercialopportunity",
    "feeexplanation",
]
# Council staff read market direction and fees, drafts included; only the engagement manager writes and publishes.
_READ_MARKET = [("market", f"view_{model}") for model in _MARKET_MODELS]
_MARKET_BY_ROLE: dict[str, list[tuple[str, str]]] = {
    OFFICER: _READ_MARKET,
    DIRECTORY_EDITOR: _READ_MARKET,
    DIRECTOR: _READ_MARKET,
    ENGAGEMENT_MANAGER: _READ_MARKET
    + [("market", f"{action}_{model}") for model in _MARKET_MODELS for action in ("add", "change")],
}

ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    OFFICER: _VIEW_DIRECTORY
    + _VIEW_CIRCULATION
    + _RUN_CIRCULATION
    + _VIEW_ENGAGEMENT
    + _RUN_ACTIVITIES
    + _ANSWER_ENQUIRIES
    + _VIEW_PARTNERSHIPS
    + _RUN_PARTNERSHIPS,
    DIRECTORY_EDITOR: _VIEW_DIRECTORY
    + _EDIT_DIRECTORY
    + _VIEW_CIRCULATION
    + _RUN_CIRCULATION
    + _VIEW_ENGAGEMENT
    + _RUN_ACTIVITIES
    + _ANSWER_ENQUIRIES
    + _VIEW_PARTNERSHIPS
    + _RUN_PARTNERSHIPS,
    ENGAGEMENT_MANAGER: _VIEW_DIRECTORY
    + _VIEW_CIRCULATION
    + _VIEW_ENGAGEMENT
    + _MANAGE_ENGAGEMENT
    + _ANSWER_ENQUIRIES
    + _VIEW_PARTNERSHIPS
    + _RUN_PARTNERSHIPS
    + _MANAGE_PARTNERSHIPS
    + _RUN_SURVEY,
    DIRECTOR: _VIEW_DIRECTORY
    + _VIEW_CIRCULATION
    + _VIEW_ENGAGEMENT
    + _VIEW_ENQUIRIES
    + _VIEW_PARTNERSHIPS
    + _READ_SURVEY,
    PROVIDER_USER: [],
}
for _role in ALL_ROLES:
    ROLE_PERMISSIONS[_role] = (
        ROLE_PERMISSIONS[_role] + _PRINCIPLES_BY_ROLE.get(_role, []) + _MARKET_BY_ROLE.get(_role, [])
    )


def role_permissions(user) -> frozenset[str]:
    """The "app_label.codename" permissions the user's roles hold, from the list above: no query beyond the roles.

    The groups hold exactly these (sync_role_permissions runs after every migrate), so a page can decide which
    actions to offer without loading every permission; each action's own page still checks `has_perm`.
    """
    cached = getattr(user, "_role_permissions", None)
    if cached is None:
        cached = frozenset(
            f"{app_label}.{codename}"
            for role in role_names(user)
            for app_label, codename in ROLE_PERMISSIONS.get(role, ())
        )
        user._role_permissions = cached
    return cached


def may(user, permission: str) -> bool:
    """Whether to offer the user an action that needs `permission` (see role_permissions)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or permission in role_permissions(user)


def sync_role_permissions(apps) -> None:
    """Make each role's group hold exactly the permissions above."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in codenames
        ]
        group.permissions.set(permissions)


def roles_after_migrate(**kwargs) -> None:
    """Keep the roles in step with ROLE_PERMISSIONS after every migrate, and after a test database is flushed.

    The data migration made the roles as they were then; this brings them up to date with the code.
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    # Other apps' permissions may not be made yet: post_migrate reaches the apps one at a time.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    sync_role_permissions(apps)
