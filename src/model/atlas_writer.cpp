#include "model/atlas_writer.hpp"

#include <cmath>
#include <fmt/format.h>

#include "model/fields.hpp"

namespace ptr {

namespace {

void put_string(std::string& out, const std::string& s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
        else out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
}

// Same spelling as to_json: +-inf as "inf"/"-inf", NaN as null.
void put_number(std::string& out, double v) {
  if (std::isnan(v)) out += "null";
  else if (std::isinf(v)) out += v > 0 ? "\"inf\"" : "\"-inf\"";
  else if (v == std::floor(v) && std::fabs(v) < 1e15) fmt::format_to(std::back_inserter(out), "{:.1f}", v);
  else fmt::format_to(std::back_inserter(out), "{}", v);
}

void put_opt(std::string& out, const std::optional<double>& v) {
  if (v) put_number(out, *v);
  else out += "null";
}

void put_stat(std::string& out, const LatencyStat& s) {
  out += "{\"mean\":";
  put_opt(out, s.mean);
  out += ",\"median\":";
  put_opt(out, s.median);
  out += ",\"p90\":";
  put_opt(out, s.p90);
  out += ",\"p99\":";
  put_opt(out, s.p99);
  out += ",\"std\":";
  put_opt(out, s.std);
  out.push_back('}');
}

template <class Owner>
void put_fields(std::string& out, const Owner& o, const std::vector<FieldSpec<Owner>>& fields) {
  for (const auto& f : fields) {
    out.push_back('"');
    out += f.name;
    out += "\":";
    std::visit(
        [&](auto member) {
          using M = std::decay_t<decltype(o.*member)>;
          const M& v = o.*member;
          if constexpr (std::is_same_v<M, LatencyStat>) put_stat(out, v);
          else if constexpr (std::is_same_v<M, std::optional<double>>) put_opt(out, v);
          else if constexpr (std::is_same_v<M, std::optional<long>>) {
            if (v) fmt::format_to(std::back_inserter(out), "{}", *v);
            else out += "null";
          } else if constexpr (std::is_same_v<M, std::optional<std::string>>) {
            if (v) put_string(out, *v);
            else out += "null";
          } else if constexpr (std::is_same_v<M, std::optional<bool>>) {
            out += v ? (*v ? "true" : "false") : "null";
          } else if constexpr (std::is_same_v<M, std::string>) put_string(out, v);
          else if constexpr (std::is_same_v<M, long>) fmt::format_to(std::back_inserter(out), "{}", v);
          else if constexpr (std::is_same_v<M, bool>) out += v ? "true" : "false";
        },
        f.member);
    out.push_back(',');
  }
}

void put_opt_long(std::string& out, const std::optional<long>& v) {
  if (v) fmt::format_to(std::back_inserter(out), "{}", *v);
  else out += "null";
}

}  // namespace

void append_atlas_line(const AtlasCell& c, std::string& out) {
  out += "{\"schema\":\"";
  out += kAtlasCellSchema;
  out += "\",";
  put_fields(out, c, cell_fields());
  out += "\"concurrencies_requested\":[";
  for (size_t i = 0; i < c.concurrencies_requested.size(); ++i)
    fmt::format_to(std::back_inserter(out), "{}{}", i ? "," : "", c.concurrencies_requested[i]);
  out += "],\"points\":[";
  for (size_t i = 0; i < c.points.size(); ++i) {
    const Point& p = c.points[i];
    if (i) out.push_back(',');
    out.push_back('{');
    put_fields(out, p, point_fields());
    out += "\"spread\":";
    out += p.spread.dump();
    if (!p.extra.empty()) {
      out += ",\"extra\":";
      out += p.extra.dump(-1, ' ', false, json::error_handler_t::replace);
    }
    out += ",\"source\":[";
    for (size_t k = 0; k < p.source.size(); ++k) {
      const PointSource& s = p.source[k];
      out += k ? ",{\"file\":" : "{\"file\":";
      put_string(out, s.file);
      out += ",\"format\":";
      put_string(out, s.format);
      out += ",\"format_version\":";
      put_string(out, s.format_version);
      out += ",\"line\":";
      put_opt_long(out, s.line);
      out += ",\"run_number\":";
      put_opt_long(out, s.run_number);
      out.push_back('}');
    }
    out += "]}";
  }
  out += "],\"warnings\":";
  out += to_json(c.warnings).dump(-1, ' ', false, json::error_handler_t::replace);
  out += ",\"extra\":";
  out += c.extra.dump(-1, ' ', false, json::error_handler_t::replace);
  out += "}\n";
}

}  // namespace ptr
