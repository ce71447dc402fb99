from django.conf import settings

from portal import roles


def service(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
        "home_kind": roles.home_kind(user) if user is not None and user.is_authenticated else None,
    }
