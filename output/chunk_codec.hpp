#pragma once
// HDF5's shuffle + deflate filter pipeline, applied outside HDF5 so that result chunks can be
// compressed in parallel by the simulation threads and written with H5Dwrite_chunk by the single
// writer. Produces the bytes HDF5's own filters would (same algorithm, same zlib).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace iskabm {

// Byte shuffle (H5Z shuffle: byte k of every element together), then zlib compress2 at `level`.
[[nodiscard]] std::vector<std::uint8_t> shuffle_deflate(const void* data, std::size_t elements,
                                                        std::size_t element_size, int level);

}  // namespace iskabm
