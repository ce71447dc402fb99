"""No overbooking, ever: many providers asking at once for the last places of a forum on PostgreSQL."""

import threading
from collections import Counter

import pytest
from django.db import connection

from engagement.models import Booking
from engagement.services.bookings import BookingError
from engagement.tests.factories import BookingFactory
from engagement.tests.factories_bookings import book, forum, provider_with_user

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTS = 54
PROVIDERS = 10
CAPACITY = 12
CAP_PER_PROVIDER = 2
# Two requests name someone a third request names too: the person gets one booking, the others a message.
SAME_PERSON = {51: 50, 53: 50}


def _replay(bookings: list[Booking]) -> list[str]:
    """The statuses the rules give when the requests are taken one at a time in `requested_at` order."""
    confirmed: Counter[int] = Counter()
    statuses = []
    for booking in bookings:
        has_place = sum(confirmed.values()) < CAPACITY and confirmed[booking.provider_id] < CAP_PER_PROVIDER
        confirmed[booking.provider_id] += has_place
        statuses.append(Booking.Status.CONFIRMED if has_place else Booking.Status.WAITING)
    return statuses


def test_concurrent_requests_for_the_last_places_never_overbook_and_the_rest_wait_in_order():
    activity = forum(capacity=CAPACITY, cap_per_provider=CAP_PER_PROVIDER)
    bookers = [provider_with_user(f"Racing {number} Care Ltd")[1] for number in range(PROVIDERS)]
    # Eight of the twelve places are taken; the first three racing providers already have their two.
    for provider in [b.provider_organisation for b in bookers[:3]] + [provider_with_user("Early Ltd")[0]]:
        BookingFactory.create_batch(2, activity=activity, provider=provider)
    start = threading.Barrier(REQUESTS)
    refusals: dict[int, str] = {}
    failures: list[BaseException] = []

    def request_a_place(number: int) -> None:
        email = f"person{SAME_PERSON.get(number, number)}@racing.example.org"
        try:
            start.wait(timeout=60)
            book(activity, bookers[number % PROVIDERS], (f"Person {number}", email))
        except BookingError as error:
            refusals[number] = error.message
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=request_a_place, args=(number,)) for number in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    assert not any(thread.is_alive() for thread in threads)
    bookings = list(Booking.objects.filter(activity=activity).order_by("requested_at", "pk"))
    confirmed = [b for b in bookings if b.status == Booking.Status.CONFIRMED]
    waiting = [b for b in bookings if b.status == Booking.Status.WAITING]
    # Exactly the capacity: the last four places were given, and not one more.
    assert len(confirmed) == CAPACITY
    assert max(Counter(b.provider_id for b in confirmed).values()) <= CAP_PER_PROVIDER
    # The same person was booked once; the other two requests were told why not.
    assert len(refusals) == 2
    assert all("already has a place or is on the waiting list" in message for message in refusals.values())
    assert len(bookings) == 8 + REQUESTS - 2
    assert len(waiting) == REQUESTS - 2 - 4
    # Everyone else waits in the order they asked: replaying the requests one by one gives the same outcome.
    racing = [b for b in bookings if b.attendee_name.startswith("Person ")]
    assert [b.status for b in racing] == _replay(bookings)[8:]
    assert len({b.requested_at for b in racing}) == len(racing)
