#include <catch2/catch.hpp>

#include "base/errors.hpp"
#include "io/csv_table.hpp"
#include "support/data_copy.hpp"

using namespace iskabm;

TEST_CASE("csv: quoted fields keep commas, quotes and newlines, and lines are tracked", "[csv]") {
  const auto t = CsvTable::parse(
      "id,text,n\r\n"
      "a,\"x, y\",1\r\n"
      "b,\"say \"\"hi\"\"\nsecond line\",2\n"
      "\n"
      "c,plain,3",
      {"id", "text", "n"}, "t.csv");
  REQUIRE(t.rows() == 3);
  CHECK(t.text(0, t.column("text")) == "x, y");
  CHECK(t.text(1, t.column("text")) == "say \"hi\"\nsecond line");
  CHECK(t.line(0) == 2);
  CHECK(t.line(1) == 3);
  CHECK(t.line(2) == 6);  // after the two-line record and a blank line
  CHECK(t.integer(2, t.column("n")) == 3);
}

TEST_CASE("csv: columns may come in any order, but none may be missing, extra or repeated", "[csv]") {
  CHECK(CsvTable::parse("b,a\n1,2\n", {"a", "b"}, "t.csv").text(0, 1) == "2");
  REQUIRE_DATA_ERROR(CsvTable::parse("a\n1\n", {"a", "b"}, "t.csv"), std::string("t.csv"), 1, "b", "missing column");
  REQUIRE_DATA_ERROR(CsvTable::parse("a,b,c\n1,2,3\n", {"a", "b"}, "t.csv"), std::string("t.csv"), 1, "c",
                     "unexpected column");
  REQUIRE_DATA_ERROR(CsvTable::parse("a,b,a\n1,2,3\n", {"a", "b"}, "t.csv"), std::string("t.csv"), 1, "a",
                     "more than once");
  REQUIRE_DATA_ERROR(CsvTable::parse("", {"a"}, "t.csv"), std::string("t.csv"), 0, "", "empty file");
}

TEST_CASE("csv: malformed records name their line", "[csv]") {
  REQUIRE_DATA_ERROR(CsvTable::parse("a,b\n1,2\n3\n", {"a", "b"}, "t.csv"), std::string("t.csv"), 3, "",
                     "has 1 fields but the header has 2");
  REQUIRE_DATA_ERROR(CsvTable::parse("a,b\n1,2\n3,\"open\n", {"a", "b"}, "t.csv"), std::string("t.csv"), 3, "",
                     "unterminated");
  REQUIRE_DATA_ERROR(CsvTable::parse("a,b\n1,\"x\"y\n", {"a", "b"}, "t.csv"), std::string("t.csv"), 2, "",
                     "after a closing quote");
}

TEST_CASE("csv: typed values are strict", "[csv]") {
  const auto t =
      CsvTable::parse("x,i,d\n1.5,12.0,2016-02-29\nabc,12.5,2016-02-30\n,,\n1e999,1x,\n", {"x", "i", "d"}, "t.csv");
  CHECK(t.number(0, 0) == 1.5);
  CHECK(t.integer(0, 1) == 12);
  CHECK(t.date(0, 2) == CivilDate{2016, 2, 29});
  REQUIRE_DATA_ERROR(t.number(1, 0), std::string("t.csv"), 3, "x", "cannot parse 'abc' as a number");
  REQUIRE_DATA_ERROR(t.integer(1, 1), std::string("t.csv"), 3, "i", "cannot parse '12.5' as an integer");
  REQUIRE_DATA_ERROR(t.date(1, 2), std::string("t.csv"), 3, "d", "cannot parse '2016-02-30' as a date");
  CHECK_FALSE(t.optional_number(2, 0).has_value());
  CHECK_FALSE(t.optional_integer(2, 1).has_value());
  REQUIRE_DATA_ERROR(t.number(2, 0), std::string("t.csv"), 4, "x", "empty value");
  REQUIRE_DATA_ERROR(t.required_text(2, 2), std::string("t.csv"), 4, "d", "empty value");
  REQUIRE_DATA_ERROR(t.number(3, 0), std::string("t.csv"), 5, "x", "cannot parse '1e999'");
  REQUIRE_DATA_ERROR(t.integer(3, 1), std::string("t.csv"), 5, "i", "cannot parse '1x'");
}

TEST_CASE("csv: an unreadable file is an I/O error naming it", "[csv]") {
  try {
    (void)CsvTable::read("/nonexistent/x.csv", {"a"});
    FAIL("expected IoError");
  } catch (const IoError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Matchers::StartsWith("/nonexistent/x.csv: cannot open"));
    CHECK(e.exit_code() == ExitCode::io);
  }
}
