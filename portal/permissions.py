"""Access rules shared by every part of the portal.

Signed-in is enforced for every page by LoginRequiredMiddleware. These helpers add role checks; records a
provider may not see are excluded from the queryset, so asking for one is a 404.
"""

from django.contrib.auth.mixins import UserPassesTestMixin

from portal import roles


def is_council_staff(user) -> bool:
    return (
        user.is_authenticated
        and (user.is_superuser or bool(roles.role_names(user) & roles.COUNCIL_ROLES))
        and (not user.provider_organisation_id)
    )


def has_role(user, *names: str) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(roles.role_names(user) & set(names)))


class CouncilStaffRequiredMixin(UserPassesTestMixin):
    """Council officers, directors and superusers only; anyone else signed in gets 403."""

    raise_exception = True

    def test_func(self) -> bool:
        return is_council_staff(self.request.user)
