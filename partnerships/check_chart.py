"""The relationship trend's line chart: where each point goes, worked out here so that the template only writes SVG.

One line for the partners' overall average and one for the council's, a point per round, on a scale of 1 to 5. A
round one side did not answer (or whose partners' averages are withheld) leaves a gap in that side's line.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from partnerships.selectors.checks import RoundTrend
from portal.relationship_themes import RelationshipRating

LOWEST, HIGHEST = min(RelationshipRating.values), max(RelationshipRating.values)


@dataclass(frozen=True)
class Point:
    x: int
    y: int
    value: Decimal
    round_label: str


@dataclass(frozen=True)
class Side:
    name: str
    colour: str
    dashes: str  # the council's line is dashed, so the two differ without colour
    points: list[Point | None]


@dataclass(frozen=True)
class TrendChart:
    """Drawn by partnerships/checks/includes/chart.html; its figures are also in the table that follows it."""

    width: int
    height: int
    baseline: int
    sides: list[Side]
    x_labels: list[tuple[int, str]]

    LEFT, SLOT, TOP, PLOT_HEIGHT, BOTTOM = 64, 96, 44, 160, 36

    @classmethod
    def of(cls, rounds: list[RoundTrend]) -> "TrendChart":
        baseline = cls.TOP + cls.PLOT_HEIGHT

        def centre(index: int) -> int:
            return cls.LEFT + index * cls.SLOT + cls.SLOT // 2

        def side(
            name: str, colour: str, dashes: str, average: Callable[[RoundTrend], Decimal | None]
        ) -> Side:
            points = []
            for index, trend in enumerate(rounds):
                value = average(trend)
                points.append(
                    None if value is None else Point(centre(index), cls._y(value), value, trend.label)
                )
            return Side(name, colour, dashes, points)

        return cls(
            width=cls.LEFT + cls.SLOT * max(len(rounds), 3) + 16,
            height=baseline + cls.BOTTOM,
            baseline=baseline,
            sides=[
                side("Partners", "#1d70b8", "", lambda trend: trend.partners_overall),
                side("Council", "#d4351c", "6 4", lambda trend: trend.council_overall),
            ],
            x_labels=[(centre(index), trend.label) for index, trend in enumerate(rounds)],
        )

    @classmethod
    def _y(cls, value) -> int:
        share = (float(value) - LOWEST) / (HIGHEST - LOWEST)
        return round(cls.TOP + cls.PLOT_HEIGHT * (1 - share))

    @property
    def grid(self) -> SafeString:
        """A line and a label for each rating, 1 to 5."""
        return format_html_join(
            "\n",
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#b1b4b6"></line>'
            '<text x="{}" y="{}" text-anchor="end" fill="#0b0c0c">{}</text>',
            (
                (self.LEFT, y, self.width - 8, y, self.LEFT - 8, y + 4, rating)
                for rating in range(LOWEST, HIGHEST + 1)
                for y in (self._y(rating),)
            ),
        )

    @property
    def rounds(self) -> SafeString:
        return format_html_join(
            "\n",
            '<text x="{}" y="{}" text-anchor="middle" fill="#0b0c0c">{}</text>',
            ((x, self.baseline + 24, label) for x, label in self.x_labels),
        )

    @property
    def lines(self) -> SafeString:
        """Each side's line (broken where it has no average) and its points, each with its value as a title."""
        return format_html_join("\n", "{}", ((self._side(side),) for side in self.sides))

    def _side(self, side: Side) -> SafeString:
        segments, current = [], []
        for point in side.points:
            if point is None:
                segments.append(current)
                current = []
            else:
                current.append(point)
        segments.append(current)
        lines = format_html_join(
            "",
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="3" stroke-dasharray="{}"></polyline>',
            (
                (" ".join(f"{point.x},{point.y}" for point in segment), side.colour, side.dashes or "none")
                for segment in segments
                if len(segment) > 1
            ),
        )
        markers = format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="5" fill="{}"><title>{}, {}: {}</title></circle>',
            (
                (point.x, point.y, side.colour, side.name, point.round_label, point.value)
                for point in side.points
                if point is not None
            ),
        )
        return format_html("<g>{}{}</g>", lines, markers)
