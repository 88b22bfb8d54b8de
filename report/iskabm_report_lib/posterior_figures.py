"""Figures of a posterior file of `iskabm calibrate` (ABC-SMC): weighted marginals against their
priors, the most correlated parameter pairs, the generations' history, the fit of the accepted
particles and the identifiability of each parameter."""

import itertools
import math

import numpy as np
from matplotlib.patches import Patch

from .observed import INCIDENTS
from .plotting import (INSIDE, OUTSIDE, SIMULATED_REPORTED, SIMULATED_TRUE, FigureRecord, density_histogram,
                       grid_shape, message_panel, new_figure, number, plain_log_axis, save, small_multiples, span,
                       thousands_axis)
from .predictive import predictive_check

PRIOR_COLOUR = "#555555"


def prior_density(kind, lower, upper, mean, sd, x, log):
    """The prior's density at x: per unit, or per log10 unit on a log axis (log-uniform priors);
    None for an unknown kind."""
    x = np.asarray(x, dtype=float)
    inside = (x >= lower) & (x <= upper)
    if kind == "uniform":
        return np.where(inside, 1.0 / (upper - lower), 0.0)
    if kind == "log_uniform":
        per_log10 = 1.0 / (math.log10(upper) - math.log10(lower))
        return np.where(inside, per_log10 if log else per_log10 / (x * math.log(10)), 0.0)
    if kind in ("normal", "truncated_normal"):
        density = np.exp(-0.5 * ((x - mean) / sd) ** 2) / (sd * math.sqrt(2 * math.pi))
        if kind == "normal":
            return density
        mass = 0.5 * (math.erf((upper - mean) / (sd * math.sqrt(2))) - math.erf((lower - mean) / (sd * math.sqrt(2))))
        return np.where(inside, density / max(mass, 1e-300), 0.0)
    return None


def parameter_label(posterior, i):
    unit = posterior.units[i]
    return f"{posterior.parameters[i]}" + (f" ({unit})" if unit and unit != "1" else "")


def posterior_marginals(posterior, observed, out_dir):
    record = FigureRecord(
        "posterior_marginals.png", "Posterior marginals",
        "Weighted marginal posterior of each calibrated parameter (histogram of the particles' theta weighted by "
        "their weights) with the prior's density, the posterior median and 90 % interval, and the prior's 90 % "
        "interval; log axes for log-uniform priors.")
    theta = posterior.values("theta").astype(float)
    p = posterior.values
    count = len(posterior.parameters)
    rows, columns = grid_shape(count, 3 if count <= 12 else 4)
    fig = new_figure(12.5 if columns == 3 else 15, 2.9 * rows + 1.4, f"{record.title} \u2013 {posterior.title}", posterior.source_line())
    for i, ax in enumerate(small_multiples(fig, count, columns)):
        kind = posterior.prior_kinds[i]
        log = posterior.is_log(i)
        lower, upper, mean, sd = (float(p(n)[i]) for n in ("prior_lower", "prior_upper", "prior_mean", "prior_sd"))
        if kind in ("uniform", "log_uniform", "truncated_normal"):
            low, high = lower, upper
        else:
            low = min(mean - 3.5 * sd, np.nanmin(theta[:, i]))
            high = max(mean + 3.5 * sd, np.nanmax(theta[:, i]))
        edges = np.logspace(math.log10(low), math.log10(high), 25) if log else np.linspace(low, high, 25)
        density_histogram(ax, theta[:, i], posterior.weights, log, SIMULATED_TRUE, "posterior (weighted particles)",
                          edges=edges)
        x = np.logspace(math.log10(low), math.log10(high), 200) if log else np.linspace(low, high, 200)
        density = prior_density(kind, lower, upper, mean, sd, x, log)
        if density is not None:
            ax.plot(x, density, color=PRIOR_COLOUR, linestyle="--", linewidth=1.3,
                    label=f"prior ({kind.replace('_', '-')})")
        q05, q50, q95 = (float(p(name)[i]) for name in ("posterior_q05", "posterior_median", "posterior_q95"))
        ax.axvspan(q05, q95, color=SIMULATED_TRUE, alpha=0.10, linewidth=0, label="posterior 90 % interval")
        ax.axvline(q50, color=SIMULATED_TRUE, linewidth=1.6, label="posterior median")
        for q in (float(p("prior_q05")[i]), float(p("prior_q95")[i])):
            ax.axvline(q, color=PRIOR_COLOUR, linestyle=":", linewidth=1)
        ax.plot([], [], color=PRIOR_COLOUR, linestyle=":", label="prior 90 % interval")
        ax.set_xlim(low, high)
        ax.set_ylim(bottom=0)
        ax.set_xlabel(parameter_label(posterior, i) + (" \u2013 log scale" if log else ""))
        ax.set_ylabel("density per log10 unit" if log else "density")
        ax.set_title(f"{posterior.parameters[i]}\nmedian {number(q50)} (90 %: {span(q05, q95)}), "
                     f"width {number(float(p('identifiability')[i]))}", fontsize=8.5, loc="left")
        if i == 0:
            ax.legend(fontsize=7, loc="upper right")
    record.notes.append("Width: posterior over prior 90 % interval width (log scale for log-uniform priors); "
                        "near 1 the data do not inform the parameter.")
    return save(fig, out_dir, record)


def weighted_correlation(x, y, weights):
    mx, my = np.average(x, weights=weights), np.average(y, weights=weights)
    cov = np.average((x - mx) * (y - my), weights=weights)
    sx, sy = np.average((x - mx) ** 2, weights=weights), np.average((y - my) ** 2, weights=weights)
    return cov / math.sqrt(sx * sy) if sx > 0 and sy > 0 else 0.0


def posterior_pairs(posterior, observed, out_dir, pairs_shown=4):
    record = FigureRecord(
        "posterior_pairs.png", "Most correlated parameter pairs",
        "Weighted scatter of the particles for the most correlated pairs of parameters (weighted correlation, on "
        "the log scale for log-uniform priors); point area proportional to the particle's weight.")
    theta = posterior.values("theta").astype(float)
    transformed = np.column_stack([np.log10(theta[:, i]) if posterior.is_log(i) and np.all(theta[:, i] > 0)
                                   else theta[:, i] for i in range(theta.shape[1])])
    weights = posterior.weights
    pairs = sorted(((abs(weighted_correlation(transformed[:, a], transformed[:, b], weights)), a, b)
                    for a, b in itertools.combinations(range(theta.shape[1]), 2)), key=lambda t: (-t[0], t[1], t[2]))
    pairs = pairs[:pairs_shown]
    rows, columns = grid_shape(max(len(pairs), 1), 2)
    fig = new_figure(11, 4.3 * rows + 1.2, f"{record.title} \u2013 {posterior.title}", posterior.source_line())
    if not pairs:
        message_panel(fig.subplots(), "fewer than two parameters: no pairs")
        return save(fig, out_dir, record)
    sizes = 6 + 110 * weights / weights.max()
    for ax, (_, a, b) in zip(small_multiples(fig, len(pairs), columns), pairs):
        r = weighted_correlation(transformed[:, a], transformed[:, b], weights)
        ax.scatter(theta[:, a], theta[:, b], s=sizes, color=SIMULATED_REPORTED if r < 0 else SIMULATED_TRUE,
                   alpha=0.55, edgecolors="none")
        for index, axis in ((a, "x"), (b, "y")):
            if posterior.is_log(index):
                getattr(ax, f"set_{axis}scale")("log")
                plain_log_axis(ax, axis)
        ax.set_xlabel(parameter_label(posterior, a))
        ax.set_ylabel(parameter_label(posterior, b))
        scale = " (log axes for log-uniform priors)" if posterior.is_log(a) or posterior.is_log(b) else ""
        r_text = f"{r:+.2f}".replace("-", "\u2212")
        ax.set_title(f"{posterior.parameters[a]} vs {posterior.parameters[b]}\n"
                     f"weighted correlation r = {r_text}{scale}", loc="left", fontsize=9)
    record.notes.append(f"{len(pairs)} pairs of {theta.shape[1] * (theta.shape[1] - 1) // 2} shown, by absolute "
                        "weighted correlation.")
    return save(fig, out_dir, record)


def abc_generations(posterior, observed, out_dir):
    record = FigureRecord(
        "abc_generations.png", "ABC-SMC generations",
        "The calibration's history by generation: tolerance (largest accepted distance), acceptance rate, "
        "effective sample size of the weighted particles, and simulations per generation.")
    generations = np.arange(posterior.generations)
    v = posterior.values
    fig = new_figure(11, 7.2, f"{record.title} \u2013 {posterior.title}", posterior.source_line())
    (tolerance_ax, acceptance_ax), (ess_ax, simulations_ax) = fig.subplots(2, 2, sharex=True)
    tolerance = v("tolerance").astype(float)
    tolerance_ax.plot(generations, tolerance, "o-", color=SIMULATED_TRUE)
    if np.all(tolerance[np.isfinite(tolerance)] > 0):
        tolerance_ax.set_yscale("log")
        plain_log_axis(tolerance_ax, "y")
    tolerance_ax.set_ylabel("tolerance (distance units, log scale)")
    tolerance_ax.set_title("Tolerance (in each generation's own scales)", loc="left")
    acceptance_ax.plot(generations, v("acceptance_rate"), "o-", color=SIMULATED_REPORTED)
    acceptance_ax.set_ylim(0, 1.05)
    acceptance_ax.set_ylabel("accepted / simulated proposals")
    acceptance_ax.set_title("Acceptance rate", loc="left")
    ess_ax.plot(generations, v("effective_sample_size"), "o-", color=INSIDE, label="effective sample size")
    ess_ax.axhline(posterior.particles, color="0.4", linestyle="--", linewidth=1,
                   label=f"population ({posterior.particles} particles)")
    ess_ax.set_ylim(0, posterior.particles * 1.1)
    ess_ax.set_ylabel("particles")
    ess_ax.set_title("Effective sample size", loc="left")
    ess_ax.legend(loc="lower left")
    simulations = v("simulations").astype(float)
    simulations_ax.bar(generations, simulations, color="0.6", label="simulations in the generation")
    for g, s in zip(generations, simulations):
        simulations_ax.annotate(f"{int(s):,}", (g, s), xytext=(0, 2), textcoords="offset points", ha="center",
                                fontsize=7)
    simulations_ax.set_ylabel("simulations")
    thousands_axis(simulations_ax)
    total = int(v("simulations_total")[-1]) if posterior.has("simulations_total") else int(simulations.sum())
    simulations_ax.set_title(f"Simulations per generation (total {total:,})", loc="left")
    for ax in (ess_ax, simulations_ax):
        ax.set_xlabel("generation")
        ax.set_xticks(generations)
    stop = posterior.ds.attrs.get("stop_reason", "")
    if stop:
        record.notes.append(f"Stopped: {stop}.")
    return save(fig, out_dir, record)


def posterior_predictive(posterior, observed, out_dir):
    return predictive_check(
        posterior.statistics, posterior.values("statistics"), posterior.values("observed_statistics"), out_dir,
        "ABC fit of the accepted particles (last generation)", posterior.source_line(INCIDENTS),
        "Every summary statistic of the calibration: the observed value placed in the weighted distribution of the "
        "accepted particles' simulated statistics (median 0, the 90 % interval's ends at \u00b11), with the values "
        "listed beside the chart.", weights=posterior.weights)


def identifiability(posterior, observed, out_dir):
    record = FigureRecord(
        "identifiability.png", "Identifiability",
        "Posterior over prior 90 % interval width per parameter (on the log scale for log-uniform priors): well "
        "below 1 the observed statistics inform the parameter, near 1 they do not.")
    values = posterior.values("identifiability").astype(float)
    count = len(values)
    fig = new_figure(9.5, min(0.42 * count, 25.0) + 1.9, f"{record.title} \u2013 {posterior.title}", posterior.source_line())
    ax = fig.subplots()
    rows = np.arange(count)[::-1]
    colours = [INSIDE if v < 0.6 else ("#e0a030" if v < 0.9 else OUTSIDE) for v in values]
    ax.barh(rows, np.nan_to_num(values), color=colours, height=0.65)
    for row, value in zip(rows, values):
        ax.text(np.nan_to_num(value) + 0.015, row, number(value), va="center", fontsize=8,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1, "alpha": 0.8})
    ax.axvline(1, color="0.2", linestyle="--", linewidth=1)
    ax.text(1, -0.55, " = prior width", fontsize=8, va="bottom")
    ax.set_yticks(rows, [parameter_label(posterior, i) for i in range(count)])
    ax.set_xlim(0, max(1.15, np.nanmax(values, initial=0) + 0.15))
    ax.set_xlabel("posterior 90 % width / prior 90 % width")
    ax.grid(axis="y", visible=False)
    legend = [Patch(color=INSIDE, label="below 0.6: informed by the data"),
              Patch(color="#e0a030", label="0.6\u20130.9: partly informed"),
              Patch(color=OUTSIDE, label="0.9 or more: barely informed")]
    ax.set_ylim(-0.6, count + 0.9)  # room for the legend above the bars
    ax.legend(handles=legend, fontsize=8, loc="upper left", ncol=3, framealpha=0.9)
    record.notes.append("Green: below 0.6 (informed); amber: 0.6\u20130.9; red: 0.9 or more (barely informed).")
    return save(fig, out_dir, record)
