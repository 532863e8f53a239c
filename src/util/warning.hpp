#pragma once
// One typed warning record for every face: the JSON envelope, MCP, the
// completeness page (through the atlas) and the lake read the same list. The
// human face prints each kind once per cell.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace ptr {

struct Warning {
  std::string kind;     // snake_case class, e.g. skipped_file, rounded_values, undercount
  std::string message;  // the problem, one sentence, without the cell/file prefix
  std::string cell;     // cell id, when it concerns one
  std::string file;     // input or raw file, when it concerns one
  std::string key;      // offending key, when known
  std::string hint;     // how to fix it, when we can say
  std::optional<long> concurrency;  // the point, when it concerns one

  bool operator==(const Warning& o) const;
};

using Warnings = std::vector<Warning>;

// Appends unless an identical record is already there.
void add_warning(Warnings& list, Warning w);
// "cell X c=8: file: message" with the parts that are known.
std::string warning_text(const Warning& w);
// The human face: one line per (kind, cell), with a count of the others.
std::vector<std::string> warning_lines(const Warnings& list);

nlohmann::json to_json(const Warning& w);
nlohmann::json to_json(const Warnings& list);
// Reads a record, or a plain string (older atlases) as kind "note".
Warning warning_from_json(const nlohmann::json& j);

}  // namespace ptr
