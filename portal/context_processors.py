from django.conf import settings

from portal import roles
from portal.second_step import services as second_step


def service(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
        "home_kind": roles.home_kind(user) if user is not None and user.is_authenticated else None,
        # Before the second step the header offers only signing out.
        "second_step_waiting": hasattr(request, "session")
        and request.session.get(second_step.SESSION_KEY) in second_step.WAITING,
        "second_step_offered": hasattr(request, "session")
        and request.session.get(second_step.SESSION_KEY) == second_step.OFFERED,
    }
