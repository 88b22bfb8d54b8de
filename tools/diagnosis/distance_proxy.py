#!/usr/bin/python3
"""Session 20: a proxy of the calibration's ABC distance on the 200 PPC replicates, to see which statistics
price a faster rise or a stronger ISK. Distance as docs/calibration.md (Method): weighted Euclidean of
(sim - obs) / (1.4826 MAD), the MAD here taken over the 200 PPC replicates (the calibration takes it over the
previous generation), weights from calibration/default.toml, an undefined statistic 10 scales off.

Run: /usr/bin/python3 tools/diagnosis/distance_proxy.py [OUT_DIR]  -> OUT_DIR/distance_proxy.txt (default results/diagnosis/)
"""
import csv, fnmatch, os, sys
from collections import defaultdict
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "results", "diagnosis")
os.makedirs(OUT, exist_ok=True)
W = [("observed_attacks_*", 1.0), ("observed_month_share_*", 0.5), ("observed_province_share_*", 1.0),
     ("observed_top5_district_share", 1.0), ("observed_fatalities_*", 1.0), ("observed_joint_claim_share", 1.0),
     ("observed_zero_month_share_*", 0.5), ("observed_fighting_season_share_*", 0.5), ("observed_winter_share_*", 0.5),
     ("observed_top5_district_share_*", 0.5), ("observed_ramadan_share", 0.5), ("observed_days_between_attacks_*", 1.0),
     ("observed_burstiness", 1.0), ("focal_members_mean_2017", 2.0), ("focal_killed_Afghanistan", 1.0),
     ("focal_captured_*", 0.25), ("focal_surrendered_Afghanistan", 0.25)]
def weight(s):
    w = None
    for pat, v in W:
        if fnmatch.fnmatchcase(s, pat): w = v   # later, more specific entries win (as the spec lists them)
    return w
R = 200
S, obs = defaultdict(lambda: np.full(R, np.nan)), {}
for row in csv.DictReader(open(os.path.join(ROOT, "results/ablation/v2/ppc_export/replicate_statistics.csv"))):
    if row["value"] != "": S[row["statistic"]][int(row["replicate"])] = float(row["value"])
    if row["observed"] != "": obs[row["statistic"]] = float(row["observed"])
stats = [s for s in S if weight(s) is not None and s in obs and "2014" not in s]
A = np.load(os.path.join(OUT, "ppc_arrays.npz"))
growth, m17 = A["growth"], A["tot"][:, 3]
contrib = {}
for s in stats:
    x = S[s]; scale = 1.4826 * np.nanmedian(np.abs(x - np.nanmedian(x)))
    if not scale > 0: scale = np.nanstd(x) if np.nanstd(x) > 0 else 1.0
    z = np.where(np.isfinite(x), (x - obs[s]) / scale, 10.0)
    contrib[s] = weight(s) * z ** 2
D = np.sqrt(sum(contrib.values()))
def rank(x):
    o = np.argsort(x, kind="mergesort"); r = np.empty(len(x)); r[o] = np.arange(len(x)); return r
sp = lambda a, b: float(np.corrcoef(rank(a), rank(b))[0, 1])
out = open(os.path.join(OUT, "distance_proxy.txt"), "w")
def pr(*a):
    print(*a); print(*a, file=out)
pr(f"{len(stats)} statistics; proxy distance median {np.median(D):.1f}")
pr(f"Spearman(distance, true AFG growth 2016->2018) = {sp(D, growth):+.2f}; (distance, ISK members 2017) = {sp(D, m17):+.2f}; "
   f"(distance, true AFG 2018) = {sp(D, A['att'][:, 4, 0]):+.2f}")
pr("\nlargest mean contributions w*z^2 (posterior-predictive median z in brackets):")
for s in sorted(stats, key=lambda s: -np.mean(contrib[s]))[:12]:
    x = S[s]; scale = 1.4826 * np.nanmedian(np.abs(x - np.nanmedian(x)))
    pr(f"  {s}: mean {np.mean(contrib[s]):.2f}; obs {obs[s]:.3g}, median {np.nanmedian(x):.3g}, scale {scale:.3g}, z {(np.nanmedian(x) - obs[s]) / scale:+.2f}")
for lab, key in [("true growth 2016->2018", growth), ("ISK members 2017", m17), ("true AFG attacks 2018", A["att"][:, 4, 0])]:
    top, bot = key >= np.percentile(key, 200 / 3), key <= np.percentile(key, 100 / 3)
    pr(f"\ntop third vs bottom third of {lab}: distance {np.median(D[top]):.1f} vs {np.median(D[bot]):.1f}; statistics whose cost differs most (mean w*z^2 top - bottom):")
    diffs = sorted(((np.mean(contrib[s][top]) - np.mean(contrib[s][bot]), s) for s in stats), key=lambda t: -abs(t[0]))
    for d, s in diffs[:8]:
        pr(f"  {s}: {d:+.2f}")
out.close()
