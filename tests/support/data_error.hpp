#pragma once
// The message of the DataError a callable throws ("" when it throws none), for tests that check
// what an error names (file, line, key).
#include <string>

#include "base/errors.hpp"

namespace iskabm::test {

template <class F>
std::string data_error(F&& f) {
  try {
    f();
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

}  // namespace iskabm::test
