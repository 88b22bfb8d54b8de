#!/usr/bin/env python3
"""Statistical equivalence of two ensembles of one scenario (issue 22, item 6): the cell-day draw
scheme against the per-purpose scheme of every earlier result ([run] draws; docs/calibration.md,
Speed). Two result files of `iskabm run`, same scenario and replicate count, differing only in the
draw scheme. For every summary statistic of the file and, per group and country, every monthly
metric summed over the window plus the members at its end, a two-sample Kolmogorov-Smirnov test
(asymptotic p-value; conservative for the many tied integer values) and the difference of the means
in standard errors, paired: replicate k of both files draws the same parameter values from the
posterior (keyed by seed and replicate) and differs only in its random numbers, so under equal
distributions the per-replicate differences have mean zero, and their mean in standard errors
is a sharper test than any unpaired one (the shared parameters make the unpaired KS test, which
assumes independent samples, conservative).

    compare_draw_schemes.py CELL_DAY.h5 PER_PURPOSE.h5 [--table]

Prints the number of comparisons, how many fall below p = 0.05 and 0.01 (about 5 % and 1 % are
expected by chance when the distributions are equal), the smallest p-value with its Holm-adjusted
value, the same for the paired mean differences, and the largest |z|. Exit 1 if either
Holm-adjusted smallest p-value is below 0.01.
"""
import math
import sys

import h5py
import numpy as np


def ks_p(a, b):
    a, b = np.sort(a), np.sort(b)
    allv = np.concatenate([a, b])
    cdf_a = np.searchsorted(a, allv, side="right") / len(a)
    cdf_b = np.searchsorted(b, allv, side="right") / len(b)
    d = float(np.max(np.abs(cdf_a - cdf_b)))
    ne = len(a) * len(b) / (len(a) + len(b))
    lam = (math.sqrt(ne) + 0.12 + 0.11 / math.sqrt(ne)) * d
    if lam < 1e-3:
        return d, 1.0
    s = sum(2 * (-1) ** (k - 1) * math.exp(-2 * k * k * lam * lam) for k in range(1, 101))
    return d, min(1.0, max(0.0, s))


def paired_z(a, b):
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    se = np.std(d, ddof=1) / math.sqrt(len(d))
    return 0.0 if se == 0 else float(np.mean(d) / se)


def normal_p(z):
    return math.erfc(abs(z) / math.sqrt(2))


def quantities(path):
    out = {}
    with h5py.File(path, "r") as f:
        names = [s.decode() if isinstance(s, bytes) else s for s in f["statistic"][...]]
        stats = f["summary_statistics"][...]
        for k, name in enumerate(names):
            col = stats[:, k]
            if np.all(np.isfinite(col)):
                out["statistic " + name] = col
        groups = [s.decode() if isinstance(s, bytes) else s for s in f["group"][...]]
        countries = ["Afghanistan", "Pakistan"]
        for var in sorted(k for k in f.keys() if k.startswith("group_")):
            x = f[var][...].astype(np.int64)  # replicate, time, group, country
            stock = var in ("group_members", "group_cells")
            for g, gid in enumerate(groups):
                for c, cname in enumerate(countries):
                    col = x[:, -1, g, c] if stock else x[:, :, g, c].sum(axis=1)
                    out[f"{var} {gid} {cname}" + (" (end)" if stock else " (window)")] = col
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        print(__doc__)
        return 64
    a, b = quantities(args[0]), quantities(args[1])
    rows = []
    for name in a:
        if name not in b:
            continue
        x, y = a[name], b[name]
        if np.all(x == x[0]) and np.all(y == y[0]) and x[0] == y[0]:
            continue  # constant and equal in both (e.g. a metric no group has): nothing to test
        d, p = ks_p(x, y)
        z = paired_z(x, y)
        rows.append((name, np.mean(x), np.mean(y), z, d, p, normal_p(z)))
    m = len(rows)
    ps = sorted(r[5] for r in rows)
    zs = sorted(r[6] for r in rows)
    # Holm's adjusted value of the smallest p-value is m x p: whether any test rejects at a level.
    holm = min(1.0, m * ps[0]) if m else 1.0
    holm_z = min(1.0, m * zs[0]) if m else 1.0
    replicates = len(next(iter(a.values())))
    if "--table" in sys.argv:
        print("| quantity | mean, cell_day | mean, per_purpose | paired z | KS D | KS p |\n|---|---|---|---|---|---|")
        for r in rows:
            print(f"| {r[0]} | {r[1]:.4g} | {r[2]:.4g} | {r[3]:+.2f} | {r[4]:.3f} | {r[5]:.3f} |")
        print()
    worst = max(rows, key=lambda r: abs(r[3]))
    print(f"{replicates} replicates per scheme; {m} quantities compared")
    print(f"KS p < 0.05: {sum(p < 0.05 for p in ps)} (expected by chance about {0.05 * m:.1f}); "
          f"p < 0.01: {sum(p < 0.01 for p in ps)} (about {0.01 * m:.1f})")
    print(f"smallest p {ps[0]:.4f} ({min(rows, key=lambda r: r[5])[0]}), Holm-adjusted {holm:.3f}")
    print(f"paired differences of the means: |z| > 1.96 for {sum(p < 0.05 for p in zs)} (about {0.05 * m:.1f} by "
          f"chance), largest |z| {abs(worst[3]):.2f} ({worst[0]}), Holm-adjusted p {holm_z:.3f}")
    same = holm >= 0.01 and holm_z >= 0.01
    print("verdict: " + ("no difference detected" if same else "DIFFERENT distributions"))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
