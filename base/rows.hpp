#pragma once
// Row-major tables as vectors of rows, and back: the shape result files store them in.
#include <cstddef>
#include <vector>

namespace iskabm {

template <class T>
[[nodiscard]] std::vector<T> flatten(const std::vector<std::vector<T>>& rows) {
  std::vector<T> out;
  for (const auto& r : rows) out.insert(out.end(), r.begin(), r.end());
  return out;
}

// Rows of `columns` values (a trailing partial row is dropped; none if columns is 0).
template <class T>
[[nodiscard]] std::vector<std::vector<T>> rows_of(const std::vector<T>& flat, std::size_t columns) {
  std::vector<std::vector<T>> out;
  if (columns == 0) return out;
  for (std::size_t i = 0; i + columns <= flat.size(); i += columns)
    out.emplace_back(flat.begin() + static_cast<std::ptrdiff_t>(i),
                     flat.begin() + static_cast<std::ptrdiff_t>(i + columns));
  return out;
}

}  // namespace iskabm
