#!/usr/bin/python3
"""Session 20: where the shipped posterior (calibration/default_posterior.csv) sits in each prior of
calibration/default.toml, and the particle correlations of the growth-related parameters.

Run: /usr/bin/python3 tools/diagnosis/prior_edges.py [OUT_DIR]  -> OUT_DIR/prior_edges.txt (default results/diagnosis/)
"""
import csv, math, os, re, sys
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "results", "diagnosis")
os.makedirs(OUT, exist_ok=True)
# priors from the spec (tomllib is not in this python: a minimal parser of the [[parameter]] blocks)
spec = open(os.path.join(ROOT, "calibration/default.toml")).read()
priors = {}
for block in spec.split("[[parameter]]")[1:]:
    block = block.split("[[statistic]]")[0].split("[history_match]")[0]
    kv = dict(re.findall(r'^(\w+)\s*=\s*"?([^"\n#]+?)"?\s*(?:#.*)?$', block, re.M))
    priors[kv["key"]] = kv
priors["resources.upkeep"]["upper"] = "13.4"   # the history match's bound (docs/calibration.md)

lines = [l for l in open(os.path.join(ROOT, "calibration/default_posterior.csv")) if not l.startswith("#")]
rows = list(csv.reader(lines))
head, data = rows[0], np.array([[float(x) for x in r] for r in rows[1:]])
w = data[:, 0] / data[:, 0].sum()

def cdf(k, x):
    p = priors[k]
    if p["prior"] == "uniform":
        lo, hi = float(p["lower"]), float(p["upper"]); return (x - lo) / (hi - lo)
    if p["prior"] == "log_uniform":
        lo, hi = math.log(float(p["lower"])), math.log(float(p["upper"])); return (np.log(x) - lo) / (hi - lo)
    if p["prior"] == "normal":
        m, s = float(p["mean"]), float(p["sd"])
        return 0.5 * (1 + np.vectorize(math.erf)((x - m) / (s * math.sqrt(2))))
    raise ValueError(p)

out = open(os.path.join(OUT, "prior_edges.txt"), "w")
def pr(*a):
    print(*a); print(*a, file=out)
pr(f"{len(data)} particles, weights {'equal' if np.allclose(w, w[0]) else 'unequal'}")
pr("parameter | prior | posterior median | mass in lowest 10% of prior | highest 10% | lowest 5% | highest 5% | flag")
res = []
for j, k in enumerate(head[1:], 1):
    u = cdf(k, data[:, j])
    lo10, hi10, lo5, hi5 = (w * (u < .1)).sum(), (w * (u > .9)).sum(), (w * (u < .05)).sum(), (w * (u > .95)).sum()
    flag = "LOW EDGE" if lo10 >= 0.2 else ("HIGH EDGE" if hi10 >= 0.2 else "")
    p = priors[k]
    ps = f"{p['prior']}({p.get('lower', p.get('mean'))}, {p.get('upper', p.get('sd'))})"
    res.append((max(lo10, hi10), f"{k} | {ps} | {np.median(data[:, j]):.4g} | {lo10:.2f} | {hi10:.2f} | {lo5:.2f} | {hi5:.2f} | {flag}"))
for _, s in sorted(res, reverse=True): pr(s)
pr("(a posterior equal to its prior has 0.10 / 0.10 / 0.05 / 0.05; with 400 particles the sd of 0.10 is 0.015)")

# particle rank correlations among the parameters that set growth and strength
def rank(x):
    o = np.argsort(x, kind="mergesort"); r = np.empty(len(x)); r[o] = np.arange(len(x)); return r
keys = ["capability.gain", "capability.half_attacks", "attack.base_rate", "observation.year_trend", "observation.intercept",
        "capacity.base", "recruitment.per_member_rate", "attrition.kill_rate", "excitation.branching"]
idx = {k: head.index(k) for k in keys}
pr("\nSpearman correlations between posterior particles")
pr("          " + " ".join(f"{k.split('.')[-1][:9]:>9s}" for k in keys))
for a in keys:
    pr(f"{a.split('.')[-1][:9]:>9s} " + " ".join(f"{np.corrcoef(rank(data[:, idx[a]]), rank(data[:, idx[b]]))[0, 1]:+9.2f}" for b in keys))
# the nominal growth leverage: 1 + gain at saturation, and the experience needed for half of it
g, h = data[:, idx["capability.gain"]], data[:, idx["capability.half_attacks"]]
pr("\n1+gain:", np.percentile(1 + g, [5, 50, 95]).round(2), " half_attacks:", np.percentile(h, [5, 50, 95]).round(0),
   " share of particles with half_attacks > 100:", round(float((h > 100).mean()), 2))
out.close()
