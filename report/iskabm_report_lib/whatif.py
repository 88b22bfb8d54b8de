"""The figures and text of a what-if report (`report WHATIF.h5 --baseline BASE.h5`): the what-if
beside its own baseline, not beside the record.

- whatif_vs_baseline.png: monthly reported attacks per country, what-if and baseline bands
  overlaid, and their month-of-year profiles;
- district_differences.png: the paired median difference (what-if minus baseline, replicate by
  replicate) of reported attacks per district on a diverging scale, districts whose 90 % interval
  excludes zero outlined;
- configuration_changes(): what the what-if's resolved scenario changes against the baseline's.

Replicate k of the two files shares its random streams (common random numbers): differences are
taken replicate by replicate, as `iskabm compare` does."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.cm import ScalarMappable
from matplotlib.colors import TwoSlopeNorm, to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .errors import InputDataError
from .maps import country_outlines, district_join
from .observed import INCIDENTS
from .plotting import FigureRecord, draw_band, draw_intervals, month_axis, new_figure, number, save, summarise
from .series import month_shares

WHATIF = "#c44e52"
BASELINE = "#4c72b0"
EXCLUDES_ZERO = "#111111"


def paired(run, baseline):
    """The months the two runs share (boolean masks over each) and a check that the replicates pair."""
    if list(run.values("replicate")) != list(baseline.values("replicate")):
        raise InputDataError(f"{run.path} and {baseline.path} hold different replicates: a paired what-if report "
                             "needs the same replicate numbers (run both with the same --replicates)")
    if run.district_ids != baseline.district_ids:
        raise InputDataError(f"{run.path} and {baseline.path} use different district maps")
    common = run.times.intersection(baseline.times)
    if len(common) == 0:
        raise InputDataError(f"{run.path} and {baseline.path} share no month")
    return np.asarray(run.times.isin(common)), np.asarray(baseline.times.isin(common)), common


def whatif_vs_baseline(run, baseline, baseline_title, observed, out_dir):
    mine, theirs, months = paired(run, baseline)
    record = FigureRecord(
        "whatif_vs_baseline.png", "What-if and baseline",
        f"Monthly reported attacks per country, the what-if \u201c{run.title}\u201d and its baseline "
        f"\u201c{baseline_title}\u201d overlaid (median, 50 % and 90 % bands over replicates), and the share of "
        "the window's reported attacks in each calendar month for both.")
    w = run.by_country("attacks_observed")[:, mine]
    b = baseline.by_country("attacks_observed")[:, theirs]
    fig = new_figure(14, 3.2 * len(run.countries) + 1.4,
                     f"\u201c{run.title}\u201d against its baseline \u201c{baseline_title}\u201d",
                     run.source_line(INCIDENTS) + f"; baseline {baseline.name}")
    axes = np.atleast_2d(fig.subplots(len(run.countries), 2, gridspec_kw={"width_ratios": [3, 1.25]}))
    for c, country in enumerate(run.countries):
        series, profile = axes[c]
        draw_band(series, months, b[:, :, c], BASELINE, "baseline")
        draw_band(series, months, w[:, :, c], WHATIF, "what-if")
        series.text(0.01, 0.96, country, transform=series.transAxes, fontsize=10, fontweight="bold", va="top")
        series.set_ylabel("reported attacks per month")
        series.set_ylim(bottom=0)
        month_axis(series)
        positions = np.arange(1, 13)
        for values, colour, offset, label in ((b, BASELINE, -0.15, "baseline"), (w, WHATIF, 0.15, "what-if")):
            shares = month_shares(values[:, :, c], months)
            draw_intervals(profile, positions + offset, summarise(shares), colour, label, size=3.5)
        profile.set_xticks(positions, ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"])
        profile.set_title("share of the window's reported attacks by calendar month", fontsize=8.5, loc="left")
    axes[0, 0].legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2)
    record.notes.append(f"{len(months)} months the two runs share; the same {run.replicates} replicate numbers.")
    return save(fig, out_dir, record)


def district_differences(run, baseline, baseline_title, observed, out_dir):
    mine, theirs, months = paired(run, baseline)
    polygons, missing = district_join(run, observed)
    difference = (run.total_by_district("attacks_observed", mine)
                  - baseline.total_by_district("attacks_observed", theirs))  # replicate x district
    median = pd.Series(np.median(difference, axis=0), index=run.district_ids)
    low = pd.Series(np.quantile(difference, 0.05, axis=0), index=run.district_ids)
    high = pd.Series(np.quantile(difference, 0.95, axis=0), index=run.district_ids)
    excludes_zero = (low > 0) | (high < 0)
    record = FigureRecord(
        "district_differences.png", "Where the what-if changes attacks",
        f"Paired median difference of reported attacks per district over {months[0]:%Y-%m}\u2013{months[-1]:%Y-%m}, "
        f"what-if \u201c{run.title}\u201d minus baseline \u201c{baseline_title}\u201d, replicate by replicate, on a "
        "diverging scale (red: more attacks, blue: fewer); districts whose 90 % interval excludes zero are "
        "outlined in black.")
    fig = new_figure(11, 8, f"Where reported attacks change: \u201c{run.title}\u201d\nminus \u201c{baseline_title}\u201d",
                     run.source_line(INCIDENTS) + f"; baseline {baseline.name}")
    ax = fig.subplots()
    limit = max(float(np.abs(median).max()), 0.5)
    norm = TwoSlopeNorm(vcenter=0, vmin=-limit, vmax=limit)
    cmap = plt.get_cmap("RdBu_r")
    values = median.reindex(polygons.index).fillna(0.0)
    colours = np.array([cmap(norm(v)) if v != 0 else to_rgba("#f2f2f2") for v in values])
    polygons.plot(ax=ax, color=colours, edgecolor="white", linewidth=0.15)
    marked = polygons[polygons.index.isin(excludes_zero[excludes_zero].index)]
    if len(marked):
        marked.boundary.plot(ax=ax, color=EXCLUDES_ZERO, linewidth=1.1)
    country_outlines(polygons).boundary.plot(ax=ax, color="0.35", linewidth=0.8)
    ax.set_axis_off()
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, pad=0.01)
    bar.set_label("paired median difference in reported attacks per district (what-if \u2212 baseline)")
    ax.legend(handles=[Patch(facecolor="#f2f2f2", edgecolor="0.7", label="median difference 0"),
                       Line2D([], [], color=EXCLUDES_ZERO, linewidth=1.2,
                              label=f"90 % interval excludes zero ({int(excludes_zero.sum())} districts)")],
              loc="lower left", fontsize=8)
    names = dict(zip(run.district_ids, run.district_names))
    largest = median.abs().sort_values(ascending=False, kind="stable")
    listed = [f"{names[d]} {number(float(median[d]))} (90 %: {number(float(low[d]))} to {number(float(high[d]))})"
              for d in largest.index[:5] if median[d] != 0]
    if listed:
        record.notes.append("Largest median changes: " + "; ".join(listed) + ".")
    else:
        record.notes.append("No detectable effect: the paired median difference is 0 in every district.")
    if missing:
        record.notes.append(f"Not drawn (no polygon): {', '.join(missing[:10])}.")
    return save(fig, out_dir, record)


ARRAYS_OF_TABLES = ["group", "alliance_tie", "tie_change", "pressure", "intervention"]


def _label(table):
    for key in ("label", "id", "group", "actor", "kind"):
        if key in table:
            return f"{key} = {table[key]}"
    return ", ".join(f"{k} = {v}" for k, v in list(table.items())[:3])


def configuration_changes(run_configuration, baseline_configuration):
    """What the what-if's resolved scenario changes against the baseline's, one line each."""
    changes = []
    for key in ARRAYS_OF_TABLES:
        mine = run_configuration.get(key, []) or []
        theirs = baseline_configuration.get(key, []) or []
        for t in mine:
            if t not in theirs:
                twin = next((o for o in theirs if _label(o) == _label(t)), None)
                changes.append(f"[[{key}]] {_label(t)}: " + ("changed" if twin is not None else "added"))
        for t in theirs:
            if t not in mine and not any(_label(o) == _label(t) for o in mine):
                changes.append(f"[[{key}]] {_label(t)}: removed")
    for table in ("parameters", "model", "districts", "output"):
        mine = run_configuration.get(table, {}) or {}
        theirs = baseline_configuration.get(table, {}) or {}
        flat_mine, flat_theirs = _flatten(mine), _flatten(theirs)
        for k in sorted(set(flat_mine) | set(flat_theirs)):
            if flat_mine.get(k) != flat_theirs.get(k):
                changes.append(f"{table}.{k}: {flat_theirs.get(k, 'unset')} \u2192 {flat_mine.get(k, 'unset')}")
    mine_run, theirs_run = run_configuration.get("run", {}), baseline_configuration.get("run", {})
    for k in ("start", "end"):
        if mine_run.get(k) != theirs_run.get(k):
            changes.append(f"run.{k}: {theirs_run.get(k)} \u2192 {mine_run.get(k)}")
    return changes


def _flatten(table, prefix=""):
    out = {}
    for k, v in table.items():
        if isinstance(v, dict):
            out.update(_flatten(v, f"{prefix}{k}."))
        elif isinstance(v, list) and len(v) > 8:
            out[f"{prefix}{k}"] = f"[{len(v)} values, sum {sum(x for x in v if isinstance(x, (int, float))):.6g}]"
        else:
            out[f"{prefix}{k}"] = v
    return out
