#pragma once
// HDF5's shuffle + deflate filter pipeline, applied outside HDF5 so that result chunks can be
// compressed in parallel by the simulation threads and written with H5Dwrite_chunk by the single
// writer. The chunk is a zlib stream (RFC 1950/1951) of the shuffled bytes, which HDF5's deflate
// filter — and so h5py, xarray and the netCDF library — inflate like any other.
//
// Most result arrays are district-month counts, more than 99 % zeros (issue 22: zlib spent a
// fifth of a run's CPU time on them). A chunk whose elements are at most a quarter non-zero is
// therefore encoded by a run-length deflate encoder written for such data: one Huffman block
// with a code made for it, in which every run of zero bytes becomes copies of distance 1 (258
// bytes in 2 bits) and every other byte a literal, with the Adler-32 of a run computed in closed
// form. It reads each element once to find the non-zero ones and then only those; its output is
// smaller than zlib's at level 1 on such data. Denser chunks (statistics, parameter values) go
// through zlib at `level` with a window no larger than the chunk, on a stream kept per thread and
// reset between chunks. Both are deterministic: the same array gives the same bytes.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace iskabm {

// Byte shuffle (H5Z shuffle: byte k of every element together), then a zlib stream (see above).
[[nodiscard]] std::vector<std::uint8_t> shuffle_deflate(const void* data, std::size_t elements,
                                                        std::size_t element_size, int level);

// shuffle_deflate of an int32 array none of whose non-zero elements lies outside the given rows
// (row r: elements [r x width, (r + 1) x width); rows in increasing order): the same bytes,
// reading only those rows. For the district-month arrays, whose entries are zero wherever no
// attack happened (Recorder), with the rows in which `attacks` is non-zero.
[[nodiscard]] std::vector<std::uint8_t> shuffle_deflate_rows(const std::int32_t* data, std::size_t elements,
                                                             const std::vector<std::size_t>& rows, std::size_t width,
                                                             int level);
// The indexes of the non-zero elements of an int32 array, in increasing order.
[[nodiscard]] std::vector<std::size_t> nonzero_indexes(const std::int32_t* data, std::size_t elements);

// The zlib window (windowBits 9..15: the smallest that holds the chunk) and memory level (a hash
// table of the window's size) with which a dense chunk of `bytes` is deflated; a stream with a
// window of 2^15 or less inflates with any inflater (HDF5's deflate filter among them).
[[nodiscard]] int zlib_window_bits(std::size_t bytes) noexcept;
[[nodiscard]] int zlib_memory_level(int window_bits) noexcept;

// The run-length encoder alone, whatever the density (tests; shuffle_deflate picks it for sparse
// chunks).
[[nodiscard]] std::vector<std::uint8_t> shuffle_deflate_sparse(const void* data, std::size_t elements,
                                                               std::size_t element_size);

}  // namespace iskabm
