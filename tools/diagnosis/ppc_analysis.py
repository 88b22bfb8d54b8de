#!/usr/bin/python3
"""Session 20: what limits the growth of ISK's true attacks 2015->2018 in the v2 baseline PPC.

Reads results/ablation/v2/ppc_export (200 posterior-predictive replicates) and writes
OUT_DIR/ppc_*.txt / .csv (OUT_DIR: the first argument, default results/diagnosis/). numpy + csv only.
Run: /usr/bin/python3 tools/diagnosis/ppc_analysis.py [OUT_DIR]
"""
import csv, math, os, sys
from collections import defaultdict
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
EXP = os.path.join(ROOT, "results/ablation/v2/ppc_export")
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "results", "diagnosis")
os.makedirs(OUT, exist_ok=True)
YEARS = [2014, 2015, 2016, 2017, 2018]
R = 200
yi = {y: i for i, y in enumerate(YEARS)}

def q(a, p=(5, 50, 95)):
    a = np.asarray(a, float); a = a[np.isfinite(a)]
    return np.percentile(a, p)

def fmt(a, d=0):
    lo, me, hi = q(a)
    f = "{:,.%df}" % d
    return f"{f.format(me)} ({f.format(lo)}–{f.format(hi)})"

# ---------------------------------------------------------------- parameters
par = defaultdict(dict)
for row in csv.DictReader(open(os.path.join(EXP, "replicate_parameters.csv"))):
    par[row["parameter"]][int(row["replicate"])] = float(row["value"])
pnames = list(par)
P = {k: np.array([par[k][r] for r in range(R)]) for k in pnames}

# ---------------------------------------------------------------- group_month (ISK): month x country
VARS = ["group_members", "group_cells", "group_recruits", "group_killed", "group_captured", "group_surrendered",
        "group_killed_by_taliban", "group_deserted", "group_dispersed", "group_defections_in", "group_attacks",
        "group_attacks_observed", "group_cross_border_moves"]
C = {"Afghanistan": 0, "Pakistan": 1}
G = {v: np.zeros((R, 60, 2)) for v in VARS}   # months 2014-01 .. 2018-12
for row in csv.DictReader(open(os.path.join(EXP, "group_month.csv"))):
    if row["group"] != "ISK" or row["variable"] not in G: continue
    y, m = int(row["month"][:4]), int(row["month"][5:7])
    G[row["variable"]][int(row["replicate"]), (y - 2014) * 12 + m - 1, C[row["country"]]] = float(row["value"])
def yearly(v, how="sum"):
    a = G[v].reshape(R, 5, 12, 2)
    return a.mean(axis=2) if how == "mean" else (a[:, :, 11, :] if how == "end" else a.sum(axis=2))
mem_mean = yearly("group_members", "mean")      # R x 5 x 2
mem_end = yearly("group_members", "end")
cells_mean = yearly("group_cells", "mean")
Y = {v: yearly(v) for v in VARS[2:]}
att = Y["group_attacks"]                          # true attacks, country of the attack's district

# ---------------------------------------------------------------- events: experience, excitation, response
ev_days = defaultdict(lambda: defaultdict(lambda: np.zeros((2, 5 * 366))))
import datetime
D0 = datetime.date(2014, 1, 1)
ND = (datetime.date(2019, 1, 1) - D0).days
att_day = np.zeros((R, 2, ND))
big_day = defaultdict(list)   # replicate -> list of (day, province) with >= 10 killed
for row in csv.DictReader(open(os.path.join(EXP, "events.csv"))):
    if row["group"] != "ISK": continue
    r = int(row["replicate"]); d = (datetime.date.fromisoformat(row["date"]) - D0).days
    att_day[r, C[row["country"]], d] += 1
    if int(row["fatalities"]) >= 10: big_day[r].append((d, row["province"]))
year_of_day = np.array([(D0 + datetime.timedelta(days=int(i))).year for i in range(ND)])

cap_mult = np.zeros((R, 5)); trig_share = np.zeros((R, 5, 2)); Eend = np.zeros((R, 5))
resp = {p: np.zeros((R, 5)) for p in ["Nangarhar", "Kabul", "Kunar", "Balochistan"]}
for r in range(R):
    gain, half = P["capability.gain"][r], P["capability.half_attacks"][r]
    br = P["excitation.branching"][r]
    fade, a = math.exp(-1 / 1825.0), math.exp(-1 / 21.0)
    E = 0.0; mu = np.zeros(2); cm = np.zeros(ND); muv = np.zeros((2, ND))
    for t in range(ND):
        cm[t] = 1 + gain * E / (E + half); muv[:, t] = mu
        n = att_day[r, :, t]
        E = E * fade + n.sum(); mu = mu * a + br * (1 - a) * n
        if year_of_day[t] != year_of_day[min(t + 1, ND - 1)] or t == ND - 1: Eend[r, year_of_day[t] - 2014] = E
    level, dur = P["response.level"][r], 60.0
    for p in resp:
        Rp = 0.0; acc = np.zeros(5); evs = defaultdict(int)
        for (d, prov) in big_day[r]:
            if prov == p: evs[d] += 1
        for t in range(ND):
            acc[year_of_day[t] - 2014] += Rp / 365.0
            Rp = Rp * math.exp(-1 / dur) + level * evs.get(t, 0)
        resp[p][r] = acc
    for k, y in enumerate(YEARS):
        sel = year_of_day == y
        cap_mult[r, k] = cm[sel].mean()
        for c in range(2):
            n = att_day[r, c, sel].sum()
            trig_share[r, k, c] = muv[c, sel].sum() / n if n > 0 else np.nan

# ---------------------------------------------------------------- report
out = open(os.path.join(OUT, "ppc_summary.txt"), "w")
def pr(*a):
    print(*a); print(*a, file=out)

tot = mem_mean.sum(axis=2)
pr("== ISK strength and true attacks per year, 200 PPC replicates: median (5%–95%)")
pr("year | mean members (both) | members end-Dec AFG | mean cells | true attacks AFG | true attacks PAK | attacks/member-yr (both) | AFG attacks / AFG member-yr | attacks/cell-yr")
for k, y in enumerate(YEARS[1:], 1):
    apm = att[:, k].sum(1) / tot[:, k]
    apm_afg = att[:, k, 0] / mem_mean[:, k, 0]
    apc = att[:, k].sum(1) / cells_mean[:, k].sum(1)
    pr(f"{y} | {fmt(tot[:, k])} | {fmt(mem_end[:, k, 0])} | {fmt(cells_mean[:, k].sum(1),1)} | {fmt(att[:, k, 0])} | {fmt(att[:, k, 1])} | "
       f"{fmt(apm,3)} | {fmt(apm_afg,3)} | {fmt(apc,2)}")
pr("mean (not median) true attacks AFG per year:", [round(att[:, k, 0].mean(), 1) for k in range(1, 5)],
   " PAK:", [round(att[:, k, 1].mean(), 1) for k in range(1, 5)])
pr("share of members in Afghanistan:", [round(float(np.median(mem_mean[:, k, 0] / tot[:, k])), 3) for k in range(1, 5)])

pr("\n== flows per year (both countries, median (5–95)); per member-year in brackets = flow / mean members")
for v in ["group_recruits", "group_defections_in", "group_killed", "group_captured", "group_surrendered",
          "group_killed_by_taliban", "group_deserted", "group_dispersed"]:
    s = []
    for k in range(1, 5):
        f = Y[v][:, k].sum(1)
        s.append(f"{np.median(f):,.0f} [{np.median(f / tot[:, k]):.2f}]")
    pr(f"{v:26s} " + " | ".join(s))

# recruitment room: realised recruits / nominal (per_member x member-days + walk_in x cell-days)
pr("\n== recruitment room: realised recruits / (per_member_rate x member-days + 0.01 x cell-days), grievance ignored (so an upper bound on the mean room 1-N/K)")
room = np.zeros((R, 5))
for k in range(1, 5):
    nominal = P["recruitment.per_member_rate"] * tot[:, k] * 365 + 0.01 * cells_mean[:, k].sum(1) * 365
    room[:, k] = Y["group_recruits"][:, k].sum(1) / nominal
    pr(f"{YEARS[k]}: room {fmt(room[:, k],3)};  nominal recruits/member-yr {fmt(P['recruitment.per_member_rate']*365,2)}")
pr("losses per member-year (all causes):", [fmt(sum(Y[v][:, k].sum(1) for v in ['group_killed','group_captured','group_surrendered','group_killed_by_taliban','group_deserted','group_dispersed']) / tot[:, k], 2) for k in range(1, 5)])
pr("killed per member-year (AFG):", [fmt(Y['group_killed'][:, k, 0] / mem_mean[:, k, 0], 2) for k in range(1, 5)])
pr("growth of mean members (both) y/y ratio:", [fmt(tot[:, k] / tot[:, k - 1], 2) for k in range(2, 5)])

# money
net = P["resources.local_income"] * 1.1 + 2.0 - P["resources.upkeep"]
pr("\n== money: net income per member-day = 1.1 x local_income + 2 (IS central) - upkeep")
pr("net:", fmt(net, 2), "; replicates with net <= 0:", int((net <= 0).sum()), "; net < 1:", int((net < 1).sum()))
# cell resource factor: a 100-member cell nets 100*net a day; an attack costs ~1,545 USD on average
pr("days for a 100-member cell to earn one average attack (1,545 USD):", fmt(1545 / np.maximum(net * 100, 1e-9), 1))

pr("\n== hazard multipliers per year (median (5–95))")
pr("capability multiplier 1+gain E/(E+half), yearly mean:", [fmt(cap_mult[:, k], 2) for k in range(1, 5)])
pr("experience E at year end:", [fmt(Eend[:, k], 0) for k in range(1, 5)])
pr("capability at saturation 1+gain:", fmt(1 + P["capability.gain"], 2), "; E/(E+half) end-2018:", fmt(Eend[:, 4] / (Eend[:, 4] + P["capability.half_attacks"]), 2))
pr("triggered share of attacks (self-excitation), AFG:", [fmt(trig_share[:, k, 0], 2) for k in range(1, 5)])
for p in resp:
    pr(f"mean state-response pressure, {p}:", [fmt(resp[p][:, k], 2) for k in range(1, 5)])

# ---------------------------------------------------------------- decomposition 2016 -> 2018 (AFG true attacks)
pr("\n== decomposition of log(A2018/A2016), Afghan true attacks (replicates with >=5 attacks in both years)")
A16, A18 = att[:, 2, 0], att[:, 4, 0]
ok = (A16 >= 5) & (A18 >= 5)
dA = np.log(A18[ok] / A16[ok])
dM = np.log(tot[ok, 4] / tot[ok, 2])                # strength (both countries)
dMa = np.log(mem_mean[ok, 4, 0] / mem_mean[ok, 2, 0])
dCell = np.log(cells_mean[ok, 4].sum(1) / cells_mean[ok, 2].sum(1)) - dM   # cells per member
dCap = np.log(cap_mult[ok, 4] / cap_mult[ok, 2])
tr = np.nan_to_num(trig_share[ok][:, :, 0], nan=0.0).clip(0, 0.95)
dExc = np.log((1 - tr[:, 2]) / (1 - tr[:, 4]))      # 1/(1-share) multiplier
dShareAfg = np.log((att[ok, 4, 0] / att[ok, 4].sum(1)) / (att[ok, 2, 0] / att[ok, 2].sum(1)))
dRate = dA - dM
dRest = dRate - dCell - dCap - dExc - dShareAfg
pr(f"n = {ok.sum()}; median A2016 {np.median(A16):.0f}, A2018 {np.median(A18):.0f}; median ratio {np.exp(np.median(dA)):.2f}")
for name, x in [("total dlog A", dA), ("strength (members, both)", dM), ("  [AFG members only]", dMa),
                ("per-member rate (= total - strength)", dRate), ("  cells per member", dCell),
                ("  capability multiplier", dCap), ("  self-excitation 1/(1-trig share)", dExc),
                ("  Afghan share of attacks", dShareAfg), ("  residual (pressure, resources, location, season, boost)", dRest)]:
    pr(f"{name:58s} median {np.median(x):+.3f}  mean {np.mean(x):+.3f}  (5–95: {np.percentile(x,5):+.2f} – {np.percentile(x,95):+.2f})")
# ensemble-level (ratio of medians)
pr("ratio of medians: attacks AFG 2018/2016 = %.2f; members = %.2f; attacks per member = %.2f; capability = %.2f" % (
    np.median(A18) / np.median(A16), np.median(tot[:, 4]) / np.median(tot[:, 2]),
    np.median(att[:, 4].sum(1) / tot[:, 4]) / np.median(att[:, 2].sum(1) / tot[:, 2]),
    np.median(cap_mult[:, 4]) / np.median(cap_mult[:, 2])))

# ---------------------------------------------------------------- correlations (Q2)
def rank(x):
    o = np.argsort(x, kind="mergesort"); rk = np.empty(len(x)); rk[o] = np.arange(len(x)); return rk
def spearman(x, y):
    m = np.isfinite(x) & np.isfinite(y)
    return float(np.corrcoef(rank(x[m]), rank(y[m]))[0, 1])
growth = np.log((att[:, 4, 0] + 1) / (att[:, 2, 0] + 1))
targets = {"growth AFG 16->18": growth, "true AFG 2018": att[:, 4, 0], "members mean 2018": tot[:, 4],
           "members end-2018": mem_end[:, 4].sum(1), "members 2017": tot[:, 3], "capability mult 2018": cap_mult[:, 4]}
rows = []
for k in pnames:
    x = np.log(P[k]) if P[k].min() > 0 else P[k]
    rows.append([k] + [spearman(x, t) for t in targets.values()])
rows.sort(key=lambda r: -abs(r[1]))
with open(os.path.join(OUT, "ppc_correlations.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow(["parameter"] + list(targets)); w.writerows([[r[0]] + [f"{v:.3f}" for v in r[1:]] for r in rows])
pr("\n== Spearman correlations with parameters (|rho| >= 0.15 on any column; n=200, |rho|>0.14 ~ p<0.05)")
pr("parameter | " + " | ".join(targets))
for r in rows:
    if max(abs(v) for v in r[1:]) >= 0.15:
        pr(f"{r[0]} | " + " | ".join(f"{v:+.2f}" for v in r[1:]))
pr("\nSpearman(growth, members 2018/2016 ratio):", round(spearman(growth, np.log(tot[:, 4] / tot[:, 2])), 2),
   "; (growth, capability 2018/2016):", round(spearman(growth, np.log(cap_mult[:, 4] / cap_mult[:, 2])), 2),
   "; (growth, room 2018):", round(spearman(growth, room[:, 4]), 2),
   "; (growth, net money):", round(spearman(growth, net), 2))
np.savez(os.path.join(OUT, "ppc_arrays.npz"), tot=tot, mem_end=mem_end, att=att, cap_mult=cap_mult, room=room,
         trig=trig_share, cells=cells_mean, growth=growth)
out.close()
