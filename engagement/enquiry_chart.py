"""The enquiry figures' bar chart: where each bar goes, worked out here so that the template only writes SVG."""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from engagement.selectors.enquiry_figures import Line


@dataclass(frozen=True)
class Bar:
    """A bar's place and size in SVG units, and the number it stands for; as text, ready to be written out."""

    x: str
    y: str
    height: str
    value: str
    label_x: str
    label_y: str


@dataclass(frozen=True)
class ChartMonth:
    label: str
    month_name: str
    year: str
    centre: str
    raised: Bar
    within_target: Bar


@dataclass(frozen=True)
class BarChart:
    """Two bars a month, raised and answered within target, drawn by enquiry_queue/includes/chart.html."""

    width: str
    height: str
    baseline: str
    axis_label_y: str
    months: list[ChartMonth]

    SLOT, BAR, TOP, PLOT_HEIGHT, LEFT = 56, 20, 40, 180, 8

    @classmethod
    def of(cls, lines: list[Line]) -> "BarChart":
        highest = max((line.figures.raised for line in lines), default=0) or 1
        baseline = cls.TOP + cls.PLOT_HEIGHT

        def bar(x: int, value: int) -> Bar:
            height = round(cls.PLOT_HEIGHT * value / highest)
            top = baseline - height
            return Bar(*map(str, (x, top, height, value, x + cls.BAR // 2, top - 4)))

        months = []
        for index, line in enumerate(lines):
            left = cls.LEFT + index * cls.SLOT + (cls.SLOT - 2 * cls.BAR) // 2
            raised, within_target = line.figures.raised, line.figures.within_target
            months.append(
                ChartMonth(
                    line.label,
                    f"{line.month:%b}",
                    f"{line.month:%Y}",
                    str(left + cls.BAR),
                    bar(left, raised),
                    bar(left + cls.BAR, within_target),
                )
            )
        width = 2 * cls.LEFT + cls.SLOT * max(len(lines), 1)
        return cls(str(width), str(baseline + 44), str(baseline), str(baseline + 18), months)

    @property
    def month_groups(self) -> SafeString:
        """Each month's two bars, its number and its name, as SVG <g> elements; every value escaped.

        Written here rather than by a loop in the template: the figures page is timed by the benchmark, and the
        chart's dozen lookups a month cost more than the rest of its tables.
        """
        return format_html_join("\n", "{}", ((self._group(month),) for month in self.months))

    def _group(self, month: ChartMonth) -> SafeString:
        raised, within = month.raised, month.within_target
        return format_html(
            "<g><title>{}: {} raised, {} answered within target</title>"
            '<rect x="{}" y="{}" width="20" height="{}" fill="#1d70b8"></rect>'
            '<rect x="{}" y="{}" width="20" height="{}" fill="#00703c"></rect>'
            '<text x="{}" y="{}" text-anchor="middle" fill="#0b0c0c" font-size="11">{}</text>'
            '<text x="{}" y="{}" text-anchor="middle" fill="#0b0c0c">{}<tspan x="{}" dy="16">{}</tspan></text></g>',
            month.label,
            raised.value,
            within.value,
            raised.x,
            raised.y,
            raised.height,
            within.x,
            within.y,
            within.height,
            raised.label_x,
            raised.label_y,
            raised.value,
            month.centre,
            self.axis_label_y,
            month.month_name,
            month.centre,
            month.year,
        )
