"""The benchmark harness measures every scenario on a small demo database; it never judges a time."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from tests.bench.run import format_table, run_scenarios, write_results
from tests.bench.scenarios import FLOOR, SCENARIOS

RESULT_KEYS = {"name", "scale", "median_ms", "floor_median_ms", "ratio", "queries", "p95_ms", "repeats"}


@pytest.fixture
def results(db):
    call_command("seed_demo", "--scale", "1", stdout=StringIO())
    return run_scenarios(scale=1, repeats=3)


def test_every_scenario_is_measured_with_a_time_and_a_query_count(results):
    assert [result["name"] for result in results] == [scenario.name for scenario in SCENARIOS]
    for result in results:
        assert result["median_ms"] > 0
        assert result["p95_ms"] >= result["median_ms"]
        assert isinstance(result["queries"], int)
        assert result["queries"] > 0
        assert result["repeats"] == 3
        assert result["scale"] == 1


def test_floor_is_the_yardstick_of_every_ratio(results):
    floor = next(result for result in results if result["name"] == FLOOR)
    assert floor["ratio"] == 1.0
    assert all(result["floor_median_ms"] == floor["median_ms"] for result in results)


def test_results_file_holds_one_object_per_scenario_with_the_documented_keys(results, tmp_path):
    output = tmp_path / "bench" / "results.json"
    write_results(results, output)

    written = json.loads(output.read_text())
    assert len(written) == len(SCENARIOS)
    assert all(set(result) == RESULT_KEYS for result in written)


def test_table_has_a_row_per_scenario(results):
    table = format_table(results)
    for scenario in SCENARIOS:
        assert scenario.name in table


def test_the_send_benchmarks_sink_counts_each_whole_message_once():
    """The sink stands in for the mail relay: every message the portal's SMTP client ends is counted once."""
    import smtplib

    from directory.services.circulation_smtp import dot_stuffed, message_hand_over
    from tests.bench.smtp_sink import CountingSmtpSink

    sink = CountingSmtpSink().start()
    try:
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=5) as smtp:
            smtp.sendmail(
                "portal@example.org", ["a@example.org", "b@example.org"], b"Subject: one\r\n\r\nHello\r\n"
            )
            body = b"Subject: two\r\n\r\n.starts with a dot\r\n" + b"x" * 200_000 + b"\r\n"
            message_hand_over(
                smtp,
                sender="portal@example.org",
                recipient="c@example.org",
                stuffed=dot_stuffed(body),
                claim=lambda: True,
            )
            smtp.sendmail("portal@example.org", ["d@example.org"], b"")
            smtp.noop()
    finally:
        sink.stop()
    assert sink.messages == 4


def test_a_posting_scenario_is_timed_and_leaves_nothing_behind(db):
    from engagement.models import Booking
    from portal.models import OutboxMessage

    call_command("seed_demo", "--scale", "1", stdout=StringIO())
    bookings, messages = Booking.objects.count(), OutboxMessage.objects.count()
    results = run_scenarios(scale=1, repeats=2, warmups=1)
    booked = next(result for result in results if result["name"] == "book a place")
    assert booked["median_ms"] > 0
    assert booked["queries"] > 5  # the write itself was timed, not just a page
    assert (Booking.objects.count(), OutboxMessage.objects.count()) == (bookings, messages)
