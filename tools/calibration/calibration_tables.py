#!/usr/bin/python3
"""Tables of docs/calibration.md from a calibration run (issue 17).

usage: calibration_tables.py POSTERIOR.h5 CHECK_FIT.csv CALIBRATE.log

Prints the generation table, the parameter table (prior, posterior median and 90 % interval,
identifiability width), the yearly counts per country and the key statistics of the posterior
predictive check, then the number of statistics inside their 90 % intervals. Needs h5py.
"""
import h5py, numpy as np, csv, sys, re
post = sys.argv[1]; cf = sys.argv[2]; log = sys.argv[3]
f = h5py.File(post, 'r')
dec = lambda a: [x.decode() if isinstance(x, bytes) else str(x) for x in a]
keys = dec(f['parameter'][()]); units = dec(f['parameter_unit'][()]); kinds = dec(f['prior'][()])
lo, hi, mu, sd = f['prior_lower'][()], f['prior_upper'][()], f['prior_mean'][()], f['prior_sd'][()]
med, q05, q95 = f['posterior_median'][()], f['posterior_q05'][()], f['posterior_q95'][()]
p05, p95, idf = f['prior_q05'][()], f['prior_q95'][()], f['identifiability'][()]
def g(x):
    if x == 0: return "0"
    a = abs(x)
    if a >= 100: return f"{x:,.0f}".replace("-", "−")
    if a >= 0.01: return f"{x:.3g}".replace("-", "−")
    return f"{x:.3g}".replace("-", "−")
out = []
G = f['tolerance'].shape[0]
# The mcmc sampler's particles carry equal weights: its "effective sample size" is its number of
# distinct particles (calibration/abc_smc.hpp).
spec = f.attrs['calibration_toml']
spec = spec.decode() if isinstance(spec, bytes) else str(spec)
mcmc = re.search(r'^sampler\s*=\s*"mcmc"', spec, re.M) is not None
ess_label = ("distinct particles (of %d)" if mcmc else "ESS (of %d)") % len(f['weight'][()])
rows = {"tolerance": f['tolerance'][()], "acceptance": f['acceptance_rate'][()], ess_label: f['effective_sample_size'][()], "simulations": f['simulations'][()]}
out.append("| generation | " + " | ".join(str(i) for i in range(G)) + " |")
out.append("|---|" + "---|" * G)
for name, v in rows.items():
    if name == "tolerance": cells = [f"{x:.3g}" for x in v]
    elif name == "acceptance": cells = ["1" if x >= 1 else f"{x:.3f}" if x < 0.1 else f"{x:.2f}" for x in v]
    else: cells = [f"{x:,.0f}" for x in v]
    out.append(f"| {name} | " + " | ".join(cells) + " |")
out.append("")
out.append("| parameter | unit | prior | median | 90 % interval | prior 90 % | width |")
out.append("|---|---|---|---|---|---|---|")
for i, k in enumerate(keys):
    kind = kinds[i]
    if kind == 'normal': pr = f"normal({g(mu[i])}, {g(sd[i])})"
    elif kind == 'log_uniform': pr = f"log-uniform({g(lo[i])}, {g(hi[i])})"
    else: pr = f"{kind.replace('_','-')}({g(lo[i])}, {g(hi[i])})"
    out.append(f"| `{k}` | {units[i]} | {pr} | {g(med[i])} | {g(q05[i])} – {g(q95[i])} | {g(p05[i])} – {g(p95[i])} | {idf[i]:.2f} |")
out.append("")
r = {x['name']: x for x in csv.DictReader(open(cf))}
# A median of an even number of integer counts may end in .5: printed as such (check-fit does), not rounded.
half = lambda v, fm: f"{v:.1f}" if v != int(v) and v * 2 == int(v * 2) and abs(v) < 1000 else fm(v)
def cell(n):
    x = r[n]; m = float(x['median']); a = float(x['q05']); b = float(x['q95'])
    fm = lambda v: f"{v:.0f}" if abs(v) >= 10 or v == int(v) else f"{v:.1f}"
    return f"{half(m, fm)} ({fm(a)} – {fm(b)})" + ("" if x['inside_90'] == '1' else " ✗")
out.append("| | 2015 | 2016 | 2017 | 2018 |"); out.append("|---|---|---|---|---|")
for c in ("Afghanistan", "Pakistan"):
    out.append(f"| {c} observed | " + " | ".join(r[f'observed_attacks_{c}_{y}']['observed'].split('.')[0] for y in range(2015, 2019)) + " |")
    out.append(f"| {c} simulated | " + " | ".join(cell(f'observed_attacks_{c}_{y}') for y in range(2015, 2019)) + " |")
out.append("")
out.append("| statistic | observed | simulated median (90 %) |"); out.append("|---|---|---|")
for n in ["observed_attacks_kabul", "observed_attacks_jalalabad", "observed_attacks_quetta", "observed_attacks_peshawar",
          "observed_province_share_Nangarhar", "observed_top5_district_share", "observed_monthly_autocorrelation_Afghanistan",
          "observed_zero_month_share_Afghanistan", "observed_fatalities_median", "observed_fatalities_p90",
          "observed_joint_claim_share", "focal_members_mean_2017", "focal_killed_Afghanistan", "focal_killed_Pakistan",
          "focal_captured_Afghanistan", "focal_captured_Pakistan", "focal_surrendered_Afghanistan"]:
    x = r[n]; o = float(x['observed']); m, a, b = float(x['median']), float(x['q05']), float(x['q95'])
    fm = (lambda v: f"{v:,.0f}") if max(abs(o), abs(b)) >= 10 else (lambda v: f"{v:.2f}")
    out.append(f"| `{n}` | {fm(o)} | {half(m, fm)} ({fm(a)} – {fm(b)}){'' if x['inside_90']=='1' else ' ✗'} |")
inside = sum(1 for x in r.values() if x['kind'] == 'statistic' and x['inside_90'] == '1' and not x['name'].endswith('2014'))
total = sum(1 for x in r.values() if x['kind'] == 'statistic' and x['observed'] not in ('', 'nan') and not x['name'].endswith('2014'))
out.append("")
out.append(f"INSIDE {inside} of {total}")
m = re.findall(r"after (\S+) \((\d+) simulations", open(log).read())
out.append(f"RUN {m}")
print("\n".join(out))
