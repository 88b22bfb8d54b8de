// The bottom layer: whole text files, the CSV writer and the hash.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "base/csv_writer.hpp"
#include "base/errors.hpp"
#include "base/hash.hpp"
#include "base/text_file.hpp"

using namespace iskabm;

TEST_CASE("text file: written whole, read back byte for byte, errors name the path", "[base]") {
  const auto dir = std::filesystem::temp_directory_path() / "iskabm_test_text_file";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto path = dir / "a.csv";
  const std::string bytes = std::string("x,y\r\n\0z\n", 9) + std::string(100000, 'q');
  write_text_file(path, bytes);
  CHECK(read_text_file(path) == bytes);
  CHECK_FALSE(std::filesystem::exists(dir / "a.csv.tmp"));
  write_text_file(path, "short");
  CHECK(read_text_file(path) == "short");
  CHECK_THROWS_WITH(read_text_file(dir / "missing.txt"),
                    Catch::Contains("missing.txt: cannot open for reading: No such file or directory"));
  CHECK_THROWS_WITH(read_text_file(dir / "missing.txt", "the scenario"),
                    Catch::StartsWith("the scenario: cannot open"));
  CHECK_THROWS_AS(write_text_file(dir / "no_such_dir" / "b.txt", "x"), IoError);
  std::filesystem::remove_all(dir);
}

TEST_CASE("csv writer: RFC 4180 quoting only where needed, numbers as fmt writes them", "[base]") {
  CHECK(csv_field("Nangarhar") == "Nangarhar");
  CHECK(csv_field("Achin, Nangarhar") == "\"Achin, Nangarhar\"");
  CHECK(csv_field("the \"Kabul\" cell") == "\"the \"\"Kabul\"\" cell\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("cr\r") == "\"cr\r\"");
  CHECK(csv_field("") == "");
  CsvWriter csv({"name", "count", "share", "label"});
  csv.row("Kabul", 52, 0.25, "Kabul, Kabul");
  csv.row(std::string("Quetta"), std::uint64_t{19}, 1.0 / 3.0, "");
  csv.row(std::vector<std::string>{"a,b", "1", "2", "c"});
  CHECK(csv.rows() == 3);
  CHECK(csv.text() ==
        "name,count,share,label\n"
        "Kabul,52,0.25,\"Kabul, Kabul\"\n"
        "Quetta,19,0.3333333333333333,\n"
        "\"a,b\",1,2,c\n");
}

TEST_CASE("csv writer: a row with the wrong number of fields is refused", "[base]") {
  CsvWriter csv({"a", "b"});
  CHECK_THROWS_WITH(csv.row(1), Catch::Contains("CSV row 1 has 1 fields, the header 2"));
  CHECK_THROWS_AS(csv.row(std::vector<std::string>{"1", "2", "3"}), Error);
  CHECK_THROWS_AS(CsvWriter({}), Error);
}

TEST_CASE("hash: 64-bit FNV-1a reference values", "[base]") {
  // From the FNV reference test vectors (Fowler, Noll, Vo).
  STATIC_REQUIRE(fnv1a(std::string_view("")) == 0xcbf29ce484222325ULL);
  STATIC_REQUIRE(fnv1a(std::string_view("a")) == 0xaf63dc4c8601ec8cULL);
  STATIC_REQUIRE(fnv1a(std::string_view("foobar")) == 0x85944171f73967e8ULL);
  const unsigned char bytes[] = {'f', 'o', 'o', 'b', 'a', 'r'};
  CHECK(fnv1a(bytes, 6) == fnv1a(std::string_view("foobar")));
  CHECK(fnv1a(std::string_view("bar"), fnv1a(std::string_view("foo"))) == fnv1a(std::string_view("foobar")));
}
