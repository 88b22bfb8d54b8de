"""predictive_check.png: every summary statistic's observed value placed in its simulated
distribution (replicates of a run, or weighted accepted particles of a calibration).

Each statistic gets its own scale: the simulated median is 0, the 5 % and 95 % quantiles are -1
and +1 (piecewise linear, so skewed intervals stay honest). An observed value beyond +-1 lies
outside the 90 % interval; beyond +-3 it is drawn at the edge as a triangle. A table beside the
chart gives the values in their own units."""

import numpy as np
from matplotlib.lines import Line2D

from .plotting import INSIDE, OUTSIDE, FigureRecord, new_figure, number, save, span, summarise

LIMIT = 3.0
MAX_CHART_HEIGHT = 27.0  # inches: past about 100 statistics the rows get narrower instead


def relative_position(value, median, low, high):
    """value on the scale where median = 0, low (5 %) = -1, high (95 %) = +1."""
    value, median, low, high = (np.asarray(v, dtype=float) for v in (value, median, low, high))
    span = np.where(value >= median, high - median, median - low)
    with np.errstate(invalid="ignore", divide="ignore"):
        position = np.where(span > 0, (value - median) / np.where(span > 0, span, 1),
                            np.where(value == median, 0.0, np.sign(value - median) * np.inf))
    return np.where(np.isfinite(value) & np.isfinite(median), position, np.nan)


def predictive_check(names, simulated, observed_values, out_dir, title, source, description, weights=None):
    """The chart for statistics `names` (simulated: sample x statistic; observed: statistic)."""
    record = FigureRecord("predictive_check.png", title, description)
    observed_values = np.asarray(observed_values, dtype=float)
    # The misfits first (outside the 90 % interval), each group in the file's order.
    s = summarise(simulated, weights)
    first = relative_position(observed_values, s.q50, s.q05, s.q95)
    misfit = np.isfinite(first) & (np.abs(first) > 1)
    order = np.concatenate([np.flatnonzero(misfit), np.flatnonzero(~misfit)])
    names = [names[i] for i in order]
    simulated = np.asarray(simulated, dtype=float)[:, order]
    observed_values = observed_values[order]
    s = summarise(simulated, weights)
    record.notes.append("The statistics outside the simulated 90 % interval are listed first.")
    position = relative_position(observed_values, s.q50, s.q05, s.q95)
    inner_low = relative_position(s.q25, s.q50, s.q05, s.q95)
    inner_high = relative_position(s.q75, s.q50, s.q05, s.q95)
    compared = np.isfinite(position)
    outside = compared & (np.abs(position) > 1)
    count = len(names)
    rows = np.arange(count)[::-1]

    fig = new_figure(12.5, min(0.26 * count, MAX_CHART_HEIGHT) + 2.2,
                     f"{title}: {int((compared & ~outside).sum())} of {int(compared.sum())} observed statistics "
                     f"inside the simulated 90 % interval", source)
    chart, table = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [2.3, 1]})
    chart.axvspan(-1, 1, color="0.93", linewidth=0)
    chart.hlines(rows, -1, 1, color="0.55", linewidth=1)
    chart.hlines(rows, np.nan_to_num(inner_low), np.nan_to_num(inner_high), color="0.45", linewidth=3.5)
    chart.plot(np.zeros(count), rows, "|", color="0.2", markersize=9)
    shown = np.clip(position, -LIMIT, LIMIT)
    beyond = compared & (np.abs(position) > LIMIT)
    for mask, marker, colour in ((compared & ~outside, "o", INSIDE), (outside & ~beyond, "o", OUTSIDE),
                                 (beyond & (position > 0), ">", OUTSIDE), (beyond & (position < 0), "<", OUTSIDE)):
        chart.plot(shown[mask], rows[mask], marker, color=colour, markersize=6.5, zorder=3)
    for i in np.flatnonzero(~compared):
        chart.text(0, rows[i], "no observed value" if not np.isfinite(observed_values[i]) else "undefined",
                   fontsize=7, color="0.45", ha="center", va="center",
                   bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
    chart.set_yticks(rows, names)
    for label, bad in zip(chart.get_yticklabels(), outside):
        label.set_color(OUTSIDE if bad else "0.1")
    chart.set_ylim(-0.7, count - 0.3)
    chart.set_xlim(-LIMIT - 0.3, LIMIT + 0.3)
    chart.set_xticks([-3, -2, -1, 0, 1, 2, 3], ["\u22123", "\u22122", "\u22121\n5 %", "0\nmedian", "+1\n95 %", "+2",
                                                "+3"])
    chart.set_xlabel("observed value on the statistic's simulated scale (\u00b11 = the 90 % interval's ends)")
    chart.grid(axis="y", visible=False)
    chart.legend(handles=[
        Line2D([], [], color="0.55", linewidth=1, label="simulated 90 % interval"),
        Line2D([], [], color="0.45", linewidth=3.5, label="simulated 50 % interval"),
        Line2D([], [], color=INSIDE, marker="o", linestyle="none", label="observed, inside 90 %"),
        Line2D([], [], color=OUTSIDE, marker="o", linestyle="none",
               label="observed, outside 90 % (\u25b8 beyond \u00b13)")],
        loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, fontsize=7.5)

    table.set_axis_off()
    table.text(0.0, count - 0.3, "observed", fontsize=8, fontweight="bold", va="bottom")
    table.text(0.3, count - 0.3, "simulated: median (90 %)", fontsize=8, fontweight="bold", va="bottom")
    for i, row in enumerate(rows):
        colour = OUTSIDE if outside[i] else "0.1"
        table.text(0.0, row, number(observed_values[i]), fontsize=7.5, va="center", color=colour)
        table.text(0.3, row, f"{number(s.q50[i])} ({span(s.q05[i], s.q95[i])})", fontsize=7.5,
                   va="center", color="0.1")
    table.set_xlim(0, 1)
    if outside.any():
        record.notes.append("Outside the 90 % interval: " + ", ".join(np.asarray(names)[outside]) + ".")
    missing = [n for n, v in zip(names, observed_values) if not np.isfinite(v)]
    if missing:
        record.notes.append("No observed value (NaN in observed_statistics): " + ", ".join(missing) + ".")
    return save(fig, out_dir, record)
