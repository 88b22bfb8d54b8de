#include "output/chunk_codec.hpp"

#include <zlib.h>

#include <cstring>

#include "base/errors.hpp"

namespace iskabm {

std::vector<std::uint8_t> shuffle_deflate(const void* data, std::size_t elements, std::size_t element_size, int level) {
  const auto* in = static_cast<const std::uint8_t*>(data);
  const std::size_t bytes = elements * element_size;
  std::vector<std::uint8_t> shuffled(bytes);
  if (element_size > 1 && elements > 1) {
    for (std::size_t j = 0; j < element_size; ++j)
      for (std::size_t i = 0; i < elements; ++i) shuffled[j * elements + i] = in[i * element_size + j];
  } else if (bytes > 0) {
    std::memcpy(shuffled.data(), in, bytes);
  }
  uLongf size = compressBound(static_cast<uLong>(bytes));
  std::vector<std::uint8_t> out(size);
  if (compress2(out.data(), &size, shuffled.data(), static_cast<uLong>(bytes), level) != Z_OK)
    throw Error("zlib compress2 failed");
  out.resize(size);
  return out;
}

}  // namespace iskabm
