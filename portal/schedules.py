"""Every periodic task of the portal, in one place.

They are written to django-celery-beat's tables after each migrate, only when missing, so that an
administrator's later changes in the admin are kept.
"""

SCHEDULES = [
    # (name, task, every N seconds)
    ("Record the worker heartbeat", "portal.tasks.record_heartbeat", 60),
    ("Deliver due outbox messages", "portal.tasks.flush_outbox", 60),
]


def ensure_periodic_tasks(**kwargs) -> None:
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    for name, task, every in SCHEDULES:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        interval, _ = IntervalSchedule.objects.get_or_create(every=every, period=IntervalSchedule.SECONDS)
        PeriodicTask.objects.create(name=name, task=task, interval=interval)
