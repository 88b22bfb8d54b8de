#!/usr/bin/python3
"""The ablation table of docs/model-comparison.md from the files tools/ablation/run_ablation.sh
writes (OUT_DIR/VARIANT/...). Prints the Markdown table; with --doc FILE, replaces the text
between <!-- ablation:begin --> and <!-- ablation:end --> in FILE instead.

With --record DIR, each finished variant's few small files the table needs are copied to DIR/VARIANT/
(check_fit.csv, score.csv, the final population's statistics, the per-replicate true attacks in
Pakistan 2017-2018, and the calibrations' fingerprints), and the table is then read from DIR: the
record survives where results/ does not (docs/model-comparison/ is the committed one). The table
reads a variant from its run files when they are there and from its record otherwise.

"final distance" is comparable across variants: ABC-SMC rescales its statistics by their MAD in
every generation, so each calibration's own tolerance is in its own units. Here the final
population of every variant is measured with one set of scales, each statistic's MAD over the
final particles of all variants together, and the column is the weighted median distance.
Needs numpy and h5py (Debian: python3-numpy, python3-h5py).

    python3 tools/ablation/model_comparison.py results/ablation [--doc docs/model-comparison.md]
    python3 tools/ablation/model_comparison.py results/ablation --record docs/model-comparison \
        --doc docs/model-comparison.md
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


def text(x):
    return x.decode() if isinstance(x, bytes) else str(x)


def final_population(variant_dir):
    """(statistic names, final particles' statistics, weights, observed statistics, statistic weights),
    from the variant's posterior file or, without one, its record's final_population.csv."""
    import numpy as np
    posterior = os.path.join(variant_dir, "posterior.h5")
    if os.path.exists(posterior):
        import h5py
        with h5py.File(posterior, "r") as f:
            names = [text(n) for n in f["statistic"][()]]
            return (names, np.asarray(f["statistics"][()], float), np.asarray(f["weight"][()], float),
                    np.asarray(f["observed_statistics"][()], float), np.asarray(f["statistic_weight"][()], float))
    with open(os.path.join(variant_dir, "final_population.csv")) as f:
        rows = list(csv.reader(line for line in f if not line.startswith("#")))
    names, body = rows[0][2:], rows[1:]
    pick = lambda kind: [r for r in body if r[0] == kind]  # noqa: E731
    values = lambda r: [float(x) for x in r[2:]]  # noqa: E731
    particles = pick("particle")
    return (names, np.array([values(r) for r in particles]), np.array([float(r[1]) for r in particles]),
            np.array(values(pick("observed")[0])), np.array(values(pick("statistic_weight")[0])))


def record(out_dir, dest):
    """Copies each finished variant's small files to DEST/VARIANT/ (see the module's docstring)."""
    import shutil
    import h5py
    for v in ORDER:
        src = os.path.join(out_dir, v)
        if not os.path.exists(os.path.join(src, "summary.done")) or not os.path.exists(os.path.join(src, "posterior.h5")):
            continue
        d = os.path.join(dest, v)
        os.makedirs(d, exist_ok=True)
        for name in ("check_fit.csv", "score.csv", "summary.done"):
            shutil.copyfile(os.path.join(src, name), os.path.join(d, name))
        names, x, w, y, sw = final_population(src)
        with open(os.path.join(d, "final_population.csv"), "w", newline="") as f:
            f.write(f"# {v}: the final ABC-SMC population of {src}/posterior.h5 (tools/ablation/model_comparison.py)\n")
            out = csv.writer(f, lineterminator="\n")
            out.writerow(["row", "weight"] + names)
            out.writerow(["observed", ""] + [f"{z:.9g}" for z in y])
            out.writerow(["statistic_weight", ""] + [f"{z:.9g}" for z in sw])
            for wi, xi in zip(w, x):
                out.writerow(["particle", f"{wi:.9g}"] + [f"{z:.9g}" for z in xi])
        with open(os.path.join(d, "pakistan_attacks.csv"), "w") as f:
            f.write("replicate,true_attacks_2017_2018\n")
            for rep, n in sorted(pakistan_attacks_per_replicate(os.path.join(src, "ppc_export")).items(), key=lambda kv: int(kv[0])):
                f.write(f"{rep},{n:.9g}\n")
        with open(os.path.join(d, "calibrations.txt"), "w") as f:
            for name in ("posterior.h5", "holdout_posterior.h5"):
                with h5py.File(os.path.join(src, name), "r") as h:
                    a = h.attrs
                    f.write(f"{name}: {text(a['title'])}; {text(a['status'])} ({text(a['stop_reason'])}); "
                            f"{int(a['generations_complete'])} generations, {int(a['simulations_total']):,} simulations; "
                            f"seed {int(a['seed'])}; fingerprint {fnv1a(text(a['fingerprint'])):016x}\n")
        print(f"model_comparison: recorded {v} in {d}", file=sys.stderr)


def fnv1a(s):
    h = 0xcbf29ce484222325
    for b in s.encode():
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def common_distances(out_dir, variants):
    """Weighted median distance of each variant's final population, with common MAD scales (taken over
    the table's variants only: an optional row, present or not, leaves every other row's value alone)."""
    import numpy as np
    pops = {v: final_population(os.path.join(out_dir, v)) for v in variants}
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


def pakistan_attacks_per_replicate(export_dir):
    per_rep = {}
    with open(os.path.join(export_dir, "replicate_totals.csv")) as f:
        for r in csv.DictReader(f):
            if r["variable"] == "attacks" and r["country"] == "Pakistan" and r["year"] in ("2017", "2018"):
                per_rep[r["replicate"]] = per_rep.get(r["replicate"], 0.0) + float(r["value"])
    return per_rep


def pakistan_true_attacks(variant_dir):
    export_dir = os.path.join(variant_dir, "ppc_export")
    if os.path.exists(export_dir):
        per_rep = pakistan_attacks_per_replicate(export_dir)
    else:
        with open(os.path.join(variant_dir, "pakistan_attacks.csv")) as f:
            per_rep = {r["replicate"]: float(r["true_attacks_2017_2018"]) for r in csv.DictReader(f)}
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
            f"{pakistan_true_attacks(d):,.0f} | {fmt(crps)} | {fmt(logs)} | "
            f"{fmt(c_crps)} | {fmt(c_logs)} |")
    if baselines:
        for name, (crps, logs) in baselines.items():
            lines.append(f"| baseline: {name} | | | | | | | | {fmt(crps)} | {fmt(logs)} | | |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--doc")
    ap.add_argument("--record", metavar="DIR", help="copy each finished variant's small files to DIR/VARIANT/, then read the table from DIR")
    a = ap.parse_args()
    source = a.out_dir
    if a.record:
        record(a.out_dir, a.record)
        source = a.record
    table_text = table(source)
    if not a.doc:
        sys.stdout.write(table_text)
        return
    with open(a.doc) as f:
        doc = f.read()
    begin, end = "<!-- ablation:begin -->\n", "<!-- ablation:end -->"
    i, j = doc.find(begin), doc.find(end)
    if i < 0 or j < 0:
        sys.exit(f"{a.doc}: no {begin.strip()} ... {end} markers")
    with open(a.doc, "w") as f:
        f.write(doc[: i + len(begin)] + table_text + doc[j:])


if __name__ == "__main__":
    main()
