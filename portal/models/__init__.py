from .base import TimeStampedModel
from .heartbeat import Heartbeat
from .outbox import OutboxMessage
from .users import User

__all__ = ["Heartbeat", "OutboxMessage", "TimeStampedModel", "User"]
