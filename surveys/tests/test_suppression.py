"""Suppression: no group smaller than the minimum is shown, and none can be worked out from what is shown."""

import random

import pytest

from surveys.suppression import Suppression, minimum_group_size, suppress

MINIMUM = 10


def test_the_minimum_comes_from_the_setting(settings):
    settings.SURVEY_MINIMUM_GROUP_SIZE = 7

    assert minimum_group_size() == 7
    assert suppress({"mid": 6, "south": 8, "west": 20}).hidden == {"mid", "south"}


def test_groups_at_or_above_the_minimum_are_all_shown():
    assert suppress({"mid": 10, "south": 25, None: 12}, minimum=MINIMUM) == Suppression(frozenset())


def test_a_single_small_group_takes_the_next_smallest_with_it():
    result = suppress({"mid": 4, "south": 30, "west": 12, "north-east": 50}, minimum=MINIMUM)

    assert result.hidden == {"mid", "west"}
    assert not result.total_hidden


def test_two_small_groups_protect_each_other_when_they_hold_the_minimum_between_them():
    assert suppress({"mid": 4, "south": 6, "west": 40, "north-east": 30}, minimum=MINIMUM).hidden == {
        "mid",
        "south",
    }


def test_small_groups_holding_less_than_the_minimum_between_them_take_the_next_smallest_with_them():
    # One each: the total less the groups shown would say two, so each of them is one.
    result = suppress({"mid": 1, "south": 1, "west": 40, "north-east": 30}, minimum=MINIMUM)

    assert result.hidden == {"mid", "south", "north-east"}
    assert not result.total_hidden


def test_the_unknown_group_counts_as_a_group():
    # Only the "not given" responses are too few: the smallest named group goes with them.
    assert suppress({None: 2, "mid": 15, "south": 11}, minimum=MINIMUM).hidden == {None, "south"}
    # And the unknown group can be the one hidden beside a small named group.
    assert suppress({"mid": 3, None: 11, "south": 40}, minimum=MINIMUM).hidden == {"mid", None}


def test_a_total_below_the_minimum_is_hidden():
    assert suppress({"mid": 4, "south": 3}, minimum=MINIMUM).total_hidden


def test_groups_hidden_already_stay_hidden_and_only_those_holding_something_protect_others():
    # The south group is hidden for its few responses but gave no score to this theme: it hides nothing, so the
    # next-smallest group holding scores is hidden beside the mid group.
    result = suppress({"mid": 4, "south": 0, "west": 14, "north-east": 30}, minimum=MINIMUM, hidden={"south"})

    assert result.hidden == {"mid", "south", "west"}


def test_when_the_only_group_holding_anything_is_hidden_so_is_the_total():
    result = suppress({"mid": 12, "south": 0}, minimum=MINIMUM, hidden={"mid", "south"})

    assert result.total_hidden


def _recoverable(counts: dict, result: Suppression) -> bool:
    """Whether subtraction tells something of the hidden groups: the total, less the groups shown, is a single
    hidden group's, or less than the minimum (a few groups of one or two each)."""
    if result.total_hidden:
        return False
    holding = [key for key in result.hidden if counts[key] > 0]
    return len(holding) == 1 or 0 < sum(counts[key] for key in holding) < MINIMUM


@pytest.mark.parametrize("seed", range(40))
def test_no_hidden_count_can_be_worked_out_from_the_total_and_the_groups_shown(seed):
    rng = random.Random(seed)
    for _ in range(50):
        counts = {
            key: rng.choice([0, *range(1, 15), rng.randint(1, 200)]) for key in range(rng.randint(1, 7))
        }
        if rng.random() < 0.5:
            counts[None] = rng.randint(0, 20)
        result = suppress(counts, minimum=MINIMUM)
        shown = {key: count for key, count in counts.items() if result.shows(key)}

        assert all(count >= MINIMUM for count in shown.values()), counts
        assert not _recoverable(counts, result), (counts, result)
        if not result.total_hidden:
            remainder = sum(counts.values()) - sum(shown.values())
            hidden_holding = [counts[key] for key in result.hidden if counts[key]]
            assert remainder == 0 or len(hidden_holding) >= 2


@pytest.mark.parametrize("seed", range(20))
def test_no_hidden_mean_can_be_worked_out_from_the_overall_mean_and_the_means_shown(seed):
    """Each group's responses, and each theme's answers with a score: a group hidden for its responses stays
    hidden in every theme, and no theme's hidden sum of scores belongs to one group alone."""
    rng = random.Random(1000 + seed)
    for _ in range(40):
        responses = {key: rng.randint(1, 40) for key in range(rng.randint(2, 6))}
        groups = suppress(responses, minimum=MINIMUM)
        scored = {key: rng.randint(0, count) for key, count in responses.items()}
        sums = {key: sum(rng.randint(1, 5) for _ in range(count)) for key, count in scored.items()}
        cells = suppress(scored, minimum=MINIMUM, hidden=groups.hidden)

        assert groups.hidden <= cells.hidden
        if cells.total_hidden:
            continue
        hidden_holding = [key for key in cells.hidden if scored[key] > 0]
        # The overall sum of scores less the sums shown is the hidden groups' together: never one group's.
        remainder = sum(sums.values()) - sum(sums[key] for key in scored if cells.shows(key))
        assert remainder == 0 or len(hidden_holding) >= 2, (responses, scored, cells)
