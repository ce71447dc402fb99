from .base import TimeStampedModel
from .heartbeat import Heartbeat
from .outbox import OutboxMessage
from .second_step import RecoveryCode, SecondStepReset
from .users import User

__all__ = ["Heartbeat", "OutboxMessage", "RecoveryCode", "SecondStepReset", "TimeStampedModel", "User"]
