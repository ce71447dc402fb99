"""The survey trend charts: where each line and point goes, worked out here so that the template only writes SVG.

One small chart a theme: the providers' and the officers' mean score (1 to 5) in each cycle. A score hidden by
suppression is not drawn, and the line breaks there; the table beside each chart gives the same figures.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from surveys.selectors.results import Score, ThemeTrend

PROVIDERS_COLOUR, OFFICERS_COLOUR = "#1d70b8", "#d4351c"


@dataclass(frozen=True)
class TrendChart:
    """A theme's trend, drawn by surveys/results/includes/trend_chart.html."""

    theme: str
    label: str
    width: int
    height: int
    body: SafeString
    # (year, providers' score, officers' score, gap text), for the table that gives the chart's figures.
    rows: list[tuple[int, Score, Score, str]]

    SLOT, LEFT, TOP, PLOT_HEIGHT = 64, 40, 12, 160

    @classmethod
    def of(cls, trend: ThemeTrend) -> "TrendChart":
        width = cls.LEFT + cls.SLOT * max(len(trend.points), 1) + 8
        height = cls.TOP + cls.PLOT_HEIGHT + 28
        rows = [
            (year, providers, officers, _gap(providers, officers))
            for year, providers, officers in trend.points
        ]
        return cls(trend.theme, trend.label, width, height, cls._body(trend, width), rows)

    @classmethod
    def _x(cls, index: int) -> int:
        return cls.LEFT + index * cls.SLOT + cls.SLOT // 2

    @classmethod
    def _y(cls, mean: float) -> float:
        """Score 1 at the bottom of the plot, 5 at its top."""
        return round(cls.TOP + cls.PLOT_HEIGHT * (5 - mean) / 4, 1)

    @classmethod
    def _body(cls, trend: ThemeTrend, width: int) -> SafeString:
        grid = format_html_join(
            "",
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#b1b4b6"></line>'
            '<text x="{}" y="{}" text-anchor="end" fill="#0b0c0c">{}</text>',
            (
                (cls.LEFT, cls._y(score), width, cls._y(score), cls.LEFT - 6, cls._y(score) + 4, score)
                for score in range(1, 6)
            ),
        )
        years = format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="middle" fill="#0b0c0c">{}</text>',
            (
                (cls._x(index), cls.TOP + cls.PLOT_HEIGHT + 20, year)
                for index, (year, _, _) in enumerate(trend.points)
            ),
        )
        lines = [
            cls._line(trend, side, colour, name)
            for side, colour, name in ((1, PROVIDERS_COLOUR, "Providers"), (2, OFFICERS_COLOUR, "Officers"))
        ]
        return format_html("{}{}{}{}", grid, years, *lines)

    @classmethod
    def _line(cls, trend: ThemeTrend, side: int, colour: str, name: str) -> SafeString:
        """One side's points, joined where consecutive cycles are both shown."""
        runs, run, points = [], [], []
        for index, point in enumerate(trend.points):
            score: Score = point[side]
            if score.mean is None:
                runs.append(run)
                run = []
                continue
            x, y = cls._x(index), cls._y(score.mean)
            run.append(f"{x},{y}")
            points.append((x, y, colour, name, point[0], score.mean_text))
        runs.append(run)
        polylines = format_html_join(
            "",
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="3"></polyline>',
            ((" ".join(run), colour) for run in runs if len(run) > 1),
        )
        circles = format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="5" fill="{}"><title>{} {}: {}</title></circle>',
            points,
        )
        return format_html("{}{}", polylines, circles)


def _gap(providers: Score, officers: Score) -> str:
    if providers.mean is None or officers.mean is None:
        return "–"
    return f"{providers.mean - officers.mean:+.2f}"


def trend_charts(trends: list[ThemeTrend]) -> list[TrendChart]:
    return [TrendChart.of(trend) for trend in trends]
