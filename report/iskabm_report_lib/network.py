"""alliance_network.png: the groups and their alliance ties as the run's resolved scenario
(global attribute configuration_toml) states them, drawn with plain matplotlib: groups on a
circle, sized by strength; ties coloured by type, dashed when low-end, curved side by side when
a pair has several; ties that start late or end are annotated."""

import datetime
import math
import textwrap

import matplotlib.patheffects as path_effects
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch

from .errors import InputDataError
from .plotting import GROUP_COLOURS, FigureRecord, message_panel, new_figure, number, save

TIE_COLOURS = {"ideological": "#8172b3", "logistical": "#2a9d55", "operational": "#c62828"}
TIE_STYLES = {"high_end": "-", "low_end": (0, (5, 3))}
RADIUS = 1.0
CURVATURE_STEP = 0.22
DASH = "\u2013"


def as_date(value):
    """A TOML date (or date-time, or ISO text) as datetime.date; None stays None."""
    if value is None or isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.datetime):
        return value.date()
    return datetime.date.fromisoformat(str(value)[:10])


def alliance_ties(run):
    """The ties of the resolved scenario: dicts with a (sorted) pair, type, quality, start, end;
    plus the scenario's tie_change entries (normally already applied by the resolver)."""
    configuration = run.configuration
    ties = []
    try:
        for tie in configuration.get("alliance_tie", []):
            a, b = tie["groups"]
            ties.append({"pair": tuple(sorted((a, b), key=run.groups.index)) if a in run.groups and b in run.groups
                         else (a, b), "type": tie.get("type", "?"), "quality": tie.get("quality", "high_end"),
                         "start": as_date(tie.get("start")), "end": as_date(tie.get("end"))})
        changes = []
        for change in configuration.get("tie_change", []):
            text = f"{DASH.join(change['groups'])} {', '.join(change.get('types', ['all types']))}: "
            text += "removed" if change.get("remove") else f"end {as_date(change.get('end'))}"
            changes.append(text)
    except (KeyError, TypeError, ValueError) as e:
        raise InputDataError(f"{run.path}: configuration_toml has a malformed alliance_tie or tie_change "
                             f"({type(e).__name__}: {e})") from None
    return ties, changes


def group_names(run):
    return {g.get("id"): g.get("name", g.get("id")) for g in run.configuration.get("group", []) if isinstance(g, dict)}


def median_strength(run):
    """Median over replicates of each group's mean members (both countries) in 2017 when the
    window holds 2017, else over the whole window; and the period's label."""
    members = run.values("group_members").astype(float).sum(axis=3)  # replicate, time, group
    in_2017 = np.asarray(run.times.year == 2017)
    months, label = (in_2017, "mean members in 2017") if in_2017.any() else (
        np.ones(len(run.times), bool), "mean members over the window")
    return np.median(members[:, months, :].mean(axis=1), axis=0), label


def arc_midpoint(a, b, rad):
    """Midpoint of matplotlib's arc3 connection (quadratic Bezier) from a to b."""
    (x1, y1), (x2, y2) = a, b
    control = ((x1 + x2) / 2 + rad * (y2 - y1), (y1 + y2) / 2 - rad * (x2 - x1))
    return (0.25 * x1 + 0.5 * control[0] + 0.25 * x2, 0.25 * y1 + 0.5 * control[1] + 0.25 * y2)


def tie_annotation(tie, run, active_from):
    """'ended after <last day>' for ties that end, 'from <date>' for ties starting after both groups are active
    and after the window starts; else ''."""
    parts = []
    start = tie["start"]
    latest_activity = max([run.first_month.date()] + [active_from.get(g) for g in tie["pair"] if active_from.get(g)])
    if start and start > latest_activity:
        parts.append(f"from {start}")
    if tie["end"]:
        parts.append(f"ended after {tie['end']}")
    return ", ".join(parts)


def alliance_network(run, observed, out_dir):
    record = FigureRecord(
        "alliance_network.png", "Alliance network",
        "The groups of the scenario as nodes sized by their median strength, and their alliance ties from the "
        "resolved scenario coloured by type (ideological, logistical, operational), solid when high-end and "
        "dashed when low-end, with the dates at which ties start late or end.")
    ties, changes = alliance_ties(run)
    names = group_names(run)
    active_from = {g.get("id"): as_date(g.get("active_from")) for g in run.configuration.get("group", [])
                   if isinstance(g, dict) and g.get("active_from")}
    strength, strength_label = median_strength(run)
    fig = new_figure(10, 8.2, f"{record.title} \u2013 {run.title}", run.source_line())
    ax = fig.subplots()
    ax.set_aspect("equal")
    ax.set_axis_off()
    groups = run.groups
    if not groups:
        message_panel(ax, "the file names no groups")
        return save(fig, out_dir, record)

    # Groups on a circle, the focal group on top, clockwise.
    angles = [math.pi / 2 - 2 * math.pi * i / len(groups) for i in range(len(groups))]
    position = {g: (RADIUS * math.cos(t), RADIUS * math.sin(t)) if len(groups) > 1 else (0.0, 0.0)
                for g, t in zip(groups, angles)}
    largest = max(float(np.nanmax(strength)), 1.0)
    node_radius = {g: 0.07 + 0.13 * math.sqrt(max(strength[i], 0) / largest) for i, g in enumerate(groups)}

    # Ties: several between a pair are curved side by side.
    by_pair = {}
    for tie in ties:
        by_pair.setdefault(tie["pair"], []).append(tie)
    for pair, pair_ties in by_pair.items():
        if any(g not in position for g in pair):
            record.notes.append(f"Tie between {DASH.join(pair)} not drawn: a group is not in the file.")
            continue
        pair_ties.sort(key=lambda t: (list(TIE_COLOURS).index(t["type"]) if t["type"] in TIE_COLOURS else 9))
        count = len(pair_ties)
        for k, tie in enumerate(pair_ties):
            rad = (k - (count - 1) / 2) * CURVATURE_STEP
            a, b = position[pair[0]], position[pair[1]]
            ended = tie["end"] is not None
            ax.add_patch(FancyArrowPatch(
                a, b, connectionstyle=f"arc3,rad={rad}", arrowstyle="-", color=TIE_COLOURS.get(tie["type"], "0.5"),
                linestyle=TIE_STYLES.get(tie["quality"], ":"), linewidth=2.4, alpha=0.55 if ended else 0.95,
                shrinkA=0, shrinkB=0, zorder=1))  # the opaque nodes cover the ends
            note = tie_annotation(tie, run, active_from)
            if note:
                x, y = arc_midpoint(a, b, rad)
                ax.text(x, y, note, fontsize=7.5, ha="center", va="center", color=TIE_COLOURS.get(tie["type"], "0.3"),
                        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
                        zorder=3)

    for i, g in enumerate(groups):
        x, y = position[g]
        colour = GROUP_COLOURS[i % len(GROUP_COLOURS)]
        ax.add_patch(Circle((x, y), node_radius[g], facecolor=colour, edgecolor="white", linewidth=1.5, zorder=2))
        ax.text(x, y, g, ha="center", va="center", fontsize=10, fontweight="bold", color="white", zorder=4,
                path_effects=[path_effects.withStroke(linewidth=2, foreground=colour)])
        outward = (x * 1.0, y * 1.0) if (x, y) != (0.0, 0.0) else (0.0, -1.0)
        norm = math.hypot(*outward) or 1.0
        distance = node_radius[g] + 0.06
        lx, ly = x + outward[0] / norm * distance, y + outward[1] / norm * distance
        name = textwrap.fill(names.get(g, g), 28, break_on_hyphens=False)
        label = f"{name}\n{number(float(strength[i]))} {strength_label}"
        ax.text(lx, ly, label,
                ha="center" if abs(outward[0]) < 0.3 else ("left" if outward[0] > 0 else "right"),
                va="bottom" if outward[1] > 0.3 else ("top" if outward[1] < -0.3 else "center"), fontsize=8.5,
                zorder=4)
    ax.set_xlim(-RADIUS - 0.75, RADIUS + 0.75)
    ax.set_ylim(-RADIUS - 0.5, RADIUS + 0.5)

    handles = [Line2D([], [], color=c, linewidth=2.4, label=f"{t} tie") for t, c in TIE_COLOURS.items()]
    handles += [Line2D([], [], color="0.3", linewidth=2, linestyle=s, label=q.replace("_", "-"))
                for q, s in TIE_STYLES.items()]
    handles.append(Line2D([], [], color="0.3", linewidth=2, alpha=0.45, label="tie that ends in the scenario"))
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(-0.02, -0.04), fontsize=8, title="ties",
              title_fontsize=8.5)
    ax.text(1.0, -0.02, f"node size grows with {strength_label}\n(median over replicates, both countries)",
            transform=ax.transAxes, ha="right", va="bottom", fontsize=8, color="0.3")
    if not ties:
        record.notes.append("The scenario has no alliance ties.")
    if changes:
        record.notes.append("Tie changes in the scenario: " + "; ".join(changes) + ".")
    record.notes.append(f"Ties are those of the resolved scenario (configuration_toml): {len(ties)} "
                        f"between {len(by_pair)} pairs of groups.")
    return save(fig, out_dir, record)
