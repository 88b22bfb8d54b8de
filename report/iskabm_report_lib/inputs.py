"""The two inputs of `iskabm report`: a result file of `iskabm run` (docs/output.md) and a
posterior file of `iskabm calibrate` (docs/calibration.md, "The posterior file").

Both are read once with xarray (netCDF-4 engine); the classes check that the variables the
figures need are there and give them out as numpy arrays. Missing or malformed content is an
InputDataError naming the file (exit 65)."""

import os
import tomllib
from functools import cached_property

import h5py
import numpy as np
import pandas as pd
import xarray as xr

from .errors import InputDataError


def one_line(error):
    """An exception's message on one line (for `error: ...`)."""
    text = str(error) or type(error).__name__
    return " ".join(text.split())


def open_netcdf(path):
    if not os.path.isfile(path):
        raise InputDataError(f"{path}: no such file")
    try:
        is_hdf5 = h5py.is_hdf5(path)
    except OSError as e:
        raise InputDataError(f"{path}: cannot be read ({one_line(e)})") from None
    if not is_hdf5:
        raise InputDataError(f"{path}: not an HDF5 file")
    try:
        return xr.open_dataset(path, engine="netcdf4")
    except Exception as e:  # netCDF4 and xarray raise many types for a malformed file
        raise InputDataError(f"{path}: cannot be read as a netCDF-4 file ({one_line(e)})") from None


def text_attribute(ds, name, default=""):
    value = ds.attrs.get(name, default)
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, np.ndarray):
        value = " ".join(str(v) for v in value.ravel())
    return str(value)


def strings(values):
    """A string coordinate as a list of str (h5py/netCDF4 may give bytes)."""
    return [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in np.asarray(values).ravel()]


def flag_meanings(variable):
    return str(variable.attrs.get("flag_meanings", "")).split()


class InputFile:
    """What both kinds of input share: the dataset, its attributes, checks and cached arrays."""

    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        self.ds = open_netcdf(path)
        self._values = {}

    def close(self):
        self.ds.close()

    @property
    def title(self):
        return text_attribute(self.ds, "title") or self.name

    @property
    def history(self):
        return text_attribute(self.ds, "history")

    @property
    def source(self):
        return text_attribute(self.ds, "source") or "iskabm"

    @property
    def seed(self):
        return text_attribute(self.ds, "seed", "?")

    def has(self, name):
        return name in self.ds.variables

    def require(self, names, why):
        missing = [n for n in names if not self.has(n)]
        if missing:
            raise InputDataError(f"{self.path}: lacks the variable{'s' if len(missing) > 1 else ''} "
                                 f"{', '.join(missing)} ({why})")

    def values(self, name):
        """The whole variable as a numpy array (read once)."""
        if name not in self._values:
            self.require([name], "needed by the report")
            try:
                self._values[name] = np.asarray(self.ds[name].values)
            except Exception as e:
                raise InputDataError(f"{self.path}: variable {name} cannot be read ({one_line(e)})") from None
        return self._values[name]

    def size(self, dim):
        return int(self.ds.sizes.get(dim, 0))


class RunFile(InputFile):
    """A result file of `iskabm run`."""

    # What the report cannot do without. The other variables are found by their dimensions (the
    # file's own layout, output/schema.cpp), and each is checked when a figure reads it.
    core = ["attacks", "attacks_observed", "fatalities", "district_country", "district_name",
            "group_members", "summary_statistics", "observed_statistics"]

    def __init__(self, path):
        super().__init__(path)
        if self.has("theta") and not self.has("attacks"):
            raise InputDataError(f"{path}: is a posterior file of iskabm calibrate, not a result file of "
                                 "iskabm run (report it with --kind posterior)")
        self.require(self.core, "not a result file of iskabm run?")
        self.replicates = self.size("replicate")
        if self.replicates == 0:
            raise InputDataError(f"{path}: holds no replicates")
        time = self.ds["time"].values
        if not np.issubdtype(time.dtype, np.datetime64) or len(time) == 0:
            raise InputDataError(f"{path}: the time coordinate is empty or not in days since a date")
        self.times = pd.DatetimeIndex(time)
        self.district_ids = strings(self.ds["district"].values)
        self.district_names = strings(self.ds["district_name"].values)
        self.district_country = self.values("district_country").astype(int)
        self.countries = (flag_meanings(self.ds["district_country"])
                          or strings(self.ds["country"].values))
        if self.district_country.min() < 0 or self.district_country.max() >= len(self.countries):
            raise InputDataError(f"{path}: district_country holds values outside its flag_values")
        self.groups = strings(self.ds["group"].values)
        self.statistics = strings(self.ds["statistic"].values)
        # Readable labels ("observed attacks, Afghanistan 2015"); files before they were stored: the ids.
        self.statistic_labels = (strings(self.ds["statistic_meaning"].values) if "statistic_meaning" in self.ds
                                 else self.statistics)

    # ---------------------------------------------------------------- what the file holds
    @property
    def event_variables(self):
        """The per-attack variables the file holds (dimension `event` alone)."""
        return [str(v) for v in self.ds.data_vars if tuple(self.ds[v].dims) == ("event",)]

    @property
    def breakdowns(self):
        """The district-month variables broken down by a category (partner, target class, tactic)."""
        return [str(v) for v in self.ds.data_vars
                if len(self.ds[v].dims) == 4 and tuple(self.ds[v].dims[:3]) == ("replicate", "time", "district")]

    @property
    def has_events(self):
        return bool(self.event_variables) and self.size("event") > 0

    @property
    def has_breakdowns(self):
        return bool(self.breakdowns)

    @property
    def has_parameter_values(self):
        return self.has("parameter_values")

    @cached_property
    def configuration(self):
        """The resolved scenario (global attribute configuration_toml) as a dict."""
        text = text_attribute(self.ds, "configuration_toml")
        if not text:
            raise InputDataError(f"{self.path}: lacks the global attribute configuration_toml")
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise InputDataError(f"{self.path}: configuration_toml is not valid TOML ({one_line(e)})") from None

    # ---------------------------------------------------------------- the window
    @property
    def first_month(self):
        return self.times[0]

    @property
    def last_month(self):
        return self.times[-1]

    def months_within(self, first, last):
        """Boolean mask over the run's months that lie in [first, last] (month starts)."""
        return np.asarray((self.times >= first) & (self.times <= last))

    # ---------------------------------------------------------------- aggregations
    def by_country(self, name):
        """A (replicate, time, district[, ...]) variable summed over the districts of each
        country: (replicate, time, country[, ...])."""
        values = self.values(name)
        return np.stack([values[:, :, self.district_country == c].sum(axis=2) for c in range(len(self.countries))],
                        axis=2)

    def total_by_district(self, name, months):
        """(replicate, district) sums over the months selected by a boolean mask."""
        return self.values(name)[:, months, :].sum(axis=1)

    @cached_property
    def events(self):
        """The event list as a DataFrame (None without event variables): replicate, day, country
        index, and the flag variables as small ints."""
        if not self.has_events:
            return None
        frame = pd.DataFrame({
            "replicate": self.values("event_replicate").astype(np.int64),
            "day": pd.DatetimeIndex(self.values("event_time")),
            "district": self.values("event_district").astype(np.int64),
            "fatalities": self.values("event_fatalities").astype(np.int64),
            "group": self.values("event_group").astype(np.int64),
            "partner": self.values("event_partner").astype(np.int64),
            "target": self.values("event_target").astype(np.int64),
            "tactic": self.values("event_tactic").astype(np.int64),
            "observed": self.values("event_observed").astype(bool),
            "joint_claimed": self.values("event_joint_claimed").astype(bool),
        })
        if len(frame) and (frame.district.min() < 0 or frame.district.max() >= len(self.district_ids)):
            raise InputDataError(f"{self.path}: event_district holds indices outside the district coordinate")
        frame["country"] = self.district_country[frame.district.to_numpy()]
        replicate_numbers = self.values("replicate").astype(np.int64)
        position = pd.Series(np.arange(len(replicate_numbers)), index=replicate_numbers)
        frame["replicate_index"] = position.reindex(frame.replicate.to_numpy()).to_numpy()
        if frame.replicate_index.isna().any():
            raise InputDataError(f"{self.path}: event_replicate names replicates the file does not hold")
        frame["replicate_index"] = frame.replicate_index.astype(np.int64)
        return frame

    def events_within(self, window):
        """The events in a ComparisonWindow's months (None without event variables)."""
        if self.events is None:
            return None
        days = self.events.day
        return self.events[(days >= window.first) & (days < window.last + pd.offsets.MonthBegin(1))]

    def coordinate(self, name):
        """A string coordinate (target_class, tactic, partner ...) as a list of str."""
        return strings(self.ds[name].values)

    # ---------------------------------------------------------------- captions
    def source_line(self, observed=None):
        plural = "s" if self.replicates != 1 else ""
        line = f"Source: {self.source} ({self.name}), {self.replicates} replicate{plural}, seed {self.seed}"
        return f"{line}; {observed}" if observed else line


class PosteriorFile(InputFile):
    """A posterior file of `iskabm calibrate` (ABC-SMC)."""

    core = ["theta", "weight", "statistics", "observed_statistics", "prior", "prior_lower", "prior_upper",
            "prior_mean", "prior_sd", "prior_q05", "prior_q95", "posterior_median", "posterior_q05",
            "posterior_q95", "identifiability", "tolerance", "acceptance_rate", "effective_sample_size",
            "simulations"]

    def __init__(self, path):
        super().__init__(path)
        if self.has("attacks") and not self.has("theta"):
            raise InputDataError(f"{path}: is a result file of iskabm run, not a posterior file of "
                                 "iskabm calibrate (report it with --kind run)")
        self.require(self.core, "not a posterior file of iskabm calibrate?")
        self.particles = self.size("particle")
        if self.particles == 0:
            raise InputDataError(f"{path}: holds no particles")
        self.parameters = strings(self.ds["parameter"].values)
        self.statistics = strings(self.ds["statistic"].values)
        self.generations = self.size("generation")
        weight = self.values("weight").astype(float)
        if not np.all(np.isfinite(weight)) or weight.min() < 0 or weight.sum() <= 0:
            raise InputDataError(f"{path}: the particle weights are not finite, non-negative and of positive sum")
        self.weights = weight / weight.sum()
        self.prior_kinds = strings(self.ds["prior"].values)
        self.units = strings(self.ds["parameter_unit"].values) if self.has("parameter_unit") else [""] * len(
            self.parameters)

    @property
    def status(self):
        return text_attribute(self.ds, "status", "unknown")

    def is_log(self, index):
        return self.prior_kinds[index] == "log_uniform"

    def source_line(self, observed=None):
        line = (f"Source: {self.source} ({self.name}), {self.particles} particles of generation "
                f"{max(self.generations - 1, 0)} (status {self.status}), seed {self.seed}")
        return f"{line}; {observed}" if observed else line


class SensitivityFile(InputFile):
    """A finished result file of `iskabm sensitivity` (Morris or Sobol' indices)."""

    core = ["overall", "output_sd", "output_weight", "design"]

    def __init__(self, path):
        super().__init__(path)
        status = text_attribute(self.ds, "status", "finished")
        if status != "finished":
            raise InputDataError(f"{path}: the sensitivity study is {status} (continue it with iskabm sensitivity "
                                 "--resume); a checkpoint has no indices to report")
        self.require(self.core, "not a result file of iskabm sensitivity?")
        self.method = text_attribute(self.ds, "method", "morris")
        self.parameters = strings(self.ds["parameter"].values)
        self.outputs = strings(self.ds["output"].values)

    def influence(self):
        """Per (parameter, output): mu*/sd (Morris) or the total index (Sobol'); NaN where undefined."""
        if self.method == "morris":
            sd = self.values("output_sd").astype(float)
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.where(sd > 0, self.values("mu_star").astype(float) / sd, np.nan)
        return self.values("total_order").astype(float)

    def source_line(self, observed=None):
        line = (f"Source: {self.source} ({self.name}), {self.method}, {self.size('point')} design points x "
                f"{text_attribute(self.ds, 'replicates', '?')} replicate(s), seed {self.seed}")
        return f"{line}; {observed}" if observed else line
