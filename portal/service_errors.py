"""The base of every service's domain error: a message a person can act on, and the form field it is about."""


class ServiceError(Exception):
    """A change a service refuses; a view shows `message` against the form field `field`, or at the top if None."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
