#include "render/report_options.hpp"

#include <sstream>
#include <stdexcept>

#include "util/error.hpp"

namespace ptr {

namespace {

std::string flag_of(const std::string& name) {
  std::string f = "--" + name;
  for (char& c : f)
    if (c == '_') c = '-';
  return f;
}

std::vector<std::string> split_bar(const char* s) {
  std::vector<std::string> out;
  std::stringstream ss(s ? s : "");
  std::string item;
  while (std::getline(ss, item, '|')) out.push_back(item);
  return out;
}

std::vector<long> parse_list(const std::string& name, const std::string& s) {
  std::vector<long> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    size_t used = 0;
    long v = 0;
    try {
      v = std::stol(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != item.size() || v < 1 || v > 1000000000L)
      throw_usage(flag_of(name) + " must be a comma list of positive integers, got '" + s + "'");
    out.push_back(v);
  }
  if (out.empty()) throw_usage(flag_of(name) + " is empty");
  return out;
}

const PageParam& declared(const std::string& name) {
  const PageParam* p = find_report_param(name);
  if (!p) throw std::logic_error("report option '" + name + "' is not declared by any page");
  return *p;
}

}  // namespace

const PageParam* find_report_param(const std::string& name) {
  for (const auto& p : report_params())
    if (name == p.name) return &p;
  return nullptr;
}

std::vector<std::string> allowed_values(const PageParam& p) {
  return p.dynamic_choices ? p.dynamic_choices() : split_bar(p.choices);
}

void ReportOptions::set(const std::string& name, const std::string& value) {
  const PageParam& p = declared(name);
  if (p.kind == PageParamKind::int_list) parse_list(name, value);
  if (p.kind == PageParamKind::choice) {
    auto allowed = allowed_values(p);
    bool ok = false;
    for (const auto& a : allowed) ok = ok || a == value;
    if (!ok) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      throw_usage(flag_of(name) + " must be one of " + list + ", got '" + value + "'");
    }
  }
  values[name] = value;
}

std::optional<std::string> ReportOptions::given(const std::string& name) const {
  declared(name);
  auto it = values.find(name);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

std::string ReportOptions::text(const std::string& name) const {
  const PageParam& p = declared(name);
  auto it = values.find(name);
  if (it != values.end()) return it->second;
  return p.default_value ? p.default_value : "";
}

std::vector<long> ReportOptions::longs(const std::string& name) const { return parse_list(name, text(name)); }

}  // namespace ptr
