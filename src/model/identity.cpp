#include "model/identity.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <map>

#include "util/sha256.hpp"

namespace ptr {

namespace {

std::string number_text(double v) { return fmt::format("{:g}", v); }

}  // namespace

const std::vector<const FieldSpec<AtlasCell>*>& identity_fields() {
  static const std::vector<const FieldSpec<AtlasCell>*> fields = [] {
    std::vector<const FieldSpec<AtlasCell>*> out;
    for (const auto& f : cell_fields())
      if (f.role != Role::none) out.push_back(&f);
    return out;
  }();
  return fields;
}

std::string field_value(const AtlasCell& c, const FieldSpec<AtlasCell>& f) {
  return std::visit(
      [&](auto m) -> std::string {
        using M = std::decay_t<decltype(c.*m)>;
        const M& v = c.*m;
        if constexpr (std::is_same_v<M, std::optional<std::string>>) return v ? *v : "?";
        else if constexpr (std::is_same_v<M, std::optional<long>>) return v ? std::to_string(*v) : "?";
        else if constexpr (std::is_same_v<M, std::optional<double>>) return v ? number_text(*v) : "?";
        else if constexpr (std::is_same_v<M, std::optional<bool>>) return v ? (*v ? "true" : "false") : "?";
        else if constexpr (std::is_same_v<M, std::string>) return v;
        else return "?";
      },
      f.member);
}

std::string field_label(const AtlasCell& c, const FieldSpec<AtlasCell>& f) {
  std::string v = field_value(c, f);
  if (v == "?") return "";
  std::string pattern = f.label ? f.label : "{}";
  if (v == "true" || v == "false") {
    auto bar = pattern.find('|');
    if (bar == std::string::npos) return v == "true" ? f.name : std::string("no ") + f.name;
    return v == "true" ? pattern.substr(0, bar) : pattern.substr(bar + 1);
  }
  auto at = pattern.find("{}");
  return at == std::string::npos ? pattern + " " + v : pattern.substr(0, at) + v + pattern.substr(at + 2);
}

std::string identity_key(const AtlasCell& c, const std::set<std::string>& exclude) {
  std::string key;
  for (const auto* f : identity_fields()) {
    if (exclude.count(f->name)) continue;
    key += f->name;
    key += '=';
    key += field_value(c, *f);
    key += '|';
  }
  return key;
}

std::string comparison_key(const AtlasCell& c) {
  std::set<std::string> stack;
  for (const auto* f : identity_fields())
    if (f->role == Role::stack) stack.insert(f->name);
  return identity_key(c, stack);
}

std::string identity_digest(const AtlasCell& c) { return sha256_hex(identity_key(c)).substr(0, 32); }
std::string comparison_digest(const AtlasCell& c) { return sha256_hex(comparison_key(c)).substr(0, 32); }

std::vector<std::pair<std::string, std::string>> stack_fields(const AtlasCell& c) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto* f : identity_fields())
    if (f->role == Role::stack) out.push_back({f->name, field_value(c, *f)});
  return out;
}

IdentityLabeler::IdentityLabeler(const std::vector<AtlasCell>& cells, std::set<std::string> exclude)
    : exclude_(std::move(exclude)) {
  for (const auto* f : identity_fields()) {
    if (exclude_.count(f->name)) continue;
    std::set<std::string> values;
    for (const auto& c : cells) values.insert(field_value(c, *f));
    if (values.size() > 1) varying_.push_back(f);
  }
  // A tie is two cells that agree on the whole descriptor (an A/B without
  // an arm name); cells that differ only in an excluded field (the facet)
  // share a key on purpose.
  std::map<std::string, int> n;
  for (const auto& c : cells) ++n[identity_key(c)];
  for (const auto& [k, count] : n)
    if (count > 1) tied_.insert(k);
}

bool IdentityLabeler::varies(const std::string& field) const {
  for (const auto* f : varying_)
    if (field == f->name) return true;
  return false;
}

std::string IdentityLabeler::key(const AtlasCell& c) const {
  std::string k = identity_key(c, exclude_);
  return tied_.count(identity_key(c)) ? k + "cell=" + c.cell_id : k;
}

std::string IdentityLabeler::label(const AtlasCell& c) const {
  std::string out;
  std::vector<std::string> parts;
  auto add = [&](const std::string& s) {
    if (s.empty() || std::find(parts.begin(), parts.end(), s) != parts.end()) return;  // arm "sglang" of engine sglang
    // "TP" after "TP8", "EP" after "EP4": the sized part already says it.
    for (const auto& p : parts)
      if (p.size() > s.size() && p.compare(0, s.size(), s) == 0 && std::isdigit(static_cast<unsigned char>(p[s.size()]))) return;
    parts.push_back(s);
    out += (out.empty() ? "" : " ") + s;
  };
  // An unknown value is left out: the fields that are known already tell
  // the series apart (and the completeness page lists what is unknown).
  for (const auto* f : varying_)
    // An arm is named after what it changes: its knob (in the tables) would repeat it.
    if (!(c.arm && std::string_view(f->name) == "knob")) add(field_label(c, *f));
  if (out.empty()) {
    // Nothing varies: a short descriptor still says what it is.
    for (const char* name : {"hardware", "quant", "tensor_parallel"})
      if (const auto* f = find_cell_field(name); f && !exclude_.count(name)) add(field_label(c, *f));
  }
  if (tied_.count(identity_key(c))) out += " [" + c.cell_id + "]";
  return out;
}

}  // namespace ptr
