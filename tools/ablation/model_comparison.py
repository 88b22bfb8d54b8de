#!/usr/bin/python3
"""The ablation table of docs/model-comparison.md from the files tools/ablation/run_ablation.sh
writes (OUT_DIR/VARIANT/...). Prints the Markdown table; with --doc FILE, replaces the text
between <!-- ablation:begin --> and <!-- ablation:end --> in FILE instead.

"final distance" is comparable across variants: ABC-SMC rescales its statistics by their MAD in
every generation, so each calibration's own tolerance is in its own units. Here the final
population of every variant is measured with one set of scales, each statistic's MAD over the
final particles of all variants together, and the column is the weighted median distance.
Needs numpy and h5py (Debian: python3-numpy, python3-h5py).

    python3 tools/ablation/model_comparison.py results/ablation [--doc docs/model-comparison.md]
"""
import argparse
import csv
import math
import os
import re
import statistics
import sys

ORDER = ["v2", "v2_per_purpose", "v2_seed7", "v1", "no_carrying_capacity", "no_urban_network",
         "no_self_excitation", "no_capability", "no_state_response", "no_reporting", "provincial_pressure"]
LABEL = {
    "v2": "**v2** (all mechanisms)",
    "v2_per_purpose": "v2, an earlier calibration (per-purpose draws): the calibration's own Monte Carlo error",
    "v2_seed7": "v2, calibrated with another seed (7): the calibration's own Monte Carlo error",
    "v1": "v1 (v1's baseline, every v2 mechanism off)",
    "no_carrying_capacity": "v2 − carrying capacity",
    "no_urban_network": "v2 − urban network",
    "no_self_excitation": "v2 − self-excitation",
    "no_capability": "v2 − capability",
    "no_state_response": "v2 − state response",
    "no_reporting": "v2 − reporting model",
    "provincial_pressure": "v2 − district-level pressure",
}
# Rows shown only when their files exist: v2_per_purpose is v2's calibration made before issue 22's
# draws (the same spec and seed), kept as a second ABC-SMC sample of the same target (run_ablation.sh
# does not make it); v2_seed7 is v2 calibrated with another seed (run_ablation.sh v2_seed7).
OPTIONAL = {"v2_per_purpose", "v2_seed7"}
CITIES = ["kabul", "jalalabad", "quetta"]


def final_population(posterior):
    import h5py
    import numpy as np
    with h5py.File(posterior, "r") as f:
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in f["statistic"][()]]
        return (names, np.asarray(f["statistics"][()], float), np.asarray(f["weight"][()], float),
                np.asarray(f["observed_statistics"][()], float), np.asarray(f["statistic_weight"][()], float))


def common_distances(out_dir, variants):
    """Weighted median distance of each variant's final population, with common MAD scales (taken over
    the table's variants only: an optional row, present or not, leaves every other row's value alone)."""
    import numpy as np
    pops = {v: final_population(os.path.join(out_dir, v, "posterior.h5")) for v in variants}
    if not pops:
        return {}
    names = next(iter(pops.values()))[0]
    if any(p[0] != names for p in pops.values()):
        sys.exit("model_comparison: the variants' posteriors have different statistics")
    allx = np.vstack([p[1] for v, p in pops.items() if v not in OPTIONAL] or [p[1] for p in pops.values()])
    med = np.nanmedian(allx, axis=0)
    mad = np.nanmedian(np.abs(allx - med), axis=0)
    out = {}
    for v, (_, x, w, y, sw) in pops.items():
        ok = np.isfinite(y) & (mad > 0)
        d = np.sqrt(np.nansum(sw[ok] * ((x[:, ok] - y[ok]) / mad[ok]) ** 2, axis=1))
        order = np.argsort(d)
        cum = np.cumsum(w[order]) / w.sum()
        out[v] = float(d[order][np.searchsorted(cum, 0.5)])
    return out


def check_fit(path):
    rows = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            if r["kind"] == "statistic":
                rows[r["name"]] = r
    return rows


def inside(r):
    return r is not None and r["inside_90"] == "1"


def defined(r):
    return r is not None and r["observed"] not in ("", "nan")


def pakistan_true_attacks(export_dir):
    per_rep = {}
    with open(os.path.join(export_dir, "replicate_totals.csv")) as f:
        for r in csv.DictReader(f):
            if r["variable"] == "attacks" and r["country"] == "Pakistan" and r["year"] in ("2017", "2018"):
                per_rep[r["replicate"]] = per_rep.get(r["replicate"], 0.0) + float(r["value"])
    return statistics.median(per_rep.values()) if per_rep else float("nan")


def scores(path):
    out = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            if r["scope"] == "overall":
                out[r["forecaster"]] = (float(r["crps"]), float(r["log_score"]))
    return out


def fmt(x, digits=2):
    return "–" if x is None or x != x else f"{x:.{digits}f}"


def table(out_dir):
    head = ("| variant | final ε | statistics inside 90 % | yearly counts inside (of 8) | Kabul / Jalalabad / "
            "Quetta inside | Afghan monthly autocorrelation (obs. 0.72) | ISK mean strength 2017 (F06/F07: "
            "1,000–3,500) | true attacks in Pakistan 2017–2018 | 2018-H2 CRPS | 2018-H2 log score | "
            "2018-H2 CRPS, conditioned | 2018-H2 log score, conditioned |")
    lines = [head, "|" + "---|" * 12]
    baselines = None
    done = [v for v in ORDER if os.path.exists(os.path.join(out_dir, v, "summary.done"))]
    distance = common_distances(out_dir, done)
    for v in ORDER:
        d = os.path.join(out_dir, v)
        if not os.path.exists(os.path.join(d, "summary.done")):
            if v in OPTIONAL:
                continue
            lines.append(f"| {LABEL[v]} | not run | | | | | | | | | | |")
            continue
        cf = check_fit(os.path.join(d, "check_fit.csv"))
        stats = [r for r in cf.values() if defined(r) and not r["name"].endswith("_2014")]
        n_in = sum(inside(r) for r in stats)
        yearly = [cf.get(f"observed_attacks_{c}_{y}") for c in ("Afghanistan", "Pakistan") for y in range(2015, 2019)]
        cities = "/".join("✓" if inside(cf.get(f"observed_attacks_{c}")) else "✗" for c in CITIES)
        ac = cf.get("observed_monthly_autocorrelation_Afghanistan")
        ac_text = f"{float(ac['median']):.2f} ({float(ac['q05']):.2f}–{float(ac['q95']):.2f}){'' if inside(ac) else ' ✗'}"
        st = cf.get("focal_members_mean_2017")
        st_text = f"{float(st['median']):,.0f} ({float(st['q05']):,.0f}–{float(st['q95']):,.0f})"
        sc = scores(os.path.join(d, "score.csv"))
        crps, logs = sc.get("model", (None, None))
        c_crps, c_logs = sc.get("model_conditioned", (None, None))
        if baselines is None:
            baselines = {k: x for k, x in sc.items() if not k.startswith("model")}
        lines.append(
            f"| {LABEL[v]} | {fmt(distance.get(v), 1)} | {n_in} of {len(stats)} | "
            f"{sum(inside(r) for r in yearly)} | {cities} | {ac_text} | {st_text} | "
            f"{pakistan_true_attacks(os.path.join(d, 'ppc_export')):,.0f} | {fmt(crps)} | {fmt(logs)} | "
            f"{fmt(c_crps)} | {fmt(c_logs)} |")
    if baselines:
        for name, (crps, logs) in baselines.items():
            lines.append(f"| baseline: {name} | | | | | | | | {fmt(crps)} | {fmt(logs)} | | |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--doc")
    a = ap.parse_args()
    text = table(a.out_dir)
    if not a.doc:
        sys.stdout.write(text)
        return
    with open(a.doc) as f:
        doc = f.read()
    begin, end = "<!-- ablation:begin -->\n", "<!-- ablation:end -->"
    i, j = doc.find(begin), doc.find(end)
    if i < 0 or j < 0:
        sys.exit(f"{a.doc}: no {begin.strip()} ... {end} markers")
    with open(a.doc, "w") as f:
        f.write(doc[: i + len(begin)] + text + doc[j:])


if __name__ == "__main__":
    main()
