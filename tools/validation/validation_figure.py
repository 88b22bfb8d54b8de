#!/usr/bin/env python3
"""The validation figure of docs/scenarios.md: every validation-only published figure against a
run's median and 90 % interval, from the `validation` rows of `iskabm check-fit --csv`.

    python3 tools/validation/validation_figure.py CHECK_FIT.csv OUT.png [--title TEXT]

Each panel groups the figures by what they count (strength, attacks, people killed); the figure's
range is drawn as a black bar, the simulated median as a dot with its 90 % interval. Nothing is
recomputed here: the numbers are check-fit's."""
import argparse
import csv
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read_rows(path):
    rows = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r.get("kind") != "validation":
                continue
            m = re.search(r"\[([-0-9.e+]+), ([-0-9.e+]+)\]$", r["label"])
            if not m:
                sys.exit(f"{path}: validation row {r['name']} has no [low, high] range in its label")
            rows.append({"id": r["name"], "label": r["label"][: m.start()].strip(), "low": float(m.group(1)),
                         "high": float(m.group(2)), "median": float(r["median"]), "q05": float(r["q05"]),
                         "q95": float(r["q95"]), "inside": r["inside_90"] == "1"})
    if not rows:
        sys.exit(f"{path}: no validation rows (run check-fit on a run that covers the post-2018 figures)")
    return rows


def group_of(label):
    if label.startswith("ISK members"):
        return "ISK's strength in Afghanistan (members)"
    if label.startswith("killed in the deadliest") or label.startswith("people killed"):
        return "people killed"
    return "attacks"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("check_fit_csv")
    ap.add_argument("out_png")
    ap.add_argument("--title", default="Validation figures (never calibrated) against the run")
    a = ap.parse_args()
    rows = read_rows(a.check_fit_csv)
    groups = {}
    for r in rows:
        groups.setdefault(group_of(r["label"]), []).append(r)
    fig, axes = plt.subplots(len(groups), 1, figsize=(10, 1.0 + 0.55 * len(rows) + 0.6 * len(groups)),
                             gridspec_kw={"height_ratios": [len(g) for g in groups.values()]}, squeeze=False)
    for ax, (name, g) in zip(axes[:, 0], groups.items()):
        for k, r in enumerate(g):
            y = len(g) - 1 - k
            colour = "#4c72b0" if r["inside"] else "#c44e52"
            ax.plot([r["q05"], r["q95"]], [y, y], color=colour, linewidth=2.5, alpha=0.6)
            ax.plot([r["median"]], [y], "o", color=colour)
            ax.plot([r["low"], r["high"]], [y + 0.22, y + 0.22], color="black", linewidth=3,
                    marker="|" if r["low"] == r["high"] else None, markersize=10)
        ax.set_yticks(range(len(g)), [f"{r['id']}  {r['label'][:70]}" for r in reversed(g)], fontsize=7.5)
        ax.set_xscale("symlog", linthresh=10)
        ax.set_xlim(0, 1.6 * max(max(r["q95"], r["high"]) for r in g))
        ax.set_ylim(-0.6, len(g) - 0.4)
        ax.set_title(name, loc="left", fontsize=9)
        ax.grid(axis="x", color="0.9")
    fig.legend(handles=[plt.Line2D([], [], color="black", linewidth=3, label="published figure"),
                               plt.Line2D([], [], color="#4c72b0", marker="o", label="run: median, 90 % interval"),
                               plt.Line2D([], [], color="#c44e52", marker="o", label="figure outside the interval")],
               fontsize=7.5, loc="lower center", ncol=3)
    fig.suptitle(a.title, fontsize=10)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(a.out_png, dpi=110)
    print(f"wrote {a.out_png} ({len(rows)} figures, {sum(r['inside'] for r in rows)} inside)")


if __name__ == "__main__":
    main()
