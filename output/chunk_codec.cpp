#include "output/chunk_codec.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "base/errors.hpp"

namespace iskabm {

namespace {

// LSB-first bit packing, as DEFLATE stores everything but Huffman codes (RFC 1951, 3.1.1).
class BitWriter {
 public:
  explicit BitWriter(std::vector<std::uint8_t>& out) : out_(out) {}
  void put(std::uint32_t bits, unsigned count) {  // count <= 32
    buffer_ |= static_cast<std::uint64_t>(bits) << used_;
    used_ += count;
    while (used_ >= 8) {
      out_.push_back(static_cast<std::uint8_t>(buffer_));
      buffer_ >>= 8;
      used_ -= 8;
    }
  }
  void flush() {
    if (used_ > 0) out_.push_back(static_cast<std::uint8_t>(buffer_));
    buffer_ = 0;
    used_ = 0;
  }

 private:
  std::vector<std::uint8_t>& out_;
  std::uint64_t buffer_ = 0;
  unsigned used_ = 0;
};

// A Huffman code is stored from its most significant bit: reversed for the LSB-first writer.
constexpr std::uint32_t reversed(std::uint32_t code, unsigned length) {
  std::uint32_t r = 0;
  for (unsigned k = 0; k < length; ++k) r |= ((code >> k) & 1u) << (length - 1 - k);
  return r;
}

struct Code {
  std::uint32_t bits;  // reversed, ready for the LSB-first writer
  unsigned length;
};

// Canonical Huffman codes from code lengths (RFC 1951, 3.2.2).
template <std::size_t N>
constexpr std::array<Code, N> canonical(const std::array<unsigned, N>& lengths) {
  std::array<unsigned, 16> count{}, next{};
  for (const auto l : lengths) ++count[l];
  count[0] = 0;
  unsigned code = 0;
  for (unsigned bits = 1; bits < 16; ++bits) {
    code = (code + count[bits - 1]) << 1;
    next[bits] = code;
  }
  std::array<Code, N> t{};
  for (std::size_t s = 0; s < N; ++s)
    if (lengths[s] > 0) t[s] = {reversed(next[lengths[s]]++, lengths[s]), lengths[s]};
  return t;
}

// The block's literal/length code, made for sparse data (one dynamic-Huffman block, RFC 1951
// 3.2.7): a copy of 258 (symbol 285) takes 1 bit, a literal 0 (the byte that starts a run) 3,
// the other bytes 9 or 10, the end of block and the shorter copies 7 or 8. Complete (Kraft sum
// exactly 1), as inflate requires: 512 + 128 + 2 + 254 + 3 x 8 + 26 x 4 = 1024 (in 1/1024).
constexpr std::array<unsigned, 286> litlen_lengths = [] {
  std::array<unsigned, 286> l{};
  l[0] = 3;
  l[1] = 9;
  for (unsigned s = 2; s < 256; ++s) l[s] = 10;
  l[256] = 8;
  for (unsigned s = 257; s < 260; ++s) l[s] = 7;  // copies of 3, 4, 5
  for (unsigned s = 260; s < 285; ++s) l[s] = 8;
  l[285] = 1;
  return l;
}();
constexpr auto litlen_codes = canonical(litlen_lengths);
// One distance code (0: distance 1) of length 1, the one incomplete code inflate accepts.
constexpr Code distance_one{0, 1};

// The code-length code that transmits those lengths: 8, 10 and 16 (repeat the previous 3-6
// times) in 2 bits, 1, 3, 7 and 9 in 4 (complete: 3/4 + 4/16).
constexpr std::array<unsigned, 19> length_code_lengths = [] {
  std::array<unsigned, 19> l{};
  l[8] = l[10] = l[16] = 2;
  l[1] = l[3] = l[7] = l[9] = 4;
  return l;
}();
constexpr auto length_codes = canonical(length_code_lengths);
constexpr std::array<unsigned, 19> length_code_order{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

// Length symbols 257..285: the first length of each and its extra bits (RFC 1951, 3.2.5).
constexpr std::array<unsigned, 29> length_base{3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                               31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr std::array<unsigned, 29> length_extra{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                                2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};

constexpr std::uint32_t adler_modulus = 65521;

// A copy of 258 bytes at distance 1 (symbol 285, then distance code 0), and as many of them as
// fill 32 bits, written with one put: a zero run of a district-month array (> 100 KiB of zeros in
// the high byte planes) is hundreds of these.
constexpr Code copy_258{litlen_codes[285].bits | distance_one.bits << litlen_codes[285].length,
                        litlen_codes[285].length + distance_one.length};
static_assert(32 % copy_258.length == 0);
constexpr unsigned copies_per_put = 32 / copy_258.length;
constexpr std::uint32_t copies_258 = [] {
  std::uint32_t b = 0;
  for (unsigned k = 0; k < copies_per_put; ++k) b |= copy_258.bits << (k * copy_258.length);
  return b;
}();

class SparseDeflater {
 public:
  explicit SparseDeflater(std::vector<std::uint8_t>& out) : bits_(out) {
    bits_.put(1, 1);          // BFINAL: the only block
    bits_.put(2, 2);          // BTYPE 10: dynamic Huffman codes
    bits_.put(286 - 257, 5);  // HLIT: 286 literal/length codes
    bits_.put(1 - 1, 5);      // HDIST: 1 distance code
    bits_.put(18 - 4, 4);     // HCLEN: 18 code-length code lengths (up to symbol 1 in their order)
    for (std::size_t k = 0; k < 18; ++k) bits_.put(length_code_lengths[length_code_order[k]], 3);
    // The 287 code lengths, runs of equal ones as "repeat the previous 3-6 times" (symbol 16).
    const auto length = [&](unsigned l) { bits_.put(length_codes[l].bits, length_codes[l].length); };
    unsigned k = 0;
    while (k < 286) {
      const unsigned l = litlen_lengths[k];
      length(l);
      unsigned run = 1;
      while (k + run < 286 && litlen_lengths[k + run] == l) ++run;
      k += run;
      for (--run; run >= 3;) {
        const unsigned r = run < 6 ? run : 6;
        bits_.put(length_codes[16].bits, length_codes[16].length);
        bits_.put(r - 3, 2);
        run -= r;
      }
      for (; run > 0; --run) length(l);
    }
    length(distance_one.length);
  }
  void literal(std::uint8_t byte) {
    const auto& c = litlen_codes[byte];

    bits_.put(c.bits, c.length);
    a_ = (a_ + byte) % adler_modulus;
    b_ = (b_ + a_) % adler_modulus;
    previous_zero_ = byte == 0;
  }
  void zeros(std::size_t run) {
    if (run == 0) return;
    b_ = static_cast<std::uint32_t>((b_ + (run % adler_modulus) * a_) % adler_modulus);  // a is unchanged
    if (!previous_zero_) {  // a copy needs a zero byte just before it
      bits_.put(litlen_codes[0].bits, litlen_codes[0].length);
      previous_zero_ = true;
      --run;
    }
    for (; run >= 258 * copies_per_put; run -= 258 * copies_per_put) bits_.put(copies_258, 32);  // long runs
    while (run >= 258) {
      copy(258);
      run -= 258;
    }
    if (run >= 3) {
      copy(static_cast<unsigned>(run));
    } else {
      for (; run > 0; --run) bits_.put(litlen_codes[0].bits, litlen_codes[0].length);
    }
  }
  // End of block, then the Adler-32 of the data, most significant byte first (RFC 1950).
  void finish(std::vector<std::uint8_t>& out) {
    bits_.put(litlen_codes[256].bits, litlen_codes[256].length);
    bits_.flush();
    const std::uint32_t adler = (b_ << 16) | a_;
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(adler >> shift));
  }

 private:
  void copy(unsigned length) {  // length 3..258, distance 1
    unsigned k = 28;
    while (length_base[k] > length) --k;
    const auto& c = litlen_codes[257 + k];
    bits_.put(c.bits, c.length);
    if (length_extra[k] > 0) bits_.put(length - length_base[k], length_extra[k]);
    bits_.put(distance_one.bits, distance_one.length);
  }

  BitWriter bits_;
  std::uint32_t a_ = 1, b_ = 0;
  bool previous_zero_ = false;
};

bool is_zero(const std::uint8_t* element, std::size_t size) {
  for (std::size_t k = 0; k < size; ++k)
    if (element[k] != 0) return false;
  return true;
}

// Indexes of the elements with a non-zero byte, or nothing when more than `limit` are.
bool nonzero_elements(const std::uint8_t* in, std::size_t elements, std::size_t element_size, std::size_t limit,
                      std::vector<std::size_t>& found) {
  found.clear();
  if (element_size == 4) {  // the common case: int32 counts, mostly zero
    const auto word = [in](std::size_t i) {
      std::uint32_t v;
      std::memcpy(&v, in + 4 * i, 4);
      return v;
    };
    constexpr std::size_t block = 16;  // a block of zeros is passed over with one test (the loop vectorises)
    std::size_t i = 0;
    for (; i + block <= elements; i += block) {
      std::uint32_t any = 0;
      for (std::size_t j = 0; j < block; ++j) any |= word(i + j);
      if (any == 0) continue;
      for (std::size_t j = i; j < i + block; ++j)
        if (word(j) != 0) {
          if (found.size() == limit) return false;
          found.push_back(j);
        }
    }
    for (; i < elements; ++i)
      if (word(i) != 0) {
        if (found.size() == limit) return false;
        found.push_back(i);
      }
    return true;
  }
  for (std::size_t i = 0; i < elements; ++i)
    if (!is_zero(in + i * element_size, element_size)) {
      if (found.size() == limit) return false;
      found.push_back(i);
    }
  return true;
}

std::vector<std::uint8_t> sparse(const std::uint8_t* in, std::size_t elements, std::size_t element_size,
                                 const std::vector<std::size_t>& nonzero) {
  std::vector<std::uint8_t> out;
  out.reserve(64 + elements * element_size / 128 + nonzero.size() * element_size * 2);
  out.push_back(0x78);  // CMF: deflate, 32 KiB window
  out.push_back(0x01);  // FLG: no dictionary, "fastest"; (0x78 << 8 | 0x01) is a multiple of 31
  SparseDeflater z(out);
  for (std::size_t plane = 0; plane < element_size; ++plane) {
    std::size_t next = 0;  // first element of the plane not yet written
    for (const auto i : nonzero) {
      const std::uint8_t byte = in[i * element_size + plane];
      if (byte == 0) continue;  // part of the zero run that goes on
      z.zeros(i - next);
      z.literal(byte);
      next = i + 1;
    }
    z.zeros(elements - next);
  }
  z.finish(out);
  return out;
}

std::vector<std::uint8_t> zlib_shuffled(const std::uint8_t* in, std::size_t elements, std::size_t element_size,
                                        int level) {
  const std::size_t bytes = elements * element_size;
  std::vector<std::uint8_t> shuffled(bytes);
  if (element_size > 1 && elements > 1) {
    for (std::size_t j = 0; j < element_size; ++j)
      for (std::size_t i = 0; i < elements; ++i) shuffled[j * elements + i] = in[i * element_size + j];
  } else if (bytes > 0) {
    std::memcpy(shuffled.data(), in, bytes);
  }
  // zlib's stream at `level`, with a window and hash table no larger than the chunk needs
  // (zlib_window_bits), kept per thread and window size and reset between chunks (deflateReset
  // gives the bytes a fresh deflateInit2 would; it spares the allocation, and a small hash table
  // spares clearing 64 KiB per chunk: the chunks are small).
  struct Stream {
    z_stream z{};
    int level = -2;  // none yet
    ~Stream() {
      if (level != -2) deflateEnd(&z);
    }
  };
  thread_local std::array<Stream, 16> streams;
  const int window = zlib_window_bits(bytes);
  auto& stream = streams[static_cast<std::size_t>(window)];
  if (stream.level != level) {
    if (stream.level != -2) deflateEnd(&stream.z);
    stream.z = z_stream{};
    stream.level = -2;
    if (deflateInit2(&stream.z, level, Z_DEFLATED, window, zlib_memory_level(window), Z_DEFAULT_STRATEGY) != Z_OK)
      throw Error("zlib deflateInit2 failed");
    stream.level = level;
  } else if (deflateReset(&stream.z) != Z_OK) {
    throw Error("zlib deflateReset failed");
  }
  std::vector<std::uint8_t> out(deflateBound(&stream.z, static_cast<uLong>(bytes)));
  stream.z.next_in = shuffled.data();
  stream.z.avail_in = static_cast<uInt>(bytes);
  stream.z.next_out = out.data();
  stream.z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&stream.z, Z_FINISH) != Z_STREAM_END) throw Error("zlib deflate failed");
  out.resize(stream.z.total_out);
  return out;
}

}  // namespace

int zlib_window_bits(std::size_t bytes) noexcept {
  int w = 9;
  while (w < 15 && (std::size_t{1} << w) < bytes) ++w;
  return w;
}
int zlib_memory_level(int window_bits) noexcept { return std::max(1, window_bits - 7); }  // hash table = window

std::vector<std::uint8_t> shuffle_deflate(const void* data, std::size_t elements, std::size_t element_size, int level) {
  const auto* in = static_cast<const std::uint8_t*>(data);
  std::vector<std::size_t> nonzero;
  if (element_size > 0 && nonzero_elements(in, elements, element_size, elements / 4, nonzero))
    return sparse(in, elements, element_size, nonzero);
  return zlib_shuffled(in, elements, element_size, level);
}

std::vector<std::uint8_t> shuffle_deflate_rows(const std::int32_t* data, std::size_t elements,
                                               const std::vector<std::size_t>& rows, std::size_t width, int level) {
  std::vector<std::size_t> nonzero;
  const std::size_t limit = elements / 4;  // as shuffle_deflate decides
  for (const auto r : rows)
    for (std::size_t i = r * width; i < (r + 1) * width && i < elements; ++i)
      if (data[i] != 0) {
        if (nonzero.size() == limit) return zlib_shuffled(reinterpret_cast<const std::uint8_t*>(data), elements, 4, level);
        nonzero.push_back(i);
      }
  return sparse(reinterpret_cast<const std::uint8_t*>(data), elements, 4, nonzero);
}

std::vector<std::size_t> nonzero_indexes(const std::int32_t* data, std::size_t elements) {
  std::vector<std::size_t> nonzero;
  nonzero_elements(reinterpret_cast<const std::uint8_t*>(data), elements, 4, elements, nonzero);
  return nonzero;
}

std::vector<std::uint8_t> shuffle_deflate_sparse(const void* data, std::size_t elements, std::size_t element_size) {
  const auto* in = static_cast<const std::uint8_t*>(data);
  std::vector<std::size_t> nonzero;
  nonzero_elements(in, elements, element_size, elements, nonzero);
  return sparse(in, elements, element_size, nonzero);
}

}  // namespace iskabm
