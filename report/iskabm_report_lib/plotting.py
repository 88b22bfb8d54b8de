"""Helpers every figure uses: the matplotlib set-up, a figure with its source line, quantile
summaries (weighted or not), bands and interval whiskers, message panels, number formatting and
saving with reproducible bytes."""

import os
import textwrap
import warnings
from dataclasses import dataclass, field

import matplotlib
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator
import numpy as np

DPI = 130
SOURCE_FONT_SIZE = 7.5

# One colour per kind of series, the same in every figure.
SIMULATED_TRUE = "#4c72b0"      # attacks carried out (true counts)
SIMULATED_REPORTED = "#dd8452"  # attacks entering the notable-incident record
OBSERVED = "#111111"            # the observed record
INSIDE, OUTSIDE = "#2a9d55", "#c62828"
GROUP_COLOURS = ["#c44e52", "#4c72b0", "#55a868", "#8172b3", "#937860", "#da8bc3", "#8c8c8c", "#ccb974"]


@dataclass
class FigureRecord:
    """One written figure: its file, title and one-sentence description (figures.tsv), and
    notes added to its caption in report.html."""

    file: str
    title: str
    description: str
    notes: list = field(default_factory=list)

    @property
    def caption(self):
        return " ".join([self.description] + list(self.notes))


def configure_matplotlib():
    matplotlib.rcParams.update({
        "svg.hashsalt": "iskabm-report",
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.labelsize": 9,
        "legend.fontsize": 8,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "figure.titlesize": 12,
        "figure.titleweight": "bold",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.axisbelow": True,
        "grid.color": "0.9",
        "grid.linewidth": 0.6,
        "legend.frameon": False,
        "savefig.facecolor": "white",
        "path.simplify": True,
    })


def new_figure(width, height, title, source):
    """A figure with constrained layout, a bold title and the source line at the bottom
    (wrapped to the figure's width, space reserved for it)."""
    chars = max(int(width * 72 / (SOURCE_FONT_SIZE * 0.52)), 40)
    lines = textwrap.wrap(source, chars)
    margin = (len(lines) * SOURCE_FONT_SIZE * 1.3 + 8) / 72 / height
    fig = plt.figure(figsize=(width, height), layout="constrained")
    fig.get_layout_engine().set(rect=(0, margin, 1, 1 - margin), h_pad=0.06, w_pad=0.06)
    fig.suptitle(title)
    fig.text(0.008, 0.006, "\n".join(lines), fontsize=SOURCE_FONT_SIZE, color="0.35", ha="left", va="bottom")
    return fig


def save(fig, out_dir, record):
    """Write the figure as PNG without the Software tag (same bytes on a re-run) and close it."""
    fig.savefig(os.path.join(out_dir, record.file), dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    return record


# ---------------------------------------------------------------- quantiles
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass
class Summary:
    """Quantiles of samples along their first axis: 5, 25, 50, 75 and 95 %."""

    q05: np.ndarray
    q25: np.ndarray
    q50: np.ndarray
    q75: np.ndarray
    q95: np.ndarray


def weighted_quantiles(samples, qs, weights):
    """Quantiles along axis 0 of a weighted sample (midpoints of the weighted ECDF steps; NaN
    samples dropped)."""
    samples = np.asarray(samples, dtype=float)
    flat = samples.reshape(samples.shape[0], -1)
    out = np.full((len(qs), flat.shape[1]), np.nan)
    for j in range(flat.shape[1]):
        ok = np.isfinite(flat[:, j]) & (weights > 0)
        if not ok.any():
            continue
        order = np.argsort(flat[ok, j], kind="stable")
        x, w = flat[ok, j][order], weights[ok][order]
        cumulative = (np.cumsum(w) - 0.5 * w) / w.sum()
        out[:, j] = np.interp(qs, cumulative, x)
    return out.reshape((len(qs),) + samples.shape[1:])


def quantiles(samples, qs, weights=None):
    """Quantiles along axis 0, ignoring NaN (all-NaN columns give NaN, silently)."""
    samples = np.asarray(samples, dtype=float)
    if weights is not None:
        return weighted_quantiles(samples, qs, np.asarray(weights, dtype=float))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanquantile(samples, qs, axis=0)


def summarise(samples, weights=None):
    return Summary(*quantiles(samples, QUANTILES, weights))


def draw_band(ax, x, samples, colour, label, weights=None):
    """Median line with 50 % and 90 % bands of samples (replicate first)."""
    s = summarise(samples, weights)
    ax.fill_between(x, s.q05, s.q95, color=colour, alpha=0.16, linewidth=0)
    ax.fill_between(x, s.q25, s.q75, color=colour, alpha=0.32, linewidth=0)
    ax.plot(x, s.q50, color=colour, linewidth=1.5, label=f"{label}: median, 50 % and 90 % bands")
    return s


def draw_intervals(ax, positions, summary, colour, label, horizontal=False, marker="o", size=4):
    """Dot (median) with a thick 50 % and a thin 90 % whisker at each position (none where the
    median is NaN)."""
    positions = np.asarray(positions, dtype=float)
    keep = np.isfinite(np.asarray(summary.q50, dtype=float))
    positions = positions[keep]
    summary = Summary(*(np.asarray(q, dtype=float)[keep] for q in (summary.q05, summary.q25, summary.q50,
                                                                   summary.q75, summary.q95)))
    if horizontal:
        ax.hlines(positions, summary.q05, summary.q95, color=colour, linewidth=1)
        ax.hlines(positions, summary.q25, summary.q75, color=colour, linewidth=3.2)
        ax.plot(summary.q50, positions, marker, color=colour, markersize=size, linestyle="none",
                markeredgecolor="white", markeredgewidth=0.6, label=label)
    else:
        ax.vlines(positions, summary.q05, summary.q95, color=colour, linewidth=1)
        ax.vlines(positions, summary.q25, summary.q75, color=colour, linewidth=3.2)
        ax.plot(positions, summary.q50, marker, color=colour, markersize=size, linestyle="none",
                markeredgecolor="white", markeredgewidth=0.6, label=label)


def interval_legend_note():
    return "dots: median; thick bars: 50 % interval; thin bars: 90 % interval"


# ---------------------------------------------------------------- panels and axes
def message_panel(ax, message):
    """A panel that says why there is nothing to draw."""
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for side in ax.spines.values():
        side.set_visible(True)
        side.set_color("0.8")
    ax.text(0.5, 0.5, textwrap.fill(message, 48), transform=ax.transAxes, ha="center", va="center",
            color="0.3", fontsize=9.5)


def month_axis(ax):
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def number(value):
    """A number for a label: thousands separators from 1,000, else 3 significant digits; a true
    minus sign."""
    if value is None or not np.isfinite(value):
        return "\u2013"
    if abs(value) >= 1000:
        text = f"{value:,.0f}"
    elif value == int(value):
        text = f"{int(value)}"
    else:
        text = f"{value:.3g}"
    return text.replace("-", "\u2212")


def span(low, high):
    """'low–high', spaced when a bound is negative (so '−5.1 – −1.4' stays readable)."""
    joiner = " \u2013 " if min(low, high) < 0 else "\u2013"
    return f"{number(low)}{joiner}{number(high)}"


def plain_log_axis(ax, axis="x"):
    """Log-axis ticks at 1, 2 and 5 times powers of ten, labelled as plain numbers."""
    target = getattr(ax, f"{axis}axis")
    target.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    target.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    target.set_minor_locator(NullLocator())


def month_label(timestamp):
    return timestamp.strftime("%Y-%m")


def period_label(first, last):
    return f"{month_label(first)} \u2013 {month_label(last)}"


def grid_shape(count, columns):
    columns = max(1, min(columns, count))
    return int(np.ceil(count / columns)), columns


def small_multiples(fig, count, columns):
    """count axes in a grid of the given columns (unused cells hidden)."""
    rows, columns = grid_shape(count, columns)
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for ax in axes[count:]:
        ax.set_visible(False)
    return axes[:count]


def thousands_axis(ax, axis="y"):
    """Tick labels with thousands separators."""
    getattr(ax, f"{axis}axis").set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))


def density_histogram(ax, values, weights, log, colour, label, bins=24, edges=None):
    """A (weighted) histogram as density per unit, or per log10 unit on a log axis; returns the edges."""
    values = np.asarray(values, dtype=float)
    weights = np.ones_like(values) if weights is None else np.asarray(weights, dtype=float)
    ok = np.isfinite(values) & (values > 0 if log else True)
    values, weights = values[ok], weights[ok]
    if edges is None:
        low, high = (values.min(), values.max()) if len(values) else (0.0, 1.0)
        if high <= low:  # one distinct value: a bin around it
            pad = abs(low) * 0.1 or 0.5
            low, high = (low / 1.5, low * 1.5) if log and low > 0 else (low - pad, high + pad)
        edges = np.logspace(np.log10(low), np.log10(high), bins + 1) if log else np.linspace(low, high, bins + 1)
    counts, edges = np.histogram(values, bins=edges, weights=weights)
    widths = np.diff(np.log10(edges)) if log else np.diff(edges)
    density = counts / max(weights.sum(), 1e-300) / widths
    ax.stairs(density, edges, fill=True, color=colour, alpha=0.45, label=label)
    ax.stairs(density, edges, color=colour, linewidth=1)
    if log:
        ax.set_xscale("log")
        plain_log_axis(ax)
    return edges
