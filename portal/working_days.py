"""Working days in England: weekdays that are not English bank holidays.

Used wherever the council promises something "in N working days" (enquiry answers) or acts "on the first working
day" (the quarterly circulation).
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_after(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days fall after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def first_working_day_of_month(day: date) -> date:
    """The first working day of `day`'s month."""
    candidate = day.replace(day=1)
    while not is_working_day(candidate):
        candidate += timedelta(days=1)
    return candidate
