#pragma once
// The mutable state of one replicate: its cells (struct of arrays, fixed capacity: no allocation
// in the daily loop), an index of cells by district rebuilt each day, members of each group per
// district, and the replicate's year-to-year season amplitudes.
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "model/geography.hpp"
#include "model/model_config.hpp"

namespace iskabm {

// A cell's uid keys its random streams. It is derived from where the cell comes from — its group,
// foothold district and number for an initial cell, its parent and birth day for a split-off —
// not from a counter, so two scenarios give the same uid to the same cell wherever their
// histories agree (common random numbers).
[[nodiscard]] std::uint64_t initial_cell_uid(std::string_view group_id, DistrictIndex d, int k) noexcept;
[[nodiscard]] std::uint64_t child_cell_uid(std::uint64_t parent, std::size_t day_index) noexcept;

struct Cells {
  std::vector<std::uint64_t> uid;  // unique within a replicate (64-bit hash); keys random streams
  std::vector<GroupIndex> group;
  std::vector<DistrictIndex> district;
  std::vector<std::int32_t> members;  // >= 0; a cell with 0 members is removed at day end
  std::vector<double> resources;      // USD, >= 0
  std::vector<std::uint8_t> alive;    // 0 once merged, dissolved or emptied
  std::size_t count = 0;              // cells in use; arrays are sized to capacity

  void reserve(std::size_t capacity) {
    uid.resize(capacity);
    group.resize(capacity);
    district.resize(capacity);
    members.resize(capacity);
    resources.resize(capacity);
    alive.resize(capacity);
  }
  [[nodiscard]] std::size_t capacity() const noexcept { return uid.size(); }
  // Adds a cell if there is room; returns its slot or SIZE_MAX.
  std::size_t add(std::uint64_t cell_uid, GroupIndex g, DistrictIndex d, std::int32_t m, double r) noexcept {
    if (count == capacity()) return SIZE_MAX;
    const auto i = count++;
    uid[i] = cell_uid;
    group[i] = g;
    district[i] = d;
    members[i] = m;
    resources[i] = r;
    alive[i] = 1;
    return i;
  }
};

struct State {
  Cells cells;
  // Cells by district (counting sort of live cells at the start of each day, in slot order).
  std::vector<std::uint32_t> district_offset;  // districts + 1
  std::vector<std::uint32_t> district_cells;   // capacity
  std::vector<std::uint32_t> fill;             // scratch, districts
  std::vector<std::int32_t> group_members;     // group * districts + district
  std::vector<std::uint32_t> occupied;         // the entries of group_members that are nonzero (reset next day)
  std::vector<std::uint32_t> present;          // per district: bit g set when group g has members there
  std::vector<std::int64_t> group_total;       // per group: its members, summed over districts
  std::vector<double> year_amplitude;          // per year of the window
  // Model v2 memories (docs/ODD.md §7; all zero when their mechanism is off):
  std::vector<double> excitation;                // group * countries + country: triggered attacks per day
  std::vector<double> experience;                // per group: recent attacks, exponentially weighted
  std::vector<double> response;                  // per province: state response pressure
  std::vector<double> response_pressure;         // per province: its response pressure today (as the day began)
  std::span<const ProvinceIndex> district_province;  // the World's geography: each district's province
  std::vector<std::int32_t> attacks_today;       // group * countries + country (country of the location)
  std::vector<std::int64_t> members_lost_today;  // per group: members lost to attrition today
  // DrawScheme::cell_day: the cell-day blocks of slots [0, cell_day_known) on day cell_day_index.
  std::vector<std::array<std::uint64_t, 4>> cell_day_draws;  // per cell slot
  std::size_t cell_day_known = 0, cell_day_index = 0;
  std::vector<double> hazard;                    // scratch per cell slot: today's attack hazard
  std::vector<double> opportunity;               // scratch, group * districts + district: today's O_gd (< 0: not yet)
  std::vector<std::uint32_t> opportunity_known;  // the entries of opportunity computed today (reset next day)
  std::uint64_t fission_skipped = 0;             // fissions refused because the arrays were full
};

}  // namespace iskabm
