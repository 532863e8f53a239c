// tools/list, generated from the verb registry: input schema from the
// parameters, annotations from the safety class, one output schema (the
// envelope every verb returns).
#include "mcp/server.hpp"
#include "verbs/registry.hpp"

namespace ptr::mcp {

namespace {

using json = nlohmann::json;

json param_schema(const ParamSpec& p) {
  json s;
  switch (p.type) {
    case ParamType::string: s["type"] = "string"; break;
    case ParamType::integer: s["type"] = "integer"; break;
    case ParamType::number: s["type"] = "number"; break;
    case ParamType::boolean: s["type"] = "boolean"; break;
    case ParamType::string_list: s = {{"type", "array"}, {"items", {{"type", "string"}}}}; break;
  }
  s["description"] = p.help;
  if (!p.default_value.is_null()) s["default"] = p.default_value;
  if (!p.choices.empty()) s["enum"] = p.choices;
  return s;
}

const json& envelope_schema() {
  static const json s = {
      {"type", "object"},
      {"properties",
       {{"ok", {{"type", "boolean"}}},
        {"verb", {{"type", "string"}}},
        {"result", {{"type", "object"}, {"description", "The verb's result (empty when it failed before producing one)."}}},
        {"warnings",
         {{"type", "array"},
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
            {"required", json::array({"kind", "message"})}}}}},
        {"error",
         {{"type", json::array({"object", "null"})},
          {"properties",
           {{"kind", {{"type", "string"}}},
            {"message", {{"type", "string"}}},
            {"file", {{"type", json::array({"string", "null"})}}},
            {"line", {{"type", json::array({"integer", "null"})}}},
            {"key", {{"type", json::array({"string", "null"})}}},
            {"hint", {{"type", json::array({"string", "null"})}}}}}}}}},
      {"required", json::array({"ok", "verb", "result", "warnings", "error"})}};
  return s;
}

json tool_of(const VerbSpec& v) {
  json props = json::object(), required = json::array();
  for (const auto& p : v.params) {
    props[p.name] = param_schema(p);
    if (p.required) required.push_back(p.name);
  }
  json schema = {{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
  if (!required.empty()) schema["required"] = required;
  bool read_only = v.safety == Safety::read_only;
  // Destructive: it can delete or replace what others rely on (Jobs in a
  // namespace, rows in a shared lake). Writing a campaign's own derived files
  // is not.
  bool destructive = v.safety == Safety::submits_jobs || v.safety == Safety::writes_shared;
  bool open_world = v.safety == Safety::submits_jobs || v.safety == Safety::writes_shared;
  return {{"name", std::string(kToolPrefix) + v.name},
          {"title", v.title},
          {"description", v.summary + " Safety: " + safety_name(v.safety) + ". CLI: " + v.example},
          {"inputSchema", schema},
          {"outputSchema", envelope_schema()},
          {"annotations",
           {{"title", v.title},
            {"readOnlyHint", read_only},
            {"destructiveHint", destructive},
            {"idempotentHint", v.idempotent},
            {"openWorldHint", open_world}}}};
}

}  // namespace

json tools_list() {
  json tools = json::array();
  for (const auto& v : verb_registry()) tools.push_back(tool_of(v));
  return tools;
}

}  // namespace ptr::mcp
