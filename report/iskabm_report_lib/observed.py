"""The observed data directory (data/PROVENANCE.md): the Wikipedia ISK incident list, its
aggregates, the published figures and the gazetteer. Each table is read on first use; a missing
file or column is an InputDataError naming the file."""

import os
import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from .errors import InputDataError
from .inputs import one_line

INCIDENTS = "observed: Wikipedia ISK incident list 2015\u20132018 (data/PROVENANCE.md)"
PUBLISHED = ("observed: published strength estimates, data/aggregates/published_figures.csv "
             "(original sources named there)")

EVENTS_CSV = "events/isk_events_wikipedia_afpak_2015_2018.csv"
COUNTRY_MONTH_CSV = "aggregates/isk_wikipedia_country_month.csv"
DISTRICT_MONTH_CSV = "aggregates/isk_wikipedia_district_month.csv"
PUBLISHED_CSV = "aggregates/published_figures.csv"
ADJACENCY_CSV = "gazetteer/afpak_district_adjacency.csv"
DISTRICTS_GEOJSON = "gazetteer/afpak_districts_2015.geojson"

# The incident list's free-text attack types mapped to the model's tactics; a bombing whose
# description says "suicide" is a suicide attack. Approximate: said so in the captions.
TACTIC_OF_ATTACK_TYPE = {"bombing": "ied", "shooting": "armed_assault", "assassination": "armed_assault",
                         "hostage": "armed_assault", "arson": "other", "other_violence": "other"}

# Partner names in the incident list mapped to the model's group ids.
GROUP_OF_PARTNER_NAME = {"tehrik-i-taliban pakistan": "TTP", "tehrik-e-taliban pakistan": "TTP",
                         "jamaat-ul-ahrar": "JuA", "lashkar-e-jhangvi": "LeJ"}


def month_start(year, month):
    return pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": 1}))


class ObservedData:
    def __init__(self, directory):
        self.directory = directory

    def path(self, relative):
        return os.path.join(self.directory, relative)

    def read_csv(self, relative, columns, **kwargs):
        path = self.path(relative)
        if not os.path.isfile(path):
            raise InputDataError(f"{path}: no such file (observed data directory {self.directory})")
        try:
            frame = pd.read_csv(path, **kwargs)
        except Exception as e:
            raise InputDataError(f"{path}: cannot be read as CSV ({one_line(e)})") from None
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise InputDataError(f"{path}: lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
        return frame

    def numeric(self, frame, relative, columns):
        for column in columns:
            values = pd.to_numeric(frame[column], errors="coerce")
            bad = values.isna() & frame[column].notna()
            if bad.any():
                line = int(np.flatnonzero(bad.to_numpy())[0]) + 2
                raise InputDataError(f"{self.path(relative)}:{line}: {column} is not a number: "
                                     f"{frame[column][bad].iloc[0]!r}")
            frame[column] = values
        return frame

    # ---------------------------------------------------------------- the incident list
    @cached_property
    def events(self):
        columns = ["date", "country", "district_id", "attack_type_raw", "fatalities", "joint_claim_flag",
                   "joint_partner_named", "details"]
        frame = self.read_csv(EVENTS_CSV, columns, dtype={"district_id": str, "joint_partner_named": str})
        frame = self.numeric(frame, EVENTS_CSV, ["fatalities", "joint_claim_flag"])
        frame["day"] = pd.to_datetime(frame["date"], errors="coerce", format="%Y-%m-%d")
        if frame.day.isna().any():
            line = int(np.flatnonzero(frame.day.isna().to_numpy())[0]) + 2
            raise InputDataError(f"{self.path(EVENTS_CSV)}:{line}: date is not YYYY-MM-DD")
        frame["month"] = frame.day.dt.to_period("M").dt.to_timestamp()
        return frame

    def events_within(self, first, last):
        """Incidents in the months [first, last] (month starts)."""
        e = self.events
        return e[(e.month >= first) & (e.month <= last)]

    def events_in(self, window):
        """Incidents in a comparison window: none (an empty frame) when it does not overlap the record."""
        return self.events_within(window.first, window.last) if window.overlaps else self.events.iloc[:0]

    @staticmethod
    def tactic_of(events):
        """The model tactic of each incident (approximate; see TACTIC_OF_ATTACK_TYPE)."""
        tactic = events.attack_type_raw.map(TACTIC_OF_ATTACK_TYPE).fillna("other")
        suicide = events.details.fillna("").str.contains("suicide", case=False)
        return tactic.where(~(suicide & (events.attack_type_raw == "bombing")), "suicide")

    @staticmethod
    def joint_partner_groups(events):
        """Group id (or 'other (not modelled)') of every partner named in a joint claim: one entry
        per named partner, so an incident naming two partners counts for each."""
        joint = events[events.joint_claim_flag == 1]
        names = joint.joint_partner_named.fillna("unnamed").str.split(";").explode().str.strip()
        return names.str.lower().map(GROUP_OF_PARTNER_NAME).fillna("other (not modelled)")

    # ---------------------------------------------------------------- aggregates
    @cached_property
    def country_month(self):
        frame = self.read_csv(COUNTRY_MONTH_CSV, ["country", "year", "month", "events_all"])
        frame = self.numeric(frame, COUNTRY_MONTH_CSV, ["year", "month", "events_all"])
        frame["month_start"] = month_start(frame.year, frame.month)
        return frame

    @property
    def coverage(self):
        """First and last month of the record (month starts)."""
        months = self.country_month.month_start
        return months.min(), months.max()

    def monthly_series(self, country, months):
        """Observed incidents per month for a country, on the given month starts (NaN outside the record)."""
        frame = self.country_month[self.country_month.country == country]
        series = frame.groupby("month_start").events_all.sum()
        return series.reindex(pd.DatetimeIndex(months)).to_numpy(dtype=float)

    @cached_property
    def district_month(self):
        frame = self.read_csv(DISTRICT_MONTH_CSV, ["district_id", "year", "month", "events"],
                              dtype={"district_id": str})
        frame = self.numeric(frame, DISTRICT_MONTH_CSV, ["year", "month", "events"])
        frame["month_start"] = month_start(frame.year, frame.month)
        return frame

    def district_totals(self, first, last):
        """Incidents per district id over the months [first, last] (district-geocoded only)."""
        frame = self.district_month
        frame = frame[(frame.month_start >= first) & (frame.month_start <= last)]
        return frame.groupby("district_id").events.sum()

    # ---------------------------------------------------------------- published figures
    @cached_property
    def strength_estimates(self):
        """Published fighter-strength estimates with a date parsed from their free-text period."""
        columns = ["figure_id", "topic", "country", "period", "metric", "value_low", "value_high", "unit"]
        frame = self.read_csv(PUBLISHED_CSV, columns)
        frame = self.numeric(frame, PUBLISHED_CSV, ["value_low", "value_high"])
        frame = frame[frame.topic.str.strip().str.lower() == "fighter strength"].copy()
        frame["date"] = [period_date(p) for p in frame.period]
        return frame[frame.date.notna()]

    # ---------------------------------------------------------------- gazetteer
    @cached_property
    def cross_border_districts(self):
        frame = self.read_csv(ADJACENCY_CSV, ["district_id_a", "district_id_b", "cross_border"])
        frame = self.numeric(frame, ADJACENCY_CSV, ["cross_border"])
        pairs = frame[frame.cross_border == 1]
        return set(pairs.district_id_a) | set(pairs.district_id_b)

    @cached_property
    def districts(self):
        import geopandas  # read here: the only module that needs it at run time

        path = self.path(DISTRICTS_GEOJSON)
        if not os.path.isfile(path):
            raise InputDataError(f"{path}: no such file (observed data directory {self.directory})")
        try:
            frame = geopandas.read_file(path)
        except Exception as e:
            raise InputDataError(f"{path}: cannot be read as GeoJSON ({one_line(e)})") from None
        if "district_id" not in frame.columns:
            raise InputDataError(f"{path}: the features lack the property district_id")
        return frame


_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_SEASONS = {"early": 2, "h1": 4, "mid": 7, "h2": 10, "late": 11}


def period_date(period):
    """A representative date for a free-text period ('as of early 2017', 'mid-2023',
    'late 2019 / Jan 2020', 'after Aug 2021 prison releases'): the first year named, in the month
    or season named before it, else mid-year; None without a year."""
    text = str(period).lower()
    year = re.search(r"\b(20\d\d)\b", text)
    if not year:
        return None
    words = re.findall(r"[a-z0-9]+", text[:year.start()])
    month = 7
    for word in words:
        if word in _SEASONS:
            month = _SEASONS[word]
        elif word[:3] in _MONTHS:
            month = _MONTHS[word[:3]]
    return pd.Timestamp(int(year.group(1)), month, 15)


@dataclass
class ComparisonWindow:
    """The months a figure compares: the run's window within the observed record's coverage
    (the whole run window when they do not overlap; `overlaps` says which)."""

    first: pd.Timestamp
    last: pd.Timestamp
    months: np.ndarray  # boolean mask over the run's months
    overlaps: bool
    record_label: str

    @property
    def label(self):
        return f"{self.first.strftime('%Y-%m')} \u2013 {self.last.strftime('%Y-%m')}"

    def notes(self):
        """Caption sentences for a window without observations."""
        if self.overlaps:
            return []
        return [f"The run's window does not overlap the observed record ({self.record_label}): nothing observed "
                "is drawn."]


def comparison_window(run, observed):
    record_first, record_last = observed.coverage
    record_label = f"{record_first.strftime('%Y-%m')} \u2013 {record_last.strftime('%Y-%m')}"
    first, last = max(run.first_month, record_first), min(run.last_month, record_last)
    if first > last:
        return ComparisonWindow(run.first_month, run.last_month, np.ones(len(run.times), bool), False, record_label)
    return ComparisonWindow(first, last, run.months_within(first, last), True, record_label)
