"""The figures of a sensitivity report (`iskabm sensitivity`): the parameters ranked by their
overall influence, and which outputs each of the leading parameters moves."""

import numpy as np

from .plotting import SIMULATED_REPORTED, SIMULATED_TRUE, FigureRecord, new_figure, save


def measure_label(method):
    return "\u03bc*/sd (Morris)" if method == "morris" else "total index S\u1d40 (Sobol')"


def sensitivity_ranking(study, observed, out_dir):
    """sensitivity_ranking.png: every parameter's overall influence, highest first; what-if
    answers (outputs named scenario:answer) apart from the calibration statistics."""
    influence = study.influence()  # parameter x output
    weight = study.values("output_weight").astype(float)
    what_if = np.array([":" in name for name in study.outputs])

    def overall(mask):
        values = np.where(np.isfinite(influence[:, mask]), influence[:, mask], np.nan)
        w = np.broadcast_to(weight[mask], values.shape)
        defined = np.isfinite(values)
        total = np.where(defined, w, 0).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, np.nansum(values * w, axis=1) / total, 0.0)

    on_statistics = overall(~what_if) if (~what_if).any() else None
    on_what_ifs = overall(what_if) if what_if.any() else None
    ranking = study.values("overall").astype(float)
    order = np.argsort(-ranking, kind="stable")
    count = len(order)
    record = FigureRecord(
        "sensitivity_ranking.png", "Parameters ranked by influence",
        f"Every varied parameter's overall influence ({measure_label(study.method)}, the weighted mean over the "
        "outputs that varied), highest first" + ("; the bars split it into the calibration statistics and the "
                                                 "what-if answers" if on_what_ifs is not None else "") + ".")
    fig = new_figure(10, 1.2 + 0.22 * count, f"{record.title} \u2013 {study.title}", study.source_line())
    ax = fig.add_subplot(1, 1, 1)
    y = np.arange(count)[::-1]
    if on_what_ifs is not None and on_statistics is not None:
        ax.barh(y + 0.2, on_statistics[order], height=0.4, color=SIMULATED_TRUE, label="calibration statistics")
        ax.barh(y - 0.2, on_what_ifs[order], height=0.4, color=SIMULATED_REPORTED, label="what-if answers")
        ax.legend(loc="lower right")
    else:
        ax.barh(y, ranking[order], height=0.7, color=SIMULATED_TRUE)
    ax.set_yticks(y, [f"{r + 1}. {study.parameters[i]}" for r, i in enumerate(order)], fontsize=7.5)
    ax.set_ylim(-0.7, count - 0.3)
    ax.set_xlabel(measure_label(study.method))
    record.notes.append("The ranking (numbers) is by the weighted mean over all outputs (variable overall).")
    if on_what_ifs is not None:
        record.notes.append("A what-if answer is a paired difference of two stochastic runs: with few replicates per "
                            "design point its effects are mostly noise (docs/sensitivity.md).")
    return save(fig, out_dir, record)


def sensitivity_matrix(study, observed, out_dir):
    """sensitivity_matrix.png: the leading parameters against every output (heat map)."""
    influence = study.influence()
    ranking = study.values("overall").astype(float)
    lead = np.argsort(-ranking, kind="stable")[:min(20, len(ranking))]
    values = influence[lead, :]
    record = FigureRecord(
        "sensitivity_matrix.png", "What the leading parameters move",
        f"{measure_label(study.method)} of the {len(lead)} most influential parameters (rows, by rank) on every "
        "output (columns); blank where the output did not vary over the design.")
    width = min(4 + 0.16 * len(study.outputs), 24)
    fig = new_figure(width, 2.4 + 0.3 * len(lead), f"{record.title} \u2013 {study.title}", study.source_line())
    ax = fig.add_subplot(1, 1, 1)
    ax.grid(False)
    finite = values[np.isfinite(values)]
    top = float(np.quantile(finite, 0.98)) if finite.size else 1.0
    image = ax.imshow(np.ma.masked_invalid(values), aspect="auto", cmap="viridis", vmin=0, vmax=max(top, 1e-12),
                      interpolation="nearest")
    ax.set_yticks(np.arange(len(lead)), [study.parameters[i] for i in lead], fontsize=7)
    ax.set_xticks(np.arange(len(study.outputs)), study.outputs, rotation=90, fontsize=5.5)
    fig.colorbar(image, ax=ax, shrink=0.8, label=measure_label(study.method))
    record.notes.append("The colour scale stops at the 98th percentile of the values shown.")
    return save(fig, out_dir, record)
