#include "model/schema_doc.hpp"

#include <fmt/format.h>

#include "model/fields.hpp"

namespace ptr {

namespace {

template <class Owner>
const char* kind_of(const FieldMember<Owner>& m) {
  return std::visit(
      [](auto member) -> const char* {
        using M = std::decay_t<decltype(std::declval<Owner>().*member)>;
        if constexpr (std::is_same_v<M, std::string>) return "string";
        else if constexpr (std::is_same_v<M, std::optional<std::string>>) return "string|null";
        else if constexpr (std::is_same_v<M, std::optional<long>>) return "integer|null";
        else if constexpr (std::is_same_v<M, std::optional<double>>) return "number|null";
        else if constexpr (std::is_same_v<M, std::optional<bool>>) return "boolean|null";
        else if constexpr (std::is_same_v<M, long>) return "integer";
        else if constexpr (std::is_same_v<M, bool>) return "boolean";
        else return "latency";
      },
      m);
}

nlohmann::json type_schema(const std::string& kind) {
  using nlohmann::json;
  if (kind == "latency") return {{"$ref", "#/$defs/latency"}};
  auto bar = kind.find('|');
  std::string base = kind.substr(0, bar);
  json t = bar == std::string::npos ? json(base) : json::array({base, "null"});
  json s = {{"type", t}};
  return s;
}

template <class Owner>
void add_fields(nlohmann::json& props, nlohmann::json& required, const std::vector<FieldSpec<Owner>>& fields) {
  for (const auto& f : fields) {
    auto s = type_schema(kind_of(f.member));
    s["description"] = std::string(f.doc) + (std::string(f.unit).empty() ? "" : std::string(" Unit: ") + f.unit + ".");
    props[f.name] = s;
    required.push_back(f.name);
  }
}

std::string escape_pipes(std::string s) {
  for (size_t i = 0; (i = s.find('|', i)) != std::string::npos; i += 2) s.replace(i, 1, "\\|");
  return s;
}

template <class Owner>
std::string table(const std::vector<FieldSpec<Owner>>& fields) {
  std::string md = "| field | type | unit | meaning |\n|---|---|---|---|\n";
  for (const auto& f : fields)
    md += fmt::format("| `{}` | {} | {} | {} |\n", f.name, escape_pipes(kind_of(f.member)), f.unit, escape_pipes(f.doc));
  return md;
}

}  // namespace

nlohmann::json atlas_cell_json_schema() {
  using nlohmann::json;
  json latency = {{"type", json::array({"object", "null"})},
                  {"description", "Latency distribution in ms; absent statistics are null."},
                  {"properties",
                   {{"mean", {{"type", json::array({"number", "null"})}}},
                    {"median", {{"type", json::array({"number", "null"})}}},
                    {"p90", {{"type", json::array({"number", "null"})}}},
                    {"p99", {{"type", json::array({"number", "null"})}}},
                    {"std", {{"type", json::array({"number", "null"})}}}}}};
  json point_props = json::object(), point_req = json::array();
  add_fields(point_props, point_req, point_fields());
  point_props["request_rate"] = {{"type", json::array({"number", "string", "null"})},
                                 {"description", "Offered request rate (req/s); the string \"inf\" sends all requests at t=0."}};
  point_props["spread"] = {{"type", "object"}, {"description", "Sample standard deviation across trials (n-1); null values when n < 2."}};
  point_props["source"] = {{"type", "array"},
                           {"description", "Raw files behind the point: file (under the cell folder), format, format_version, line, run_number."}};
  point_props["extra"] = {{"type", "object"},
                          {"description", "Per-point additions, only when present: a roofline sweep point's telemetry means over its window and its analytical coordinates (docs/roofline.md)."}};
  for (const char* k : {"spread", "source"}) point_req.push_back(k);
  json cell_props = json::object(), cell_req = json::array();
  cell_props["schema"] = {{"const", "atlas_cell/v1"}};
  cell_req.push_back("schema");
  add_fields(cell_props, cell_req, cell_fields());
  cell_props["concurrencies_requested"] = {{"type", "array"}, {"items", {{"type", "integer"}}}};
  cell_props["points"] = {{"type", "array"}, {"items", {{"$ref", "#/$defs/point"}}}};
  cell_props["warnings"] = {
      {"type", "array"},
      {"description", "Typed warnings about this cell's data: kind, message, and the cell, file, key, concurrency and hint when known."},
      {"items",
       {{"type", "object"},
        {"properties",
         {{"kind", {{"type", "string"}}},
          {"message", {{"type", "string"}}},
          {"cell", {{"type", json::array({"string", "null"})}}},
          {"file", {{"type", json::array({"string", "null"})}}},
          {"key", {{"type", json::array({"string", "null"})}}},
          {"concurrency", {{"type", json::array({"integer", "null"})}}},
          {"hint", {{"type", json::array({"string", "null"})}}}}},
        {"required", json::array({"kind", "message"})}}}};
  cell_props["extra"] = {{"type", "object"},
                         {"description", "bench_timestamps (first/last as written by the client), missing_concurrencies, and later additions."}};
  for (const char* k : {"concurrencies_requested", "points", "warnings", "extra"}) cell_req.push_back(k);
  return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
          {"$id", "https://perftunereport.dev/schema/atlas_cell.v1.schema.json"},
          {"title", "atlas_cell/v1"},
          {"description", "One measured serving configuration and its concurrency points (one line of atlas.jsonl, or a cell's normalized.json)."},
          {"type", "object"},
          {"properties", cell_props},
          {"required", cell_req},
          {"$defs", {{"latency", latency}, {"point", {{"type", "object"}, {"properties", point_props}, {"required", point_req}}}}}};
}

std::string atlas_cell_markdown() {
  std::string md =
      "# atlas_cell/v1\n\n"
      "<!-- generated from src/model/fields.cpp by `perftunereport-gendocs`; do not edit by hand -->\n\n"
      "One line of `atlas.jsonl` (and each cell's `normalized.json`) is one **cell**: a serving\n"
      "configuration and its measured **points**. JSON Schema: `schema/atlas_cell.v1.schema.json`.\n"
      "Missing values are `null`, never 0. Latency fields are objects `{mean, median, p90, p99, std}` in ms.\n"
      "Metric definitions: `docs/metrics.md`.\n\n"
      "## Cell\n\n`schema` is always `\"atlas_cell/v1\"`.\n\n" +
      table(cell_fields()) +
      "\nAlso: `concurrencies_requested` (from the config), `points`, `warnings` (typed records `{kind, message,\n"
      "cell, file, key, concurrency, hint}` about the cell's data) and `extra` (`bench_timestamps`,\n"
      "`missing_concurrencies`, `descriptor_from_data`, `descriptor_conflicts`).\n\n## Point\n\n" +
      table(point_fields()) +
      "\nAlso: `spread` (sample std across trials of `output_tok_s`, `request_throughput_rps`,\n"
      "`ttft_ms_mean`, `tpot_ms_mean`, `itl_ms_mean`, `e2el_ms_mean`, with `n`), `source` (one entry per\n"
      "run: raw file under the cell folder, detected format and version, line, run_number) and, only when\n"
      "present, `extra` (a roofline sweep point's telemetry means and analytical coordinates, `docs/roofline.md`).\n";
  return md;
}

}  // namespace ptr
