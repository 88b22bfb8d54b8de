#include "io/observed_events.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include "base/errors.hpp"
#include "io/csv_table.hpp"

namespace iskabm {

namespace {

constexpr std::array attribution_names{"named_or_claimed", "suspected", "ambiguous_is_or_other",
                                       "co_claimed_per_details"};
constexpr std::array geo_precision_names{"district_centroid", "province_only", "multi_location"};
constexpr std::array attack_type_names{"bombing", "shooting", "hostage", "assassination", "arson", "other_violence"};

template <class Enum, std::size_t N>
Enum parse_enum(const CsvTable& t, std::size_t r, std::size_t c, const std::array<const char*, N>& names) {
  const auto s = t.text(r, c);
  for (std::size_t i = 0; i < N; ++i)
    if (s == names[i]) return static_cast<Enum>(i);
  std::string allowed;
  for (auto* n : names) allowed += (allowed.empty() ? "" : ", ") + std::string(n);
  t.fail(r, c, fmt::format("unknown value '{}' (expected one of: {})", s, allowed));
}

std::vector<std::string> split_partners(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    auto k = s.find(';');
    auto part = s.substr(0, k);
    if (!part.empty()) out.emplace_back(part);
    if (k == std::string_view::npos) break;
    s.remove_prefix(k + 1);
  }
  return out;
}

std::int32_t count_value(const CsvTable& t, std::size_t r, std::size_t c, std::int64_t v) {
  if (v < 0 || v > 100000) t.fail(r, c, fmt::format("must be between 0 and 100000, got {}", v));
  return static_cast<std::int32_t>(v);
}

std::optional<std::int32_t> optional_count(const CsvTable& t, std::size_t r, std::size_t c) {
  auto v = t.optional_integer(r, c);
  if (!v) return std::nullopt;
  return count_value(t, r, c, *v);
}

}  // namespace

std::string_view to_string(Attribution a) noexcept { return attribution_names[static_cast<std::size_t>(a)]; }
std::string_view to_string(GeoPrecision g) noexcept { return geo_precision_names[static_cast<std::size_t>(g)]; }
std::string_view to_string(ObservedAttackType t) noexcept { return attack_type_names[static_cast<std::size_t>(t)]; }

std::size_t ObservedEvents::count(Country c, int year) const noexcept {
  return static_cast<std::size_t>(std::count_if(
      events.begin(), events.end(), [&](const ObservedEvent& e) { return e.country == c && e.date.year == year; }));
}

ObservedEvents load_observed_events(const std::filesystem::path& data_dir, const Geography& geo) {
  auto t =
      CsvTable::read(data_dir / "events" / "isk_events_wikipedia_afpak_2015_2018.csv", {"event_id",
                                                                                        "date",
                                                                                        "year",
                                                                                        "month",
                                                                                        "country",
                                                                                        "location_raw",
                                                                                        "admin1",
                                                                                        "district_id",
                                                                                        "district_name",
                                                                                        "lat_district_centroid",
                                                                                        "lon_district_centroid",
                                                                                        "geo_precision",
                                                                                        "date_raw",
                                                                                        "attack_type_raw",
                                                                                        "fatalities",
                                                                                        "fatalities_high",
                                                                                        "perpetrators_killed",
                                                                                        "injured",
                                                                                        "injured_high",
                                                                                        "dead_raw",
                                                                                        "injured_raw",
                                                                                        "perpetrator_raw",
                                                                                        "attribution",
                                                                                        "joint_partner_named",
                                                                                        "joint_claim_flag",
                                                                                        "ally_mentioned_in_details",
                                                                                        "details"});
  const auto c_id = t.column("event_id"), c_date = t.column("date"), c_year = t.column("year"),
             c_month = t.column("month"), c_country = t.column("country"), c_admin1 = t.column("admin1"),
             c_district = t.column("district_id"), c_dname = t.column("district_name"),
             c_lat = t.column("lat_district_centroid"), c_lon = t.column("lon_district_centroid"),
             c_geo = t.column("geo_precision"), c_type = t.column("attack_type_raw"), c_fat = t.column("fatalities"),
             c_fat_hi = t.column("fatalities_high"), c_perp_killed = t.column("perpetrators_killed"),
             c_inj = t.column("injured"), c_inj_hi = t.column("injured_high"), c_attr = t.column("attribution"),
             c_partner = t.column("joint_partner_named"), c_joint = t.column("joint_claim_flag");

  ObservedEvents out;
  out.source = t.label();
  out.events.reserve(t.rows());
  std::set<std::string, std::less<>> ids;
  const auto first = to_day_number(observed_window_first), last = to_day_number(observed_window_last);

  for (std::size_t r = 0; r < t.rows(); ++r) {
    ObservedEvent e;
    e.source_line = t.line(r);
    e.event_id = std::string(t.required_text(r, c_id));
    if (!ids.insert(e.event_id).second) t.fail(r, c_id, fmt::format("duplicate event id '{}'", e.event_id));

    e.date = t.date(r, c_date);
    const auto day = to_day_number(e.date);
    if (day < first || day > last)
      t.fail(r, c_date,
             fmt::format("date {} is outside the observed window {} .. {}", to_iso_string(e.date),
                         to_iso_string(observed_window_first), to_iso_string(observed_window_last)));
    if (t.integer(r, c_year) != e.date.year)
      t.fail(r, c_year, fmt::format("year {} disagrees with date {}", t.text(r, c_year), to_iso_string(e.date)));
    if (t.integer(r, c_month) != e.date.month)
      t.fail(r, c_month, fmt::format("month {} disagrees with date {}", t.text(r, c_month), to_iso_string(e.date)));

    auto country = parse_country(t.text(r, c_country));
    if (!country)
      t.fail(r, c_country,
             fmt::format("unknown country '{}' (expected Afghanistan or Pakistan)", t.text(r, c_country)));
    e.country = *country;
    e.location_raw = std::string(t.text(r, t.column("location_raw")));
    e.province = std::string(t.required_text(r, c_admin1));
    auto prov = geo.find_province(e.province);
    if (!prov || geo.province_country[*prov] != e.country)
      t.fail(r, c_admin1, fmt::format("unknown province '{}' in {}", e.province, country_name(e.country)));

    e.geo_precision = parse_enum<GeoPrecision>(t, r, c_geo, geo_precision_names);
    const auto did = t.text(r, c_district);
    if (!did.empty()) {
      auto d = geo.find(did);
      if (!d) t.fail(r, c_district, fmt::format("unknown district id '{}'", did));
      if (geo.country[*d] != e.country)
        t.fail(r, c_district,
               fmt::format("district '{}' is in {}, the event in {}", did, country_name(geo.country[*d]),
                           country_name(e.country)));
      if (geo.province[*d] != *prov)
        t.fail(r, c_district,
               fmt::format("district '{}' is in province {}, the event in {}", did, geo.province_name[geo.province[*d]],
                           e.province));
      if (t.text(r, c_dname) != geo.district_name[*d])
        t.fail(r, c_dname,
               fmt::format("'{}' does not match the gazetteer name '{}' of {}", t.text(r, c_dname),
                           geo.district_name[*d], did));
      const double lat = t.number(r, c_lat), lon = t.number(r, c_lon);
      if (std::abs(lat - geo.centroid_lat[*d]) > 1e-3 || std::abs(lon - geo.centroid_lon[*d]) > 1e-3)
        t.fail(r, c_lat,
               fmt::format("({}, {}) is not the centroid of {} ({}, {})", lat, lon, did, geo.centroid_lat[*d],
                           geo.centroid_lon[*d]));
      if (e.geo_precision == GeoPrecision::province_only)
        t.fail(r, c_district, "a district is given but geo_precision is province_only");
      e.district = *d;
    } else if (e.geo_precision == GeoPrecision::district_centroid) {
      t.fail(r, c_district, "empty, but geo_precision is district_centroid");
    }

    e.attack_type = parse_enum<ObservedAttackType>(t, r, c_type, attack_type_names);
    e.fatalities = count_value(t, r, c_fat, t.integer(r, c_fat));
    e.fatalities_high = count_value(t, r, c_fat_hi, t.integer(r, c_fat_hi));
    if (e.fatalities_high < e.fatalities)
      t.fail(r, c_fat_hi, fmt::format("{} is below fatalities {}", e.fatalities_high, e.fatalities));
    e.perpetrators_killed = optional_count(t, r, c_perp_killed);
    e.injured = optional_count(t, r, c_inj);
    e.injured_high = optional_count(t, r, c_inj_hi);
    if (e.injured && e.injured_high && *e.injured_high < *e.injured)
      t.fail(r, c_inj_hi, fmt::format("{} is below injured {}", *e.injured_high, *e.injured));
    e.perpetrator_raw = std::string(t.text(r, t.column("perpetrator_raw")));
    e.attribution = parse_enum<Attribution>(t, r, c_attr, attribution_names);
    e.joint_partners = split_partners(t.text(r, c_partner));
    const auto joint = t.integer(r, c_joint);
    if (joint != 0 && joint != 1) t.fail(r, c_joint, fmt::format("must be 0 or 1, got {}", joint));
    if ((joint == 1) != e.joint_claim())
      t.fail(r, c_joint,
             fmt::format("is {} but joint_partner_named is {}", joint, e.joint_claim() ? "given" : "empty"));
    e.ally_mentioned_in_details = std::string(t.text(r, t.column("ally_mentioned_in_details")));
    e.details = std::string(t.text(r, t.column("details")));
    out.events.push_back(std::move(e));
  }
  return out;
}

}  // namespace iskabm
