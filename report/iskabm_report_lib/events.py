"""Figures of what the attacks were: fatalities per attack, target classes and tactics, and
joint attacks by partner group. Each draws what the file holds (event list, breakdown variables)
and says in a panel what it does not."""

import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator

from .observed import INCIDENTS, comparison_window
from .plotting import (OBSERVED, SIMULATED_REPORTED, SIMULATED_TRUE, FigureRecord, draw_intervals,
                       interval_legend_note, message_panel, new_figure, number, save, summarise)

NO_EVENTS = "no event records in this file ([output] events = false)"
NO_BREAKDOWNS = "no breakdown variables in this file ([output] breakdowns = false)"


def counts_by_replicate(frame, column, categories, replicates):
    """(replicate, category) counts of an event frame (replicate_index and a category column)."""
    table = pd.crosstab(frame.replicate_index, frame[column])
    return table.reindex(index=range(replicates), columns=categories, fill_value=0).to_numpy(dtype=float)


def shares(counts):
    """Row shares of (replicate, category) counts; replicates without any count give NaN rows."""
    totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, counts / np.where(totals > 0, totals, 1), np.nan)


# ---------------------------------------------------------------- fatalities per attack
FATALITY_EDGES = [0, 1, 2, 4, 8, 16, 32, 64, 128]


def fatality_classes():
    labels = []
    for low, high in zip(FATALITY_EDGES, FATALITY_EDGES[1:] + [None]):
        if high is None:
            labels.append(f"\u2265{low}")
        elif high - low == 1:
            labels.append(f"{low}")
        else:
            labels.append(f"{low}\u2013{high - 1}")
    return labels


def class_index(fatalities):
    return np.searchsorted(FATALITY_EDGES, np.asarray(fatalities), side="right") - 1


def fatalities(run, observed, out_dir):
    record = FigureRecord(
        "fatalities.png", "Fatalities per attack",
        "Distribution of victims killed per attack: simulated reported attacks (event_fatalities of the observed "
        "events, pooled over replicates, with the 90 % interval of each class's share across replicates) and all "
        "simulated attacks, against the incidents of the observed record; medians in the legend and as lines.")
    window = comparison_window(run, observed)
    record_events = observed.events_in(window)
    record_fatalities = record_events.fatalities.dropna().to_numpy()
    events = run.events_within(window)
    fig = new_figure(12.5, 5.6, f"{record.title} \u2013 {run.title}", run.source_line(INCIDENTS))
    histogram_ax, ecdf_ax = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
    labels = fatality_classes()
    positions = np.arange(len(labels))
    width = 0.27

    def pooled_share(values):
        counts = np.bincount(class_index(values), minlength=len(labels)).astype(float)
        return counts / max(counts.sum(), 1)

    def ecdf(values, colour, label, linestyle="-"):
        values = np.sort(values)
        ecdf_ax.step(values, np.arange(1, len(values) + 1) / len(values), where="post", color=colour,
                     linestyle=linestyle, linewidth=1.5, label=label)
        ecdf_ax.axvline(np.median(values), color=colour, linestyle=":", linewidth=1)

    def describe(name, values):
        return (f"{name} (n = {len(values):,}; median {number(np.median(values))}, "
                f"90th pct {number(np.percentile(values, 90))})")

    if events is not None and len(events):
        reported = events[events.observed]
        if len(reported):
            per_replicate = shares(counts_by_replicate(
                reported.assign(cls=class_index(reported.fatalities)), "cls", range(len(labels)), run.replicates))
            summary = summarise(per_replicate)
            label = describe("simulated reported attacks", reported.fatalities.to_numpy())
            histogram_ax.bar(positions - width, pooled_share(reported.fatalities), width, color=SIMULATED_REPORTED,
                             label=label)
            histogram_ax.vlines(positions - width, summary.q05, summary.q95, color="0.25", linewidth=1)
            ecdf(reported.fatalities.to_numpy(), SIMULATED_REPORTED, label)
        label = describe("all simulated attacks", events.fatalities.to_numpy())
        histogram_ax.bar(positions, pooled_share(events.fatalities), width, color=SIMULATED_TRUE, alpha=0.55,
                         label=label)
        ecdf(events.fatalities.to_numpy(), SIMULATED_TRUE, label, linestyle="--")
    else:
        missing = NO_EVENTS if events is None else f"no simulated attacks in {window.label}"
        histogram_ax.text(0.5, 0.62, missing, transform=histogram_ax.transAxes, ha="center", va="center",
                          color="0.3", bbox={"facecolor": "#fff3e0", "edgecolor": "0.7"})
        record.notes.append(f"Simulated distribution not drawn: {missing}.")
    if len(record_fatalities):
        label = describe("observed incidents", record_fatalities)
        histogram_ax.bar(positions + width, pooled_share(record_fatalities), width, color="white",
                         edgecolor=OBSERVED, hatch="////", linewidth=0.8, label=label)
        ecdf(record_fatalities, OBSERVED, label)
    histogram_ax.set_xticks(positions, labels)
    histogram_ax.set_xlabel("victims killed per attack (persons)")
    histogram_ax.set_ylabel("share of attacks")
    histogram_ax.set_title("Share of attacks per class (whiskers: 90 % interval over replicates)", loc="left")
    histogram_ax.legend(loc="upper right", fontsize=7.5)
    histogram_ax.set_ylim(0, histogram_ax.get_ylim()[1] * 1.3)
    ecdf_ax.set_xscale("symlog", linthresh=1)
    ecdf_ax.set_xlim(0, None)
    ecdf_ax.xaxis.set_major_locator(FixedLocator([0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]))
    ecdf_ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ecdf_ax.xaxis.set_minor_locator(NullLocator())
    ecdf_ax.set_xlabel("victims killed per attack (persons, symmetric-log scale)")
    ecdf_ax.set_ylabel("cumulative share of attacks")
    ecdf_ax.set_title("Cumulative distribution (dotted: medians)", loc="left")
    ecdf_ax.set_ylim(0, 1.02)
    record.notes += window.notes()
    return save(fig, out_dir, record)


# ---------------------------------------------------------------- targets and tactics
def breakdown_counts(run, events, months, variable, event_column, categories, country):
    """(replicate, category) attack counts in a country over the selected months: from the
    breakdown variable, else from the event list (all attacks), else None."""
    if run.has(variable):
        values = run.values(variable)[:, months][:, :, run.district_country == country, :]
        return values.sum(axis=(1, 2)).astype(float), "breakdown variable"
    if events is not None:
        frame = events[events.country == country]
        return counts_by_replicate(frame, event_column, range(len(categories)), run.replicates), "event list"
    return None, None


def targets_tactics(run, observed, out_dir):
    record = FigureRecord(
        "targets_tactics.png", "Attacks by target class and tactic",
        "Shares of attacks by target class and by tactic in each country: all simulated attacks (median share "
        "and intervals over replicates), simulated reported attacks, and observed incidents by tactic (derived "
        "from the list's attack types; the list has no target column).")
    window = comparison_window(run, observed)
    record_events = observed.events_in(window)
    record_tactics = observed.tactic_of(record_events)
    events = run.events_within(window)
    dimensions = [("target class", "attacks_by_target", "target", run.coordinate("target_class")),
                  ("tactic", "attacks_by_tactic", "tactic", run.coordinate("tactic"))]
    fig = new_figure(12.5, 7.6, f"{record.title} \u2013 {run.title}", run.source_line(INCIDENTS))
    axes = fig.subplots(2, len(run.countries), squeeze=False)
    sources = set()
    for row, (dimension, variable, column, categories) in enumerate(dimensions):
        for c, country in enumerate(run.countries):
            ax = axes[row, c]
            positions = np.arange(len(categories))[::-1]
            top = 0.0
            counts, origin = breakdown_counts(run, events, window.months, variable, column, categories, c)
            if counts is not None:
                sources.add(origin)
                summary = summarise(shares(counts))
                draw_intervals(ax, positions + 0.22, summary, SIMULATED_TRUE, "all simulated attacks",
                               horizontal=True)
                top = max(top, np.nanmax(summary.q95, initial=0))
            if events is not None:
                reported = events[events.observed & (events.country == c)]
                summary = summarise(shares(counts_by_replicate(reported, column, range(len(categories)),
                                                               run.replicates)))
                draw_intervals(ax, positions, summary, SIMULATED_REPORTED, "simulated reported attacks",
                               horizontal=True, marker="s")
                top = max(top, np.nanmax(summary.q95, initial=0))
            in_country = record_tactics[record_events.country == country] if column == "tactic" else []
            if len(in_country):
                share = in_country.value_counts().reindex(categories, fill_value=0).to_numpy() / len(in_country)
                ax.plot(share, positions - 0.22, "D", color=OBSERVED, markersize=5,
                        label=f"observed incidents (n = {len(in_country)}; approximate tactic)")
                top = max(top, share.max())
            ax.set_title(f"{country}: by {dimension}", loc="left")
            if not ax.get_legend_handles_labels()[0]:
                message_panel(ax, f"{NO_BREAKDOWNS}; {NO_EVENTS}")
                continue
            ax.set_yticks(positions, [name.replace("_", " ") for name in categories])
            ax.set_xlim(0, min(1.0, top + 0.12))
            ax.set_xlabel(f"share of the country's attacks by {dimension}")
            ax.legend(loc="lower right", fontsize=7.5)
    record.notes.append(interval_legend_note().capitalize() + ".")
    if "event list" in sources:
        record.notes.append("The file has no breakdown variables: all-attack shares come from the event list.")
    if events is None:
        record.notes.append("The file has no event records: reported-attack shares are not drawn.")
    record.notes.append("Observed tactics are derived from the list's attack_type_raw (a bombing whose description "
                        "says 'suicide' counts as suicide, other bombings as IED, shootings, assassinations and "
                        "hostage-takings as armed assault, the rest as other).")
    record.notes += window.notes()
    return save(fig, out_dir, record)


# ---------------------------------------------------------------- joint attacks
COUNTRY_COLOURS = [SIMULATED_TRUE, "#55a868", "#8172b3"]


def joint_counts_by_country(run, partners):
    """Per country, (replicate, partner) joint attacks over the whole window, and where they come
    from: the joint_attacks variable, else the event list, else (None, None)."""
    if run.has("joint_attacks"):
        values = run.values("joint_attacks").astype(float)  # replicate, time, district, partner
        return [values[:, :, run.district_country == c, :].sum(axis=(1, 2))
                for c in range(len(run.countries))], "joint_attacks"
    if run.events is not None:
        joint = run.events[run.events.partner >= 0]
        return [counts_by_replicate(joint[joint.country == c], "partner", range(len(partners)), run.replicates)
                for c in range(len(run.countries))], "the event list"
    return None, None


def draw_all_joint_attacks(ax, run, partners):
    """Left panel: every simulated joint attack, by partner and country. Returns the partner
    indices with any joint attack."""
    per_country, origin = joint_counts_by_country(run, partners)
    ax.set_title("All simulated joint attacks", loc="left")
    if per_country is None:
        message_panel(ax, f"{NO_BREAKDOWNS}; {NO_EVENTS}")
        return []
    active = [p for p in range(len(partners)) if any(np.nanmax(counts[:, p]) > 0 for counts in per_country)]
    if not active:
        message_panel(ax, "no simulated joint attacks with any partner")
        return []
    positions = np.arange(len(active))
    offsets = np.linspace(-0.1, 0.1, len(run.countries))
    for c, country in enumerate(run.countries):
        counts = per_country[c][:, active]
        draw_intervals(ax, positions + offsets[c], summarise(counts), COUNTRY_COLOURS[c % len(COUNTRY_COLOURS)],
                       country)
        for p in range(len(active)):
            ax.annotate(number(float(np.median(counts[:, p]))),
                        (positions[p] + offsets[c], float(np.quantile(counts[:, p], 0.95))), xytext=(0, 3),
                        textcoords="offset points", ha="center", fontsize=7)
    ax.set_xticks(positions, [partners[p] for p in active])
    ax.set_xlim(-0.5, len(active) - 0.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(f"joint attacks over {run.first_month:%Y-%m} \u2013 {run.last_month:%Y-%m} (count)")
    ax.set_xlabel("partner group")
    ax.set_ylim(bottom=0)
    ax.legend(title="simulated, all joint attacks", loc="upper left")
    ax.set_title(f"All simulated joint attacks (from {origin}; labels: medians)", loc="left")
    return active


def draw_claimed_joint_attacks(ax, run, observed, window, partners, active, record):
    """Right panel: reported, jointly claimed attacks by named partner, simulated against the record."""
    incidents = observed.events_within(window.first, window.last) if window.overlaps else None
    record_groups = observed.joint_partner_groups(incidents) if incidents is not None else None
    named = set(record_groups) if record_groups is not None else set()
    claimed_partners = [p for p in range(len(partners)) if p in active or partners[p] in named]
    names = [partners[p] for p in claimed_partners] + ["other (not modelled)"]
    positions = np.arange(len(names))
    events = run.events_within(window)
    if events is not None:
        claimed = events[events.observed & events.joint_claimed & (events.partner >= 0)]
        counts = counts_by_replicate(claimed, "partner", range(len(partners)), run.replicates)[:, claimed_partners]
        draw_intervals(ax, positions - 0.08, summarise(np.hstack([counts, np.full((run.replicates, 1), np.nan)])),
                       SIMULATED_REPORTED, "simulated reported, jointly claimed attacks")
    if incidents is not None:
        tally = record_groups.value_counts().reindex(names, fill_value=0)
        ax.plot(positions + 0.08, tally.to_numpy(), "D", color=OBSERVED, markersize=5,
                label=f"observed jointly claimed incidents ({int((incidents.joint_claim_flag == 1).sum())} "
                      f"of {len(incidents)})")
        unknown = sorted(named - set(names))
        if unknown:
            record.notes.append(f"Partners named in the record but not in the run: {', '.join(unknown)}.")
    if events is None and incidents is None:
        message_panel(ax, NO_EVENTS)
        return
    if events is None:
        ax.text(0.5, 0.6, f"simulated: {NO_EVENTS}", transform=ax.transAxes, ha="center", color="0.3",
                bbox={"facecolor": "#fff3e0", "edgecolor": "0.7"})
        record.notes.append("The file has no event records: only the observed joint claims are drawn.")
    ax.set_xticks(positions, [n.replace(" (", "\n(") for n in names])
    ax.set_ylabel(f"jointly claimed attacks, {window.label} (count)")
    ax.set_xlabel("partner group named in the claim")
    ax.set_ylim(bottom=0)
    ax.set_xlim(-0.5, len(names) - 0.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="upper left", fontsize=7.5)
    ax.set_title(f"Reported and jointly claimed, {window.label}", loc="left")


def joint_attacks(run, observed, out_dir):
    record = FigureRecord(
        "joint_attacks.png", "Joint attacks by partner group",
        "Joint attacks by partner group: all simulated joint attacks per country (median and intervals over "
        "replicates), and the reported jointly claimed attacks against the jointly claimed incidents of the "
        "observed record.")
    window = comparison_window(run, observed)
    partners = run.coordinate("partner")
    fig = new_figure(12.5, 5.4, f"{record.title} \u2013 {run.title}", run.source_line(INCIDENTS))
    all_ax, claimed_ax = fig.subplots(1, 2)
    active = draw_all_joint_attacks(all_ax, run, partners)
    draw_claimed_joint_attacks(claimed_ax, run, observed, window, partners, active, record)
    record.notes.append(interval_legend_note().capitalize() + ". In the record an incident naming two partners "
                        "counts for each; 'Taliban' (the Afghan Taliban) and Hizbul Ahrar are not model groups.")
    record.notes += window.notes()
    return save(fig, out_dir, record)
