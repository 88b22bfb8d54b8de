"""map_attacks.png: reported attacks per district, simulated beside observed, on the district
polygons of the gazetteer (joined on district_id), with the districts on the Afghanistan-Pakistan
border outlined."""

import geopandas
import matplotlib.patheffects as path_effects
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.cm import ScalarMappable
from matplotlib.colors import BoundaryNorm, ListedColormap, to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from shapely.ops import unary_union

from .observed import INCIDENTS, comparison_window
from .plotting import FigureRecord, new_figure, number, save, span, summarise

FILE = "map_attacks.png"
TITLE = "Attacks per district"
ZERO_COLOUR = "#ececec"
CROSS_BORDER_COLOUR = "#1565c0"
LABELLED_DISTRICTS = 4
SLIVER_DEGREES = 0.03


def class_edges(maximum):
    """Doubling class edges 0, 1, 2, 4, ... up to the first above the maximum."""
    edges = [0, 1, 2]
    while edges[-1] <= maximum:
        edges.append(edges[-1] * 2)
    return edges


def district_join(run, observed):
    """The polygons indexed by district id in the run's order, and the run's ids without one."""
    polygons = observed.districts.drop_duplicates("district_id").set_index("district_id")
    known = [d for d in run.district_ids if d in polygons.index]
    missing = [d for d in run.district_ids if d not in polygons.index]
    return polygons.loc[known], missing


def country_outlines(polygons):
    """The outline of each country: the union of its district polygons, closed over the slivers
    the simplified polygons leave between neighbours (buffered out and back by 0.03 degrees)."""
    groups = polygons.groupby("country").geometry if "country" in polygons else [("all", polygons.geometry)]
    outlines = [unary_union([g.buffer(SLIVER_DEGREES) for g in geometries]).buffer(-SLIVER_DEGREES)
                for _, geometries in groups]
    return geopandas.GeoSeries(outlines, crs=polygons.crs)


def draw_districts(ax, polygons, values, names, colours_of, cross_border, borders, heading):
    values = values.reindex(polygons.index).fillna(0.0)
    colours = np.array([to_rgba(ZERO_COLOUR) if v <= 0 else colours_of(v) for v in values])
    polygons.plot(ax=ax, color=colours, edgecolor="white", linewidth=0.15)
    outlined = polygons[polygons.index.isin(cross_border)]
    if len(outlined):
        outlined.boundary.plot(ax=ax, color=CROSS_BORDER_COLOUR, linewidth=0.8)
    borders.boundary.plot(ax=ax, color="0.2", linewidth=0.8)
    for district in values[values > 0].sort_values(ascending=False, kind="stable").index[:LABELLED_DISTRICTS]:
        point = polygons.geometry[district].representative_point()
        ax.annotate(f"{names[district]} {number(values[district])}", (point.x, point.y), xytext=(4, 3),
                    textcoords="offset points", fontsize=7.5,
                    path_effects=[path_effects.withStroke(linewidth=2.2, foreground="white")])
    ax.set_title(heading, fontsize=9.5, loc="left")
    ax.set_axis_off()


def map_attacks(run, observed, out_dir):
    window = comparison_window(run, observed)
    polygons, missing = district_join(run, observed)
    names = dict(zip(run.district_ids, run.district_names))
    borders = country_outlines(polygons)

    per_replicate = run.total_by_district("attacks_observed", window.months)  # replicate x district
    simulated = np.median(per_replicate, axis=0)
    totals = summarise(per_replicate.sum(axis=1))
    simulated = pd.Series(simulated, index=run.district_ids)
    if window.overlaps:
        observed_counts = observed.district_totals(window.first, window.last).reindex(run.district_ids, fill_value=0)
        incidents = observed.events_within(window.first, window.last)
        province_only = int(incidents.district_id.isna().sum())
    else:
        observed_counts, incidents, province_only = None, None, 0

    maximum = max(simulated.max(), observed_counts.max() if observed_counts is not None else 0)
    edges = class_edges(maximum)
    cmap = ListedColormap(plt.get_cmap("YlOrRd")(np.linspace(0.18, 1.0, len(edges) - 1)))
    norm = BoundaryNorm(edges, cmap.N)

    def colours_of(v):
        return cmap(norm(v))

    source = run.source_line(INCIDENTS)
    fig = new_figure(14.5, 7.4, f"{TITLE} \u2013 {run.title}, {window.label}", source)
    axes = fig.subplots(1, 2)
    plural = "s" if run.replicates != 1 else ""
    draw_districts(axes[0], polygons, simulated, names, colours_of, observed.cross_border_districts, borders,
                   f"Simulated reported attacks (attacks_observed): median of {run.replicates} replicate{plural}\n"
                   f"per district; whole area: median {number(float(totals.q50))} "
                   f"(90 %: {span(float(totals.q05), float(totals.q95))}), "
                   f"sum of district medians {number(float(simulated.sum()))}")
    if observed_counts is not None:
        draw_districts(axes[1], polygons, observed_counts.astype(float), names, colours_of,
                       observed.cross_border_districts, borders,
                       f"Observed incidents (Wikipedia ISK list) per district\n"
                       f"{int(observed_counts.sum())} district-geocoded of {len(incidents)} "
                       f"({province_only} located to a province only, not mapped)")
    else:
        draw_districts(axes[1], polygons, simulated * 0, names, colours_of, observed.cross_border_districts,
                       borders, "Observed incidents: the record (2014\u20132018) does not overlap the run's window")

    colourbar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=axes, shrink=0.55, pad=0.01,
                             ticks=edges, spacing="uniform")
    colourbar.set_label(f"attacks per district, {window.label} (class [a, b): a \u2264 attacks < b)")
    handles = [Patch(facecolor=ZERO_COLOUR, edgecolor="0.7", label="no attack (median 0)"),
               Line2D([], [], color=CROSS_BORDER_COLOUR, linewidth=1.2,
                      label="district with a cross-border neighbour (adjacency file)"),
               Line2D([], [], color="0.2", linewidth=1, label="country outlines")]
    axes[0].legend(handles=handles, loc="lower left", fontsize=8, frameon=True, framealpha=0.9)

    notes = [f"{len(polygons)} of {len(run.district_ids)} districts of the run matched a polygon of "
             f"the gazetteer on district_id."]
    if missing:
        notes.append(f"Not drawn (no polygon): {', '.join(missing[:10])}{' ...' if len(missing) > 10 else ''}.")
    notes += window.notes()
    return save(fig, out_dir, FigureRecord(
        FILE, TITLE,
        f"Choropleth maps of Afghanistan and Pakistan districts: simulated reported attacks per district "
        f"over {window.label} (median of the replicates, attacks_observed) beside the observed incidents of "
        f"the Wikipedia list on the same colour scale, with districts on the border outlined.",
        notes))
