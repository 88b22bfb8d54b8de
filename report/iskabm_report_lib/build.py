"""The three kinds of report: which figures each draws, in which order, and the page's header."""

import os
import sys
import time

from . import events, maps, network, series
from .differences import differences
from .html_report import write_figures_tsv, write_html
from .inputs import PosteriorFile, RunFile, SensitivityFile, open_netcdf, text_attribute
from .observed import INCIDENTS, ObservedData
from .parameters_figures import parameter_draws
from .plotting import configure_matplotlib, period_label
from .posterior_figures import (abc_generations, identifiability, posterior_marginals, posterior_pairs,
                                posterior_predictive)
from .predictive import predictive_check
from .sensitivity_figures import sensitivity_matrix, sensitivity_ranking
from .whatif import configuration_changes, district_differences, whatif_vs_baseline


def run_predictive_check(run, observed, out_dir):
    posterior_driven = run.has_parameter_values
    return predictive_check(
        run.statistic_labels, run.values("summary_statistics"), run.values("observed_statistics"), out_dir,
        "Posterior predictive check" if posterior_driven else "Predictive check (fixed parameters)",
        run.source_line(INCIDENTS),
        "Every summary statistic of the run: the observed value placed in the distribution of the replicates' "
        "statistics (median 0, the 90 % interval's ends at \u00b11; red when outside), with the values listed "
        "beside the chart.")


RUN_FIGURES = [maps.map_attacks, series.monthly_attacks, series.seasonality, events.fatalities,
               events.targets_tactics, events.joint_attacks, network.alliance_network, series.group_strength,
               run_predictive_check]
POSTERIOR_FIGURES = [posterior_marginals, posterior_pairs, abc_generations, posterior_predictive, identifiability]
SENSITIVITY_FIGURES = [sensitivity_ranking, sensitivity_matrix]


def baseline_title(path):
    """The baseline run's title and file name (only its attributes are read)."""
    ds = open_netcdf(path)
    try:
        return text_attribute(ds, "title") or os.path.basename(path), os.path.basename(path)
    finally:
        ds.close()


def run_header(run, observed, baseline=None, differences_csv=None, changes=None):
    description = run.configuration.get("description", "") if isinstance(run.configuration, dict) else ""
    rows = [("input", f"{run.name} (result file of iskabm run)"), ("title", run.title)]
    if description:
        rows.append(("description", description))
    rows += [("source", run.source), ("history", run.history),
             ("replicates", f"{run.replicates} (first replicate {text_attribute(run.ds, 'first_replicate', '?')})"),
             ("seed", run.seed), ("window", period_label(run.first_month, run.last_month)),
             ("groups", ", ".join(run.groups)),
             ("event records", "yes" if run.has_events else "no ([output] events = false)"),
             ("breakdowns", "yes" if run.has_breakdowns else "no ([output] breakdowns = false)")]
    posterior = text_attribute(run.ds, "posterior")
    if posterior:
        rows.append(("posterior", posterior))
    if baseline:
        rows.append(("baseline", f"{baseline[1]} ({baseline[0]})"))
        rows.append(("paired differences", os.path.basename(differences_csv)))
        rows.append(("changes against the baseline",
                      "; ".join(changes) if changes else "none found in the resolved scenarios"))
    rows += [("library versions", text_attribute(run.ds, "library_versions")),
             ("observed data", observed.directory)]
    return rows


def posterior_header(posterior, observed):
    return [("input", f"{posterior.name} (posterior file of iskabm calibrate)"), ("title", posterior.title),
            ("source", posterior.source), ("history", posterior.history), ("status", posterior.status),
            ("stop reason", text_attribute(posterior.ds, "stop_reason")),
            ("generations complete", text_attribute(posterior.ds, "generations_complete", str(posterior.generations))),
            ("simulations", text_attribute(posterior.ds, "simulations_total")),
            ("particles", posterior.particles), ("seed", posterior.seed),
            ("parameters", ", ".join(posterior.parameters)),
            ("statistics", f"{len(posterior.statistics)}"), ("observed data", observed.directory)]


def sensitivity_header(study, observed):
    return [("input", f"{study.name} (result file of iskabm sensitivity)"), ("title", study.title),
            ("source", study.source), ("history", study.history), ("method", study.method),
            ("design points", str(study.size("point"))), ("replicates per point", text_attribute(study.ds, "replicates")),
            ("simulations", text_attribute(study.ds, "simulations")), ("seed", study.seed),
            ("parameters", str(len(study.parameters))), ("outputs", str(len(study.outputs))),
            ("log outputs", "yes" if text_attribute(study.ds, "log_outputs") == "1" else "no")]


class Progress:
    """One stderr line per figure drawn ("figure 3 of 13: seasonality.png, 4.2 s"), when asked."""

    def __init__(self, enabled, total):
        self.enabled, self.total, self.done = enabled, total, 0
        self.start = time.monotonic()

    def __call__(self, record):
        self.done += 1
        if self.enabled:
            print(f"iskabm report: figure {self.done} of {self.total}: {record.file}, "
                  f"{time.monotonic() - self.start:.1f} s", file=sys.stderr, flush=True)
        return record


def build_report(kind, input_path, data_dir, out_dir, baseline_path=None, differences_path=None, progress=False):
    """Draw every figure of the kind into out_dir, then report.html and figures.tsv; returns the
    figure records. `progress`: a line on stderr per figure."""
    configure_matplotlib()
    observed = ObservedData(data_dir)
    total = {"run": len(RUN_FIGURES) + (3 if baseline_path else 0), "sensitivity": len(SENSITIVITY_FIGURES),
             "posterior": len(POSTERIOR_FIGURES)}[kind]
    step = Progress(progress, total)
    if kind == "run":
        source = RunFile(input_path)
        baseline = None
        changes = None
        records = []
        heading = f"iskabm report: {source.title}"
        if baseline_path:
            # A what-if report is about the what-if: beside its own baseline first, what it changes,
            # then the record comparisons of the what-if alone.
            baseline = baseline_title(baseline_path)
            heading = f"iskabm what-if report: {source.title} (against {baseline[0]})"
            records.append(step(differences(source, baseline[0], baseline[1], differences_path, out_dir)))
            base_run = RunFile(baseline_path)
            records.append(step(whatif_vs_baseline(source, base_run, baseline[0], observed, out_dir)))
            records.append(step(district_differences(source, base_run, baseline[0], observed, out_dir)))
            changes = configuration_changes(source.configuration, base_run.configuration)
            base_run.close()
        records += [step(figure(source, observed, out_dir)) for figure in RUN_FIGURES]
        if source.has_parameter_values:
            step.total += 1
            records.append(step(parameter_draws(source, observed, out_dir)))
        header = run_header(source, observed, baseline, differences_path, changes)
    elif kind == "sensitivity":
        source = SensitivityFile(input_path)
        records = [step(figure(source, observed, out_dir)) for figure in SENSITIVITY_FIGURES]
        header = sensitivity_header(source, observed)
    else:
        source = PosteriorFile(input_path)
        records = [step(figure(source, observed, out_dir)) for figure in POSTERIOR_FIGURES]
        header = posterior_header(source, observed)
    if kind != "run":
        heading = f"iskabm report: {source.title}"
    write_html(out_dir, heading, header, records)
    write_figures_tsv(out_dir, records)
    source.close()
    return records
