"""parameter_draws.png: the calibrated parameters' values the replicates of a posterior-driven run
drew (variable parameter_values), one histogram per parameter."""

import numpy as np
from matplotlib.ticker import MaxNLocator

from .plotting import (SIMULATED_TRUE, FigureRecord, density_histogram, grid_shape, new_figure, number, save,
                       small_multiples, span)


def skewness(values):
    values = values[np.isfinite(values)]
    if len(values) < 3 or values.std() == 0:
        return 0.0
    return float(np.mean(((values - values.mean()) / values.std()) ** 3))


def looks_logarithmic(values):
    """True when the positive values are more symmetric on a log scale than on a linear one
    (the run file does not say which parameters had log-uniform priors)."""
    values = values[np.isfinite(values)]
    if len(values) < 3 or values.min() <= 0 or values.max() / values.min() < 3:
        return False
    return abs(skewness(np.log(values))) < abs(skewness(values))


def parameter_draws(run, observed, out_dir):
    values = run.values("parameter_values").astype(float)  # replicate, calibrated_parameter
    keys = run.coordinate("calibrated_parameter")
    units = run.ds["parameter_values"].attrs.get("units", "")
    posterior = run.ds.attrs.get("posterior", "")
    record = FigureRecord(
        "parameter_draws.png", "Parameter values drawn by the replicates",
        "Histograms of the calibrated parameters' values drawn from the posterior by the replicates of this "
        "posterior-driven run (parameter_values), with the median and 90 % interval of the draws.")
    rows, columns = grid_shape(len(keys), 3 if len(keys) <= 12 else 4)
    fig = new_figure(12 if columns == 3 else 15, 2.6 * rows + 1.3, f"{record.title} \u2013 {run.title}", run.source_line())
    for i, (ax, key) in enumerate(zip(small_multiples(fig, len(keys), columns), keys)):
        draws = values[:, i]
        log = looks_logarithmic(draws)
        density_histogram(ax, draws, None, log, SIMULATED_TRUE, "draws", bins=min(20, max(5, len(draws) // 3)))
        finite = draws[np.isfinite(draws)]
        if len(np.unique(finite)) > 1:
            q05, q50, q95 = np.quantile(finite, [0.05, 0.5, 0.95])
            ax.axvspan(q05, q95, color="0.92", zorder=0, linewidth=0)
            ax.axvline(q50, color="0.1", linewidth=1.2)
            ax.set_title(f"{key}\nmedian {number(q50)} (90 %: {span(q05, q95)})", fontsize=8.5, loc="left")
        elif len(finite):
            ax.set_title(f"{key}\n{number(finite[0])} in every replicate", fontsize=8.5, loc="left")
        else:
            ax.set_title(f"{key}\nno finite value", fontsize=8.5, loc="left")
        ax.set_xlabel("value" + (f" ({units})" if units else "") + (" \u2013 log scale" if log else ""))
        ax.set_ylabel("density per log10 unit" if log else "density")
        if not log:
            ax.xaxis.set_major_locator(MaxNLocator(5))
    record.notes.append("Grey band: 90 % interval of the draws; line: their median. A log axis is used where "
                        "the draws are more symmetric on it (the run file does not record the priors).")
    if posterior:
        record.notes.append(f"Posterior: {posterior}.")
    return save(fig, out_dir, record)
