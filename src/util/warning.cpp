#include "util/warning.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>

namespace ptr {

bool Warning::operator==(const Warning& o) const {
  return kind == o.kind && message == o.message && cell == o.cell && file == o.file && key == o.key &&
         concurrency == o.concurrency;
}

void add_warning(Warnings& list, Warning w) {
  if (std::find(list.begin(), list.end(), w) == list.end()) list.push_back(std::move(w));
}

std::string warning_text(const Warning& w) {
  std::string out;
  if (!w.cell.empty()) out += "cell " + w.cell;
  if (w.concurrency) out += fmt::format("{}c={}", out.empty() ? "" : " ", *w.concurrency);
  if (!out.empty()) out += ": ";
  if (!w.file.empty()) out += w.file + ": ";
  if (!w.key.empty()) out += "key '" + w.key + "': ";
  return out + w.message;
}

std::vector<std::string> warning_lines(const Warnings& list) {
  std::map<std::pair<std::string, std::string>, size_t> seen;  // (kind, cell) -> index in out
  std::vector<std::string> out;
  std::vector<size_t> more;
  for (const auto& w : list) {
    auto key = std::make_pair(w.kind, w.cell);
    auto it = seen.find(key);
    if (it != seen.end() && !w.cell.empty()) {
      ++more[it->second];
      continue;
    }
    seen[key] = out.size();
    out.push_back(warning_text(w));
    more.push_back(0);
  }
  for (size_t i = 0; i < out.size(); ++i)
    if (more[i] > 0) out[i] += fmt::format(" (and {} more like this)", more[i]);
  return out;
}

nlohmann::json to_json(const Warning& w) {
  auto opt = [](const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); };
  return {{"kind", w.kind},       {"cell", opt(w.cell)}, {"file", opt(w.file)},
          {"key", opt(w.key)},    {"concurrency", w.concurrency ? nlohmann::json(*w.concurrency) : nlohmann::json(nullptr)},
          {"message", w.message}, {"hint", opt(w.hint)}};
}

nlohmann::json to_json(const Warnings& list) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& w : list) a.push_back(to_json(w));
  return a;
}

Warning warning_from_json(const nlohmann::json& j) {
  Warning w;
  if (j.is_string()) {
    w.kind = "note";
    w.message = j.get<std::string>();
    return w;
  }
  if (!j.is_object()) return w;
  auto str = [&](const char* k) {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  w.kind = str("kind");
  w.message = str("message");
  w.cell = str("cell");
  w.file = str("file");
  w.key = str("key");
  w.hint = str("hint");
  if (auto it = j.find("concurrency"); it != j.end() && it->is_number_integer()) w.concurrency = it->get<long>();
  return w;
}

}  // namespace ptr
