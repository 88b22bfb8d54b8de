"""differences.png: paired what-if minus baseline differences as `iskabm compare --csv` wrote
them (columns metric, scope, period, replicates, baseline_median, whatif_median,
difference_median, difference_q05, _q25, _q75, _q95). Nothing is recomputed here."""

import os

import numpy as np
import pandas as pd

from .errors import InputDataError
from .inputs import one_line
from .plotting import FigureRecord, Summary, draw_intervals, interval_legend_note, new_figure, number, save

COLUMNS = ["metric", "scope", "period", "replicates", "baseline_median", "whatif_median", "difference_median",
           "difference_q05", "difference_q25", "difference_q75", "difference_q95"]
NUMERIC = COLUMNS[3:]
SCOPES = ["all", "Afghanistan", "Pakistan"]
SCOPE_COLOURS = {"all": "#333333", "Afghanistan": "#4c72b0", "Pakistan": "#55a868"}
METRIC_LABELS = {"attacks": "attacks (true)", "attacks_observed": "reported attacks",
                 "fatalities": "victims killed (true)", "fatalities_observed": "victims killed in reported attacks",
                 "joint_attacks": "joint attacks"}


def metric_label(metric):
    if metric in METRIC_LABELS:
        return METRIC_LABELS[metric]
    if metric.endswith("_members"):
        return f"{metric[:-len('_members')]} members at the end of the period"
    return metric.replace("_", " ")


def read_differences(path):
    if not os.path.isfile(path):
        raise InputDataError(f"{path}: no such file")
    try:
        frame = pd.read_csv(path, dtype={"metric": str, "scope": str, "period": str})
    except Exception as e:
        raise InputDataError(f"{path}: cannot be read as CSV ({one_line(e)})") from None
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise InputDataError(f"{path}: lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                             "(not written by iskabm compare --csv?)")
    for column in NUMERIC:
        values = pd.to_numeric(frame[column], errors="coerce")
        if values.isna().any():
            line = int(np.flatnonzero(values.isna().to_numpy())[0]) + 2
            raise InputDataError(f"{path}:{line}: {column} is not a number")
        frame[column] = values
    if frame.empty:
        raise InputDataError(f"{path}: holds no rows")
    return frame


def summary_of(rows):
    return Summary(*(rows[f"difference_{q}"].to_numpy() for q in ("q05", "q25", "median", "q75", "q95")))


def differences(run, baseline_title, baseline_name, csv_path, out_dir):
    frame = read_differences(csv_path)
    frame = frame[frame.scope.isin(SCOPES)]
    if frame.empty:
        raise InputDataError(f"{csv_path}: has no rows for the scopes {', '.join(SCOPES)}")
    metrics = list(dict.fromkeys(frame.metric))
    yearly = frame[frame.period.str.fullmatch(r"\d{4}")]
    whole = frame[~frame.period.str.fullmatch(r"\d{4}")]
    years = sorted(set(yearly.period))
    replicates = int(frame.replicates.max())
    record = FigureRecord(
        "differences.png", "What-if minus baseline",
        f"Paired differences, what-if \u201c{run.title}\u201d minus baseline \u201c{baseline_title}\u201d, per metric, "
        f"country and year and over the whole window: median with 50 % and 90 % intervals over "
        f"{replicates} paired replicates (from iskabm compare --csv).")
    source = (f"Source: {run.source} (what-if {run.name}, baseline {baseline_name}), {replicates} paired "
              f"replicates, seed {run.seed}; differences from iskabm compare --csv ({os.path.basename(csv_path)})")
    fig = new_figure(12.5, 2.5 * len(metrics) + 1.6,
                     f"Paired differences: \u201c{run.title}\u201d minus \u201c{baseline_title}\u201d", source)
    axes = fig.subplots(len(metrics), 2, squeeze=False, gridspec_kw={"width_ratios": [4, 1]})
    scopes = [s for s in SCOPES if s in set(frame.scope)]
    offsets = dict(zip(scopes, np.linspace(-0.22, 0.22, len(scopes)) if len(scopes) > 1 else [0.0]))
    for row, metric in enumerate(metrics):
        by_year, total = axes[row]
        for scope in scopes:
            rows = yearly[(yearly.metric == metric) & (yearly.scope == scope)].set_index("period").reindex(years)
            draw_intervals(by_year, np.arange(len(years)) + offsets[scope], summary_of(rows), SCOPE_COLOURS[scope],
                           scope if scope != "all" else "both countries", size=5)
            rows = whole[(whole.metric == metric) & (whole.scope == scope)]
            if len(rows):
                draw_intervals(total, [offsets[scope]], summary_of(rows.iloc[:1]), SCOPE_COLOURS[scope], scope, size=5)
        for ax in (by_year, total):
            ax.axhline(0, color="0.2", linewidth=0.8, zorder=0)
        rows = frame[frame.metric == metric]
        if (rows[["difference_q05", "difference_q95"]] == 0).all(axis=None):
            by_year.text(0.5, 0.75, "every 90 % interval is 0: the what-if does not change this metric",
                         transform=by_year.transAxes, ha="center", fontsize=8.5, color="0.3")
        by_year.set_xticks(np.arange(len(years)), years)
        by_year.set_xlim(-0.5, len(years) - 0.5)
        by_year.set_ylabel("difference\n(what-if \u2212 baseline)")
        baseline_total = whole[(whole.metric == metric) & (whole.scope == "all")]
        context = (f"; baseline median over the window {number(float(baseline_total.baseline_median.iloc[0]))}"
                   if len(baseline_total) else "")
        by_year.set_title(f"{metric_label(metric)} ({metric}){context}", loc="left")
        # Relative beside absolute, and a nil effect said in words (not scaled to look like a finding).
        whole_note = ""
        if len(baseline_total):
            r = baseline_total.iloc[0]
            relative = (f"{100 * r.difference_median / r.baseline_median:+.0f} %" if r.baseline_median != 0
                        else "baseline 0")
            effect = str(r["effect"]) if "effect" in whole.columns else ""  # compare --csv: detected / none detected
            if effect == "none detected":
                effect = "no detectable effect"
            elif effect == "detected":
                effect = "increase" if r.difference_median > 0 else "decrease"
            whole_note = f": {relative} (both countries)" + (f"\n{effect}" if effect else "")
            if effect == "no detectable effect":
                by_year.text(0.99, 0.96, "no detectable effect over the window (the paired 90 % interval holds 0)",
                             transform=by_year.transAxes, ha="right", va="top", fontsize=8, color="0.35")
        periods = sorted(set(whole[whole.metric == metric].period))
        total.set_xticks([0], [", ".join(periods) or "whole window"])
        total.set_xlim(-0.5, 0.5)
        total.set_title(f"whole window{whole_note}", loc="left", fontsize=8.5 if whole_note else None)
    axes[0, 0].legend(loc="lower left", bbox_to_anchor=(0, 1.12), ncol=len(scopes),
                      title=interval_legend_note(), title_fontsize=7.5)
    record.notes.append("Provinces in the CSV are not drawn; the CSV holds them. Each metric's scale is its own.")
    return save(fig, out_dir, record)
