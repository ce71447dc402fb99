"""Which survey groups are too small to show, and which others must be hidden so that none can be worked out.

A group with fewer responses than settings.SURVEY_MINIMUM_GROUP_SIZE is hidden (primary suppression). Hiding the
small groups alone is not enough: the total minus the groups shown is what they hold together, which gives a
single hidden group away, and two groups of one each away as well. So the next-smallest groups are hidden too,
until the groups hidden hold at least the minimum between them (secondary suppression); when there are no more,
the total goes as well. Responses whose segment is not known are a group like any other here.

The same rules hide the pages' cells, the chart's points and the export's segment values.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings


def minimum_group_size() -> int:
    return settings.SURVEY_MINIMUM_GROUP_SIZE


@dataclass(frozen=True)
class Suppression:
    """The groups of one breakdown to hide, and whether its total must be hidden with them."""

    hidden: frozenset
    total_hidden: bool = False

    def shows(self, key: Hashable) -> bool:
        return key not in self.hidden


def suppress(
    counts: Mapping[Hashable, int], *, minimum: int | None = None, hidden: Iterable[Hashable] = ()
) -> Suppression:
    """The groups to hide among `counts` (each group's responses, or answers, within one breakdown).

    `hidden` are groups hidden already for another reason (too few responses, when `counts` are one theme's
    answers): they are kept hidden, and only those holding something protect one another.
    """
    minimum = minimum_group_size() if minimum is None else minimum
    hide = {key for key in hidden if key in counts}
    hide |= {key for key, count in counts.items() if count < minimum}
    total_hidden = sum(counts.values()) < minimum
    hidden_holding = sum(counts[key] for key in hide)
    if hidden_holding:
        shown = sorted(
            (count, _order(key), key) for key, count in counts.items() if key not in hide and count > 0
        )
        for count, _, key in shown:
            if hidden_holding >= minimum and len([k for k in hide if counts[k] > 0]) > 1:
                break
            hide.add(key)
            hidden_holding += count
        if len([key for key in hide if counts[key] > 0]) < 2 or hidden_holding < minimum:
            # What is hidden is the whole of what the total holds, or too little: the total goes too.
            total_hidden = True
    return Suppression(frozenset(hide), total_hidden)


def _order(key: Hashable) -> tuple[bool, str]:
    """Ties between groups of the same size are broken the same way each time; the unknown group first."""
    return (key is not None, str(key))
