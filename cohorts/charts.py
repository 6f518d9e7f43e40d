"""The dashboard's charts: SVG drawn on the server by matplotlib, each at its own URL on
the certifier's page, inline in the PDF.

Why its own URL on the page (an ``<img>``, ``cohorts.dashboard_views.DashboardChartView``):
the nine charts cost as much as the figures themselves (about 60 ms each with matplotlib,
half a second together on any period). Drawn by the page, a period or bloc seen for the
first time took 1.4 s on 10,000 candidacies; now the page (its tables: the truth) comes
in the time of its figures, and each chart comes on its own request, from the shared
cache when it was drawn before. Its URL carries a digest of what it draws
(``_Drawing.version``), by which the cache finds it without reading the figures (the
browser does not keep it: Wagtail marks every admin response ``never_cache``). In the
PDF (WeasyPrint, which may fetch nothing: ``vae.documents.weasy``) the same SVG is
inline. Either way the chart carries its title (``<title>``) and the page or the PDF
gives its text alternative beside it.

The strict CSP forbids ``<style>`` elements and ``style="…"`` attributes in our HTML, and
matplotlib writes both: ``clean_svg`` turns every style declaration into the SVG
presentation attribute of the same name (allowed by the policy: they are markup, not
CSS), drops the metadata, and prefixes the ids so that two charts of one page never share
one.

A chart is the picture of its table, which the page shows beside it (the table is the
truth). Each has a title and a sentence summing it up (inline: ``role="img"`` with
``aria-labelledby``; as an image: the ``<img>``'s); its colours have at least 3:1
contrast with white (WCAG 1.4.11), and its series differ by hatching and carry their
values as text, so that colour never carries meaning alone and a black-and-white print
still reads.

matplotlib's global settings (``rcParams``) are shared by every thread: a lock holds them
while a chart is drawn, and only the object API (``Figure``) is used, never ``pyplot``.
The same figures give the same SVG (``svg.hashsalt`` fixed, no date), which is cached.
"""

import hashlib
import io
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import partial

import matplotlib
from django.utils.safestring import mark_safe
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import offset_copy

from cohorts.caching import cache
from cohorts.dashboard import cached_dashboard
from referentiel import french as fr

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

RC = {
    "svg.fonttype": "none",  # text stays text
    "svg.hashsalt": "vae-cohorts",  # stable ids: same figures, same SVG
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "hatch.linewidth": 1.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#333333",
    "text.color": "#1a1a1a",
    "xtick.color": "#1a1a1a",
    "ytick.color": "#1a1a1a",
}
# Each series' colour (at least 3:1 against white) and hatching. Lines only: dotted and
# circled hatchings weigh ten times more in the SVG (and in the PDF) for no better reading.
STYLES = (
    ("#1f4e79", ""),
    ("#b35900", "//"),
    ("#2e6b30", "\\\\"),
    ("#6a1b9a", "xx"),
    ("#8b1a1a", "--"),
    ("#455a64", "||"),
    ("#00695c", "++"),
    ("#5d4037", "/"),
)
# acquis / validé / tenu, partiel, non acquis / non validé / dépassé, en cours.
GOOD = ("#2e6b30", "")
MIXED = ("#b35900", "//")
BAD = ("#8b1a1a", "xx")
WAITING = ("#1f4e79", "--")
BAR = 0.8  # a bar's thickness, in steps between categories (as bar() draws it)
# Landis & Koch's readings of a kappa: slight, fair, moderate, substantial, almost perfect.
THRESHOLDS = (0.2, 0.4, 0.6, 0.8)
PAD = 6  # points between an axis and its categories' names
WIDTH = 7.5  # inches: the width of the page's column and of the PDF's
CACHE_TIMEOUT = 24 * 60 * 60
_lock = threading.Lock()


class _Captioned:
    """The ids of a chart's caption, which label it (``includes/chart.html``); ``slug``
    (each subclass's field) is their prefix in the page."""

    @property
    def title_id(self) -> str:
        return f"{self.slug}-titre"

    @property
    def summary_id(self) -> str:
        return f"{self.slug}-resume"


@dataclass(frozen=True)
class Chart(_Captioned):
    """A chart drawn, for the PDF report (inline) and for its own URL."""

    slug: str
    title: str
    summary: str  # the text alternative: what the chart shows, in a sentence or two
    svg: str  # clean SVG

    @property
    def markup(self) -> str:
        # Serialised by ElementTree, which escapes every text and attribute it writes.
        return mark_safe(self.svg)


@dataclass(frozen=True)
class ChartImage(_Captioned):
    """A chart the page shows as an image (``url``), drawn on that image's request; its
    size in CSS pixels, so that the page does not move when it arrives."""

    slug: str
    title: str
    summary: str
    url: str
    width: int
    height: int


# -- the SVG -----------------------------------------------------------------------------


def _declarations(style: str) -> list[tuple[str, str]]:
    return [
        (name.strip(), value.strip())
        for name, _colon, value in (part.partition(":") for part in style.split(";"))
        if name.strip() and value.strip()
    ]


def clean_svg(svg: str, *, slug: str, labelled_by: str, title: str = "") -> str:
    """matplotlib's SVG made fit for a page under the strict CSP (see the module's
    docstring): no ``<style>``, no ``style=``, no metadata, ids prefixed with ``slug``;
    ``role="img"`` labelled by the page's ``labelled_by`` ids; sized by its viewBox;
    named by ``title`` where it stands alone (opened at its own URL)."""
    root = ET.fromstring(svg)
    if title:
        name = ET.Element(f"{{{SVG_NS}}}title")
        name.text = title
        root.insert(0, name)
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}metadata", f"{{{SVG_NS}}}style"):
                if child.tag == f"{{{SVG_NS}}}style":
                    # « *{stroke-linejoin: round; stroke-linecap: butt} »: inherited.
                    body = (child.text or "").partition("{")[2].rstrip("} \n")
                    for name, value in _declarations(body):
                        root.set(name, value)
                parent.remove(child)
    href = f"{{{XLINK_NS}}}href"
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style:
            for name, value in _declarations(style):
                element.set(name, value)
        if "id" in element.attrib:
            element.set("id", f"{slug}-{element.get('id')}")
        for name, value in list(element.attrib.items()):
            if "url(#" in value:
                element.set(name, value.replace("url(#", f"url(#{slug}-"))
        if element.get(href, "").startswith("#"):
            element.set(href, f"#{slug}-{element.get(href)[1:]}")
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    root.set("role", "img")
    root.set("aria-labelledby", labelled_by)
    root.set("class", "chart__svg")
    # ElementTree's prefixes are one global map that any module may rewrite (another
    # default namespace registered after ours drops it): registered again right here,
    # since « ns0:svg » inline in HTML is no SVG at all. (``default_namespace=`` cannot
    # serve: it refuses the attributes without a namespace, ``d``, ``id``…)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")


def _render(draw, *, height: float) -> str:
    # Margins in inches, set by the drawing (room for the category labels on the left and
    # the legend below): a layout engine that measures the texts costs three times more.
    left, bottom = getattr(draw, "margins", (0.8, 0.6))
    with _lock, matplotlib.rc_context(RC):
        figure = Figure(figsize=(WIDTH, height))
        figure.subplots_adjust(
            left=left / WIDTH,
            right=1 - 0.25 / WIDTH,
            bottom=min(bottom / height, 0.6),
            top=1 - 0.25 / height,
        )
        draw(figure.add_subplot())
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


@dataclass(frozen=True)
class _Drawing:
    """A chart to draw unless its SVG is cached: ``draw(axes)`` draws it; ``data`` is
    everything the drawing reads."""

    slug: str
    title: str
    summary: str
    draw: object
    height: float
    data: tuple

    @property
    def version(self) -> str:
        """A digest of everything drawn: equal versions, same SVG."""
        what = repr((self.slug, self.title, self.height, self.data))
        return hashlib.sha256(what.encode()).hexdigest()[:32]

    @property
    def key(self) -> str:
        return chart_key(self.version)

    def svg(self) -> str:
        return clean_svg(
            _render(self.draw, height=self.height),
            slug=self.slug,
            labelled_by=f"{self.slug}-titre {self.slug}-resume",
            title=self.title,
        )

    def image(self, url: str) -> ChartImage:
        # matplotlib's SVG measures the figure in points: 72 a (CSS) inch, as its viewBox.
        return ChartImage(
            slug=self.slug,
            title=self.title,
            summary=self.summary,
            url=url,
            width=round(WIDTH * 72),
            height=round(self.height * 72),
        )


def chart_key(version: str) -> str:
    return f"cohorts-chart:{version}"


def drawing_key(version: str) -> str:
    return f"cohorts-chart-drawing:{version}"


def remember_drawings(drawings: dict[str, "_Drawing"]) -> None:
    """Leaves in the shared cache each drawing whose SVG is not there yet, for the
    chart's own request: it then draws it without reading the figures again (their
    versions checked and their pieces read: about 100 ms a request on 10,000
    candidacies). Nothing written when every chart is drawn already."""
    drawn = cache.get_many([drawing.key for drawing in drawings.values()])
    cache.set_many(
        {drawing_key(d.version): d for d in drawings.values() if d.key not in drawn},
        CACHE_TIMEOUT,
    )


def chart_svg(version: str) -> str | None:
    """The SVG of the chart at ``version``: from the cache, or drawn (and cached) from
    the drawing the page left there; None when neither is there any more."""
    found = cache.get_many([chart_key(version), drawing_key(version)])
    if chart_key(version) in found:
        return found[chart_key(version)]
    drawing = found.get(drawing_key(version))
    if drawing is None:
        return None
    svg = drawing.svg()
    cache.set(drawing.key, svg, CACHE_TIMEOUT)
    return svg


def _drawn(drawings: dict[str, _Drawing]) -> dict[str, Chart]:
    """Each drawing's ``Chart``, its SVG read from the cache or drawn and cached: the
    cache is a table by default (``cohorts.caching``), so they are all read at once rather
    than one query each."""
    keys = {name: drawing.key for name, drawing in drawings.items()}
    found = cache.get_many(keys.values())
    missing = {keys[name]: d.svg() for name, d in drawings.items() if keys[name] not in found}
    cache.set_many(missing, CACHE_TIMEOUT)
    svgs = found | missing
    return {
        name: Chart(slug=d.slug, title=d.title, summary=d.summary, svg=svgs[keys[name]])
        for name, d in drawings.items()
    }


def dashboard_with_charts(filters) -> tuple:
    """The dashboard of ``filters`` (``cohorts.dashboard.Filters``) and its charts, from
    the cache where they are: what the page, its PDF report and ``warm_dashboard`` show."""
    board = cached_dashboard(filters)
    return board, dashboard_charts(board)


# -- the drawings ------------------------------------------------------------------------


def _label(value, unit: str = "") -> str:
    return f"{fr.number(value, 0)}{unit}" if value else ""


def _bars(axes, starts, lengths, *, horizontal, style, label, offset=0.0, thickness=BAR):
    """One series' bars, the n-th on the n-th category (``offset`` from it): one
    ``PolyCollection`` with its colour and hatching rather than one ``Rectangle`` per bar
    as ``bar()`` makes (each one an artist whose limits are updated apart: ``bar()``,
    ``barh()`` and ``bar_label()``'s annotations took a fifth of the drawing). The legend
    draws a collection's colour and hatching as it draws a bar's. An empty bar is not
    drawn (it was a white line on white)."""
    colour, hatch = style
    shapes = []
    for position, (start, length) in enumerate(zip(starts, lengths, strict=True)):
        if not length:
            continue
        low, high = position + offset - thickness / 2, position + offset + thickness / 2
        end = start + length
        if horizontal:
            shapes.append(((start, low), (start, high), (end, high), (end, low)))
        else:
            shapes.append(((low, start), (high, start), (high, end), (low, end)))
    bars = PolyCollection(
        shapes, facecolors=colour, edgecolors="white", hatch=hatch or None, label=label
    )
    # The value axis starts at 0 with no margin below it, as bar() does.
    (bars.sticky_edges.x if horizontal else bars.sticky_edges.y).append(0)
    axes.add_collection(bars)
    return bars


def _categories(axes, categories, *, horizontal, offset=0.0):
    """The categories' names beside their axis, as texts rather than as ticks: a tick is
    five artists (its lines, its labels, its grid line) deep-copied from the first one and
    costs about twice its text (the ticks took a third of the drawing). That axis is not
    drawn at all; the first category on top of a horizontal chart, as in the table."""
    # No category (a filter that selects nothing) still gives the axis a width.
    low, high = offset - 0.5, offset + max(len(categories), 1) - 0.5
    if horizontal:
        axes.yaxis.set_visible(False)
        axes.set_ylim(high, low)  # inverted: the first one on top
        beside = offset_copy(axes.get_yaxis_transform(), fig=axes.figure, x=-PAD, units="points")
        for position, category in enumerate(categories):
            axes.text(0, position + offset, category, ha="right", va="center", transform=beside)
    else:
        axes.xaxis.set_visible(False)
        axes.set_xlim(low, high)
        below = offset_copy(axes.get_xaxis_transform(), fig=axes.figure, y=-PAD, units="points")
        for position, category in enumerate(categories):
            axes.text(position + offset, 0, category, ha="center", va="top", transform=below)


def _values(axis, *, bins=5):
    """At most ``bins`` + 1 round whole values on the value axis, all within its limits,
    written the French way (« 1 000 »): the default locator makes up to ten ticks, and
    one beyond the limits, each one created and laid out to be hidden."""
    top = axis.get_view_interval().max()
    if top < 1:
        # Nothing drawn, or all below one (a filter that selects nothing): a scale from
        # 0 to 1, rather than fractions of a count each written « 0 ».
        top = 1
        axis.set_view_interval(0, top, ignore=True)
    locator = MaxNLocator(nbins=bins, steps=(1, 2, 2.5, 5, 10), integer=True)
    ticks = [t for t in locator.tick_values(0, top) if 0 <= t <= top]
    axis.set_ticks(ticks, [fr.integer(t) for t in ticks])


def stacked_bars(
    categories: list[str],
    series: list[tuple[str, list, tuple]],
    *,
    horizontal=True,
    unit="",
    axis_label="",
):
    """Stacked bars, one per category; ``series`` are (label, values, style). Like each
    drawing here, a ``partial`` of a function of this module, which pickles: the page
    leaves it in the cache for the chart's own request (``remember_drawings``)."""
    columns = 4 if max((len(label) for label, _v, _s in series), default=0) < 20 else 2
    rows = -(-len(series) // columns) if len(series) > 1 else 0
    draw = partial(_draw_stacked_bars, categories, series, horizontal, unit, axis_label, columns)
    draw.margins = (2.6 if horizontal else 0.8, 0.6 + 0.28 * rows)
    return draw


def _draw_stacked_bars(categories, series, horizontal, unit, axis_label, columns, axes):
    base = [0] * len(categories)
    columns_of = zip(*(values for _label, values, _style in series), strict=True)
    totals = [sum(value or 0 for value in column) for column in columns_of]
    # A value on a segment too thin to hold it would cover its neighbours: the table
    # beside the chart gives it.
    smallest = 0.05 * max(totals, default=0)
    for label, values, style in series:
        values = [value or 0 for value in values]
        _bars(axes, base, values, horizontal=horizontal, style=style, label=label)
        # The value on its segment, white and bold on a box of the series' colour:
        # the box hides the hatching behind the text, and keeps it readable where it
        # overflows a short segment.
        box = {"boxstyle": "round,pad=0.15", "facecolor": style[0], "linewidth": 0}
        for position, (start, value) in enumerate(zip(base, values, strict=True)):
            if value and value >= smallest:
                middle = start + value / 2
                axes.text(
                    *((middle, position) if horizontal else (position, middle)),
                    _label(value, unit),
                    ha="center",
                    va="center",
                    color="white",
                    fontweight="bold",
                    bbox=box,
                )
        base = [a + b for a, b in zip(base, values, strict=True)]
    _categories(axes, categories, horizontal=horizontal)
    _values(axes.xaxis if horizontal else axes.yaxis)
    if horizontal:
        axes.set_xlabel(axis_label)
    else:
        axes.set_ylabel(axis_label)
    if len(series) > 1:
        # Below the chart, in the figure's bottom margin (``draw.margins``).
        axes.figure.legend(loc="lower center", ncols=columns, frameon=False)


def grouped_bars(categories: list[str], series: list[tuple[str, list, tuple]], *, unit=""):
    """Horizontal bars side by side per category (the median and the 90th percentile of
    each phase)."""
    draw = partial(_draw_grouped_bars, categories, series, unit)
    draw.margins = (2.6, 0.4)
    return draw


def _draw_grouped_bars(categories, series, unit, axes):
    height = BAR / len(series)
    # Each value 3 points after the end of its bar.
    after = offset_copy(axes.transData, fig=axes.figure, x=3, units="points")
    for index, (label, values, style) in enumerate(series):
        offset = index * height
        _bars(
            axes,
            [0] * len(values),
            [value or 0 for value in values],
            horizontal=True,
            style=style,
            label=label,
            offset=offset,
            thickness=height,
        )
        # A phase passed within the day shows « 0 j »; a phase no one passed, nothing.
        for position, value in enumerate(values):
            if value is not None:
                axes.text(
                    value,
                    position + offset,
                    f"{fr.number(value, 0)}{unit}",
                    ha="left",
                    va="center",
                    transform=after,
                )
    _categories(axes, categories, horizontal=True, offset=height * (len(series) - 1) / 2)
    _values(axes.xaxis)
    axes.legend(loc="lower right", frameon=False)


def kappa_line(categories: list[str], values: list):
    """The kappa per quarter, with Landis & Koch's thresholds as dotted lines."""
    draw = partial(_draw_kappa_line, categories, values)
    draw.margins = (0.8, 0.45)
    return draw


def _draw_kappa_line(categories, values, axes):
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    axes.axhline(0, color="#333333", linewidth=0.8)
    for threshold in THRESHOLDS:
        axes.axhline(threshold, color="#767676", linewidth=0.6, linestyle=":")
    if points:
        xs, ys = zip(*points, strict=True)
        axes.plot(xs, ys, color=STYLES[0][0], marker="o", linewidth=2)
        above = offset_copy(axes.transData, fig=axes.figure, y=8, units="points")
        for x, y in points:
            axes.text(x, y, fr.number(y, 2), ha="center", transform=above)
    _categories(axes, categories, horizontal=False)
    # The value axis names the thresholds (the dotted lines) and the scale's ends.
    ticks = (-1, -0.5, 0, *THRESHOLDS, 1)
    axes.set_yticks(ticks, [fr.number(t, 1) for t in ticks])
    axes.set_ylim(-1, 1.1)
    axes.set_ylabel("kappa de Fleiss")


# -- the dashboard's charts --------------------------------------------------------------


def _listing(pairs) -> str:
    """« T1 2026 : 3 ; T2 2026 : 1 »."""
    return " ; ".join(f"{label} : {value}" for label, value in pairs) or "aucune donnée"


def _height(rows: int, *, minimum=2.2, per_row=0.42) -> float:
    return max(minimum, 1.2 + per_row * rows)


def dashboard_charts(board) -> dict[str, Chart]:
    """Every chart of the dashboard (``cohorts.dashboard.Dashboard``), by section, drawn
    (or read from the cache)."""
    return _drawn(dashboard_drawings(board))


def drawn_chart(board, name: str) -> Chart | None:
    """The chart ``name`` of the dashboard, drawn (or read from the cache); None when the
    dashboard has no such chart."""
    drawing = dashboard_drawings(board).get(name)
    return _drawn({name: drawing})[name] if drawing else None


def dashboard_drawings(board) -> dict[str, _Drawing]:
    """Every chart of the dashboard, by section, ready to draw: what it draws and says,
    computed from the figures alone (no drawing yet)."""
    overall = board.overall
    quarters = [row.label for row in board.quarters]
    charts = {}

    states = [
        (label, [row.state_counts[i] for row in board.quarters], STYLES[i % len(STYLES)])
        for i, label in enumerate(board.state_labels)
    ]
    charts["states"] = _Drawing(
        "graphique-etats",
        "Candidatures recevables par trimestre, selon leur état actuel",
        "Candidatures déclarées recevables par trimestre : "
        + _listing((row.label, fr.integer(row.total)) for row in board.quarters)
        + f". Au total {fr.integer(overall.total)}, dont "
        + _listing(
            (label.lower(), fr.integer(count))
            for label, count in zip(board.state_labels, overall.state_counts, strict=True)
            if count
        )
        + ".",
        stacked_bars(quarters, states, horizontal=False, axis_label="candidatures"),
        height=4.2,
        data=(quarters, states),
    )

    rates = [c.rate for c in overall.conversions]
    charts["conversions"] = _Drawing(
        "graphique-conversions",
        "Passage d'une étape à la suivante, sur la période",
        "Part des candidatures passées à l'étape suivante : "
        + _listing(
            (step, conversion.text)
            for step, conversion in zip(board.steps, overall.conversions, strict=True)
        )
        + ".",
        stacked_bars(board.steps, [("passées à l'étape suivante", rates, STYLES[0])], unit=" %"),
        height=_height(len(rates)),
        data=(board.steps, rates),
    )

    medians = [d.median for d in overall.durations]
    p90s = [d.p90 for d in overall.durations]
    charts["durations"] = _Drawing(
        "graphique-durees",
        "Jours passés dans chaque étape, sur la période",
        "Médiane et 90e centile des jours passés dans chaque étape : "
        + _listing(
            (step, duration.text)
            for step, duration in zip(board.steps, overall.durations, strict=True)
        )
        + ".",
        grouped_bars(
            board.steps,
            [("médiane", medians, STYLES[0]), ("90e centile", p90s, STYLES[1])],
            unit=" j",
        ),
        height=_height(2 * len(medians), per_row=0.3),
        data=(board.steps, medians, p90s),
    )

    withdrawals = overall.withdrawal_counts
    charts["withdrawals"] = _Drawing(
        "graphique-abandons",
        "Abandons selon l'état quitté, sur la période",
        f"{fr.plural(overall.withdrawn, 'abandon')} sur la période"
        + (
            " : "
            + _listing(
                (label.lower(), fr.integer(count))
                for label, count in zip(board.withdrawal_labels, withdrawals, strict=True)
                if count
            )
            if overall.withdrawn
            else ""
        )
        + ".",
        stacked_bars(board.withdrawal_labels, [("abandons", withdrawals, BAD)]),
        height=_height(len(withdrawals)),
        data=(board.withdrawal_labels, withdrawals),
    )

    codes = [b.code for b in board.blocs]
    blocs = [
        ("validé", [b.validated for b in board.blocs], GOOD),
        ("non validé", [b.refused for b in board.blocs], BAD),
    ]
    charts["blocs"] = _Drawing(
        "graphique-blocs",
        "Résultats par bloc (décisions signées)",
        "Blocs validés sur les décisions signées, du moins validé au plus validé : "
        + _listing(
            (b.code, f"{fr.integer(b.validated)} sur {fr.integer(b.decided)}") for b in board.blocs
        )
        + ".",
        stacked_bars(codes, blocs),
        height=_height(len(codes)),
        data=(codes, blocs),
    )

    shown = board.charted_competences
    labels = [row.code for row in shown]
    ratings = [
        (label, [row.consolidated.shares[i] for row in shown], style)
        for i, (label, style) in enumerate(
            zip(board.rating_labels, (GOOD, MIXED, BAD), strict=True)
        )
    ]
    charts["competences"] = _Drawing(
        "graphique-competences",
        "Les compétences les moins souvent acquises (après consolidation)",
        "Part des appréciations consolidées « non acquis » et « partiellement acquis » des "
        "compétences les moins souvent acquises : "
        + _listing(
            (
                row.code,
                f"{row.consolidated.texts[2]} non acquis, {row.consolidated.texts[1]} partiel",
            )
            for row in shown
        )
        + ".",
        stacked_bars(labels, ratings, unit=" %", axis_label="part des appréciations (%)"),
        height=_height(len(labels)),
        data=(labels, ratings),
    )

    kappas = [row.kappa.value for row in board.quarters]
    charts["agreement"] = _Drawing(
        "graphique-accord",
        "Accord entre évaluateurs par trimestre (kappa de Fleiss)",
        "Kappa de Fleiss par trimestre de recevabilité : "
        + _listing(
            (row.label, f"{row.kappa.display} ({row.kappa.reading})") for row in board.quarters
        )
        + ".",
        kappa_line(quarters, kappas),
        height=3.2,
        data=(quarters, kappas),
    )

    sessions = [row.sessions for row in board.quarters]
    charts["sessions"] = _Drawing(
        "graphique-sessions",
        "Sessions du jury tenues par trimestre",
        "Sessions du jury tenues : "
        + _listing((row.label, fr.integer(row.sessions)) for row in board.quarters)
        + ".",
        stacked_bars(quarters, [("sessions tenues", sessions, STYLES[0])], horizontal=False),
        height=3.2,
        data=(quarters, sessions),
    )

    delays = [d.label for d in board.delays]
    kept = [
        ("tenu", [d.kept for d in board.delays], GOOD),
        ("dépassé", [d.missed for d in board.delays], BAD),
        ("en cours, dans le délai", [d.waiting for d in board.delays], WAITING),
    ]
    charts["delays"] = _Drawing(
        "graphique-delais",
        "Délais légaux tenus ou dépassés",
        "Délais légaux : "
        + _listing(
            (d.label, f"{fr.integer(d.kept)} tenus, {fr.integer(d.missed)} dépassés")
            for d in board.delays
        )
        + ".",
        stacked_bars(delays, kept),
        height=_height(len(delays) + 1),
        data=(delays, kept),
    )
    return charts
