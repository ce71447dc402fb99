from datetime import date

from portal.working_days import first_working_day_of_month, working_days_after, working_days_between


def test_working_days_skip_weekends_and_english_bank_holidays():
    # Thursday 24 December 2026: Christmas Day (Fri) and Boxing Day substitute (Mon 28th) are bank holidays.
    assert working_days_after(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert working_days_after(date(2026, 12, 24), 3) == date(2026, 12, 31)
    # Friday 3 April 2026 is Good Friday and Monday 6 April Easter Monday.
    assert working_days_after(date(2026, 4, 2), 1) == date(2026, 4, 7)


def test_working_days_between_counts_after_the_start_up_to_the_end():
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 23)) == 1  # Friday to Monday
    assert working_days_between(date(2026, 11, 23), date(2026, 11, 23)) == 0
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 31)) == 3


def test_first_working_day_of_a_month_after_a_new_year_bank_holiday():
    assert first_working_day_of_month(date(2027, 1, 15)) == date(2027, 1, 4)  # 1 Jan Fri, then the weekend
