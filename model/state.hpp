#pragma once
// The mutable state of one replicate: its cells (struct of arrays, fixed capacity: no allocation
// in the daily loop), an index of cells by district rebuilt each day, members of each group per
// district, and the replicate's year-to-year season amplitudes.
#include <cstdint>
#include <vector>

#include "model/geography.hpp"
#include "model/model_config.hpp"

namespace iskabm {

struct Cells {
  std::vector<std::uint32_t> uid;        // unique within a replicate; keys the cell's random streams
  std::vector<GroupIndex> group;
  std::vector<DistrictIndex> district;
  std::vector<std::int32_t> members;     // >= 0; a cell with 0 members is removed at day end
  std::vector<double> resources;         // USD, >= 0
  std::vector<std::uint8_t> alive;       // 0 once merged, dissolved or emptied
  std::size_t count = 0;                 // cells in use; arrays are sized to capacity
  std::uint32_t next_uid = 0;

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
  std::size_t add(GroupIndex g, DistrictIndex d, std::int32_t m, double r) noexcept {
    if (count == capacity()) return SIZE_MAX;
    const auto i = count++;
    uid[i] = next_uid++;
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
  std::vector<double> year_amplitude;          // per year of the window
  std::uint64_t fission_skipped = 0;           // fissions refused because the arrays were full
};

}  // namespace iskabm
