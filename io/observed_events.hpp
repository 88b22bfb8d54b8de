#pragma once
// The observed record: ISK incidents in Afghanistan and Pakistan, April 2015 - December 2018, from
// the English Wikipedia monthly incident lists (a notable-incident list: a lower bound on ISK
// activity, biased toward mass-casualty urban attacks; see data/PROVENANCE.md).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/calendar.hpp"
#include "model/geography.hpp"

namespace iskabm {

// The window the bundled record covers (the aggregates' complete grid).
inline constexpr CivilDate observed_window_first{2014, 1, 1};
inline constexpr CivilDate observed_window_last{2018, 12, 31};

enum class Attribution : std::uint8_t {
  named_or_claimed,        // ISK claimed it or was named as perpetrator
  suspected,               // ISK suspected
  ambiguous_is_or_other,   // ISK or another group
  co_claimed_per_details,  // the details text reports a joint claim
};
enum class GeoPrecision : std::uint8_t { district_centroid, province_only, multi_location };
enum class ObservedAttackType : std::uint8_t { bombing, shooting, hostage, assassination, arson, other_violence };

[[nodiscard]] std::string_view to_string(Attribution a) noexcept;
[[nodiscard]] std::string_view to_string(GeoPrecision g) noexcept;
[[nodiscard]] std::string_view to_string(ObservedAttackType t) noexcept;

struct ObservedEvent {
  std::string event_id;  // "WIKI-02564"
  CivilDate date;
  Country country;
  std::string location_raw;
  std::string province;                   // admin1 as in the source
  std::optional<DistrictIndex> district;  // empty when only the province is known
  GeoPrecision geo_precision;
  ObservedAttackType attack_type;
  std::int32_t fatalities;       // victims killed, lower bound
  std::int32_t fatalities_high;  // upper bound of the reported range
  std::optional<std::int32_t> perpetrators_killed;
  std::optional<std::int32_t> injured, injured_high;
  std::string perpetrator_raw;
  Attribution attribution;
  std::vector<std::string> joint_partners;  // other groups named in the same claim
  std::string ally_mentioned_in_details;
  std::string details;      // Wikipedia contributors' text, CC BY-SA
  std::size_t source_line;  // line in the events file, for messages

  [[nodiscard]] bool joint_claim() const noexcept { return !joint_partners.empty(); }
};

struct ObservedEvents {
  std::string source;  // file the events were read from
  std::vector<ObservedEvent> events;

  [[nodiscard]] std::size_t size() const noexcept { return events.size(); }
  // Events in a country and calendar year (all attributions).
  [[nodiscard]] std::size_t count(Country c, int year) const noexcept;
};

// Loads and validates <data_dir>/events/isk_events_wikipedia_afpak_2015_2018.csv against the
// geography: known districts in the stated country and province, dates inside the observed window
// and consistent with the year/month columns, fatality ranges ordered, joint-claim flag consistent
// with the named partner. Throws DataError (file, line, column) or IoError.
[[nodiscard]] ObservedEvents load_observed_events(const std::filesystem::path& data_dir, const Geography& geo);

}  // namespace iskabm
