// Issue 9's table-driven bad input: every real result fixture, damaged in the
// ways users' files are (truncated at every 10 %, numbers replaced by NaN,
// Infinity, 1e308, negatives and strings, invalid UTF-8, CRLF, a BOM, deep
// nesting, a 100 kB string), goes through format detection and parsing.
// Each either parses or fails with one clear input error naming the file,
// never another exception, and the message stays short (no 1 MB echo).
#include <regex>

#include "ingest/discover.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

struct Damage {
  std::string name;
  std::function<std::string(const std::string&)> apply;
};

std::vector<Damage> damages() {
  std::vector<Damage> d;
  for (int pct = 10; pct <= 90; pct += 10)
    d.push_back({"truncated at " + std::to_string(pct) + " %", [pct](const std::string& t) { return t.substr(0, t.size() * pct / 100); }});
  // The first number after a key, replaced.
  for (const char* v : {"NaN", "Infinity", "-Infinity", "1e308", "1e400", "-1", "18446744073709551616", "\"text\"", "[]", "{}", "null"})
    d.push_back({std::string("first value -> ") + v, [v](const std::string& t) {
                   static const std::regex number(R"((":\s*)-?[0-9][0-9.eE+-]*)");
                   return std::regex_replace(t, number, std::string("$1") + v, std::regex_constants::format_first_only);
                 }});
  d.push_back({"every number negative", [](const std::string& t) {
                 static const std::regex number(R"((":\s*)([0-9][0-9.eE+-]*))");
                 return std::regex_replace(t, number, "$1-$2");
               }});
  d.push_back({"invalid UTF-8 in the middle", [](const std::string& t) { return t.substr(0, t.size() / 2) + "\xff\xfe\xc3" + t.substr(t.size() / 2); }});
  d.push_back({"CRLF line ends", [](const std::string& t) { return std::regex_replace(t, std::regex("\n"), "\r\n"); }});
  d.push_back({"BOM", [](const std::string& t) { return "\xEF\xBB\xBF" + t; }});
  d.push_back({"nested 100k deep before it", [](const std::string& t) { return std::string(100000, '[') + t; }});
  d.push_back({"a 100 kB string value", [](const std::string& t) {
                 size_t q = t.find("\": \"");
                 return q == std::string::npos ? t : t.substr(0, q + 4) + std::string(100000, 'x') + t.substr(q + 4);
               }});
  d.push_back({"empty", [](const std::string&) { return std::string(); }});
  return d;
}

TEST(BadInputTable, EveryDamagedFixtureParsesOrFailsWithOneClearError) {
  std::vector<fs::path> files;
  for (const char* dir : {"vllm", "sglang", "aiperf"})
    for (const auto& e : fs::recursive_directory_iterator(fixtures_dir() / dir))
      if (e.is_regular_file() && e.file_size() < (2u << 20)) files.push_back(e.path());
  ASSERT_GE(files.size(), 12u);
  size_t cases = 0, refused = 0;
  for (const auto& f : files) {
    std::string text = read_file(f);
    for (const auto& d : damages()) {
      std::string bad = d.apply(text);
      const std::string shown = "damaged/" + f.filename().string();
      ++cases;
      try {
        ingest_text(shown, bad);
      } catch (const Error& e) {
        ++refused;
        std::string msg = e.what();
        EXPECT_NE(msg.find(shown), std::string::npos) << f << " / " << d.name << ": " << msg;
        EXPECT_LT(msg.size(), 1200u) << f << " / " << d.name << ": the message echoes the input";
      } catch (const std::exception& e) {
        ADD_FAILURE() << f << " / " << d.name << ": not an input error: " << e.what();
      }
    }
  }
  std::printf("%zu damaged files, %zu refused with an input error\n", cases, refused);
  // Most damage is refused; some leaves a parseable file (a truncated CSV, a BOM).
  EXPECT_GT(refused, cases / 3) << refused << " of " << cases;
}

}  // namespace
}  // namespace ptr::test
