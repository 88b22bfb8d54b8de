"""Time series of a run: monthly attacks per country, the month-of-year profile with Ramadan, and
the groups' strength against published estimates."""

import calendar

import numpy as np
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, NullLocator

from .observed import INCIDENTS, PUBLISHED, comparison_window
from .plotting import (GROUP_COLOURS, OBSERVED, SIMULATED_REPORTED, SIMULATED_TRUE, FigureRecord, draw_band,
                       draw_intervals, interval_legend_note, month_axis, new_figure, number, save, span,
                       summarise, thousands_axis)


# ---------------------------------------------------------------- monthly attacks
def square_root_axis(ax, top):
    """A square-root y axis from 0 to a little above top, ticks at round counts."""
    ax.set_yscale("function", functions=(lambda y: np.sqrt(np.clip(y, 0, None)), np.square))
    ax.set_ylim(0, top * 1.08)
    ticks = [0]
    for t in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000):
        if t <= top * 1.08 and np.sqrt(t) - np.sqrt(ticks[-1]) >= np.sqrt(top) / 9:  # evenly spread on the axis
            ticks.append(t)
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_minor_locator(NullLocator())


def monthly_attacks(run, observed, out_dir):
    record = FigureRecord(
        "monthly_attacks.png", "Monthly attacks per country",
        "Monthly attacks per country: simulated median with 50 % and 90 % bands of the true attacks and of the "
        "reported attacks (those entering the notable-incident record), against the incidents of the observed "
        "record.")
    true = run.by_country("attacks")
    reported = run.by_country("attacks_observed")
    months = run.times
    record_first, record_last = observed.coverage
    fig = new_figure(12, 3.2 * len(run.countries) + 1.2, f"{record.title} \u2013 {run.title}",
                     run.source_line(INCIDENTS))
    axes = np.atleast_1d(fig.subplots(len(run.countries), 1, sharex=True))
    for c, (ax, country) in enumerate(zip(axes, run.countries)):
        draw_band(ax, months, true[:, :, c], SIMULATED_TRUE, "simulated attacks (true)")
        draw_band(ax, months, reported[:, :, c], SIMULATED_REPORTED, "simulated reported attacks")
        series = observed.monthly_series(country, months)
        if np.isfinite(series).any():
            ax.plot(months, series, "o-", color=OBSERVED, markersize=2.6, linewidth=0.7,
                    label="observed incidents (Wikipedia ISK list)")
        ax.text(0.01, 0.96, country, transform=ax.transAxes, fontsize=10, fontweight="bold", va="top")
        ax.set_ylabel("attacks per month (square-root scale)")
        square_root_axis(ax, max(np.nanmax(summarise(true[:, :, c]).q95), np.nanmax(series, initial=0), 1))
        ax.set_xlim(months[0] - pd.Timedelta(days=10), months[-1] + pd.Timedelta(days=20))
        month_axis(ax)
    axes[0].legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3)
    if run.first_month < record_first or run.last_month > record_last:
        record.notes.append(f"The observed record covers {record_first:%Y-%m} \u2013 {record_last:%Y-%m} only.")
    return save(fig, out_dir, record)


# ---------------------------------------------------------------- seasonality
HIJRI_EPOCH_JDN, UNIX_EPOCH_JDN = 1948440, 2440588


def from_hijri(year, month, day):
    """Day number (days since 1970-01-01) of a date of the tabular Islamic calendar: the same
    arithmetic as the model (model/season.cpp)."""
    days_before_month = (59 * (month - 1) + 1) // 2
    days_before_year = (year - 1) * 354 + (3 + 11 * year) // 30
    return day + days_before_month + days_before_year + HIJRI_EPOCH_JDN - 1 - UNIX_EPOCH_JDN


def ramadan_days(first, last):
    """Every day of Ramadan between two dates, as a DatetimeIndex."""
    epoch = pd.Timestamp("1970-01-01")
    hijri_year = int((first.year - 622) * 33 / 32) - 1
    days = []
    while True:
        start, end = from_hijri(hijri_year, 9, 1), from_hijri(hijri_year, 10, 1) - 1
        if epoch + pd.Timedelta(days=start) > last:
            break
        days.extend(range(start, end + 1))
        hijri_year += 1
    index = epoch + pd.to_timedelta(days, unit="D")
    return index[(index >= first) & (index <= last)]


def month_shares(counts, months):
    """Share of each calendar month in the total (counts: ..., time); NaN for calendar months
    outside the window or a zero total."""
    calendar_month = months.month.to_numpy()
    totals = np.stack([counts[..., calendar_month == m].sum(axis=-1) if (calendar_month == m).any()
                       else np.full(counts.shape[:-1], np.nan) for m in range(1, 13)], axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return totals / np.nansum(totals, axis=-1, keepdims=True)


def seasonality(run, observed, out_dir):
    record = FigureRecord(
        "seasonality.png", "Month-of-year profile",
        "Share of the year's reported attacks falling in each calendar month: simulated (median, 50 % and 90 % "
        "intervals over replicates) against the observed incidents, with the months Ramadan overlapped shaded.")
    window = comparison_window(run, observed)
    months = run.times[window.months]
    simulated = month_shares(run.values("attacks_observed")[:, window.months, :].sum(axis=2), months)
    fig = new_figure(10, 5.4, f"{record.title} \u2013 {run.title}, {window.label}", run.source_line(INCIDENTS))
    ax = fig.subplots()

    ramadan = ramadan_days(window.first, window.last + pd.offsets.MonthEnd(0))
    in_window = pd.date_range(window.first, window.last + pd.offsets.MonthEnd(0), freq="D")
    ramadan_share = (pd.Series(1, index=ramadan).groupby(ramadan.month).sum()
                     / pd.Series(1, index=in_window).groupby(in_window.month).sum()).reindex(range(1, 13)).fillna(0)
    for m, share in ramadan_share.items():
        if share > 0:
            ax.axvspan(m - 0.5, m + 0.5, color="#8fbf8f", alpha=min(0.15 + 1.6 * share, 0.75), linewidth=0)
    years = sorted(set(ramadan.year))
    spans = [f"{days.min():%Y-%m-%d}..{days.max():%m-%d}" for _, days in
             pd.Series(ramadan, index=ramadan).groupby(ramadan.year)]

    positions = np.arange(1, 13)
    summary = summarise(simulated)
    top = np.nanmax(summary.q95)
    draw_intervals(ax, positions, summary, SIMULATED_REPORTED,
                   "simulated reported attacks (" + interval_legend_note() + ")")
    if window.overlaps:
        counts = np.stack([observed.monthly_series(c, months) for c in run.countries]).sum(axis=0)
        shares = month_shares(counts, months)
        ax.plot(positions, shares, "D-", color=OBSERVED, markersize=4.5, linewidth=0.9,
                label=f"observed incidents (Wikipedia ISK list, {int(np.nansum(counts))} incidents)")
        top = max(top, np.nanmax(shares))
    handles, _ = ax.get_legend_handles_labels()
    if years:
        handles.append(Patch(color="#8fbf8f", alpha=0.6,
                             label=f"months Ramadan overlapped, darker = more of the month ({', '.join(spans)})"))
    ax.legend(handles=handles, loc="upper left", fontsize=7.5)
    ax.set_xticks(positions, [calendar.month_abbr[m] for m in positions])
    ax.set_xlim(0.4, 12.6)
    ax.set_ylim(0, (top if np.isfinite(top) and top > 0 else 1) * 1.35)
    ax.set_ylabel("share of the window's attacks in the calendar month")
    ax.set_xlabel("calendar month")
    record.notes.append("Shares are over all years of the window; Ramadan dates follow the tabular Islamic "
                        "calendar the model uses.")
    record.notes += window.notes()
    return save(fig, out_dir, record)


# ---------------------------------------------------------------- group strength
def group_strength(run, observed, out_dir):
    record = FigureRecord(
        "group_strength.png", "Group strength over time",
        "Members of each group at month end (both countries; median with 50 % and 90 % bands over replicates), "
        "with the published strength estimates of the focal group as ranges.")
    members = run.values("group_members").astype(float)  # replicate, time, group, country
    total = members.sum(axis=3)
    groups = run.groups
    columns = 2 if len(groups) > 1 else 1
    rows = int(np.ceil(len(groups) / columns))
    fig = new_figure(12, 3.3 * rows + 1.2, f"{record.title} \u2013 {run.title}", run.source_line(PUBLISHED))
    axes = np.atleast_1d(fig.subplots(rows, columns, sharex=True, squeeze=False)).ravel()
    months = run.times
    estimates = observed.strength_estimates
    margin = pd.Timedelta(days=183)
    shown = estimates[(estimates.date >= months[0] - margin) & (estimates.date <= months[-1] + margin)]
    for g, (ax, group) in enumerate(zip(axes, groups)):
        colour = GROUP_COLOURS[g % len(GROUP_COLOURS)]
        draw_band(ax, months, total[:, :, g], colour, f"{group} members, both countries")
        if g == 0 and members.shape[3] > 1:
            for c, country in enumerate(run.countries):
                ax.plot(months, summarise(members[:, :, g, c]).q50, linestyle=(0, (4, 2)) if c == 0 else ":",
                        color=colour, linewidth=1, label=f"{group} members in {country}: median")
        if g == 0 and len(shown):
            for k, (_, e) in enumerate(shown.sort_values("date").iterrows()):
                ax.errorbar(e.date, (e.value_low + e.value_high) / 2, yerr=[[(e.value_high - e.value_low) / 2]] * 2,
                            fmt="s", color=OBSERVED, markersize=4, capsize=3, linewidth=1)
                above = k % 2 == 0  # alternate above and below to keep neighbouring ids apart
                ax.annotate(e.figure_id, (e.date, e.value_high if above else e.value_low),
                            xytext=(-2, 4) if above else (2, -4), textcoords="offset points", fontsize=7,
                            ha="right" if above else "left", va="bottom" if above else "top")
            ax.plot([], [], "s", color=OBSERVED, markersize=4,
                    label="published estimate, low\u2013high (figure id: see the caption)")
        ax.set_title(f"{group}" + (" (focal group)" if g == 0 else ""), loc="left")
        ax.set_ylabel("members (persons)")
        thousands_axis(ax)
        top = max(np.nanmax(summarise(total[:, :, g]).q95, initial=0),
                  shown.value_high.max() if g == 0 and len(shown) else 0, 1)
        ax.set_ylim(0, top * (1.45 if g == 0 else 1.2))  # room for the legend above the data
        ax.legend(loc="upper left", fontsize=7.5)
        month_axis(ax)
    for ax in axes[len(groups):]:
        ax.set_visible(False)
    outside = len(estimates) - len(shown)
    if len(shown):
        listed = "; ".join(f"{e.figure_id} ({e.country}): {e.metric}, {e.period}, "
                           f"{number(e.value_low) if e.value_low == e.value_high else span(e.value_low, e.value_high)}"
                           f" {e.unit}" for _, e in shown.iterrows())
        record.notes.append(f"Estimates shown: {listed}.")
    if outside:
        record.notes.append(f"{outside} further published strength estimates date from outside the run's window.")
    return save(fig, out_dir, record)
