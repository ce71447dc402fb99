"""Which survey groups are too small to show, and which others must be hidden so that none can be worked out.

A group with fewer responses than settings.SURVEY_MINIMUM_GROUP_SIZE is hidden (primary suppression). Hiding a
single group of a breakdown is not enough: the total minus the groups shown would give it away. So when exactly
one group holding anything is hidden, the next-smallest group is hidden too (secondary suppression), and if there
is none the total goes as well. Responses whose segment is not known are a group like any other here.

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
    holding = [key for key in hide if counts[key] > 0]
    total_hidden = sum(counts.values()) < minimum
    if len(holding) == 1:
        shown = [(count, _order(key), key) for key, count in counts.items() if key not in hide and count > 0]
        if shown:
            hide.add(min(shown)[2])
        else:
            # The one group holding anything is the total: hiding it means hiding the total.
            total_hidden = True
    return Suppression(frozenset(hide), total_hidden)


def _order(key: Hashable) -> tuple[bool, str]:
    """Ties between groups of the same size are broken the same way each time; the unknown group first."""
    return (key is not None, str(key))
