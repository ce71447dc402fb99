from django.db import models


class Heartbeat(models.Model):
    """The last time a scheduled task ran through the worker, one row per source."""

    source = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.source} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
