#include "verbs/registry.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "util/error.hpp"

namespace ptr {

const std::vector<VerbSpec>& verb_registry() {
  static const std::vector<VerbSpec> verbs = {
      campaign_init_verb(),
      import_perf_bench_verb(),
      import_variant_ab_verb(),
      cell_run_verb(),
      model_shape_verb(),
      import_roofline_sweep_verb(),
      dcgm_correlate_verb(),
      import_kernels_verb(),
      import_ncu_verb(),
      atlas_aggregate_verb(),
      tpm_summary_verb(),
      champion_select_verb(),
      baseline_diff_verb(),
      value_view_verb(),
      publish_to_lake_verb(),
      lake_query_verb(),
      report_render_verb(),
      report_smoke_verb(),
  };
  return verbs;
}

const VerbSpec* find_verb(std::string_view name) {
  std::string canonical(name);
  std::replace(canonical.begin(), canonical.end(), '-', '_');
  for (const auto& v : verb_registry())
    if (v.name == canonical) return &v;
  return nullptr;
}

const char* type_name(ParamType t) {
  switch (t) {
    case ParamType::string: return "string";
    case ParamType::integer: return "integer";
    case ParamType::number: return "number";
    case ParamType::boolean: return "boolean";
    case ParamType::string_list: return "array";
  }
  return "string";
}

const char* safety_name(Safety s) {
  switch (s) {
    case Safety::read_only: return "read_only";
    case Safety::writes_files: return "writes_files";
    case Safety::writes_campaign: return "writes_campaign";
    case Safety::submits_jobs: return "submits_jobs";
    case Safety::writes_shared: return "writes_shared";
  }
  return "read_only";
}

std::string Params::str(const std::string& name) const { return opt_str(name).value_or(""); }
std::optional<std::string> Params::opt_str(const std::string& name) const {
  if (!has(name)) return std::nullopt;
  return values_[name].get<std::string>();
}
std::optional<long> Params::opt_int(const std::string& name) const {
  if (!has(name)) return std::nullopt;
  return values_[name].get<long>();
}
std::optional<double> Params::opt_num(const std::string& name) const {
  if (!has(name)) return std::nullopt;
  return values_[name].get<double>();
}
std::optional<bool> Params::opt_bool(const std::string& name) const {
  if (!has(name)) return std::nullopt;
  return values_[name].get<bool>();
}
std::vector<std::string> Params::list(const std::string& name) const {
  if (!has(name)) return {};
  return values_[name].get<std::vector<std::string>>();
}

json Envelope::to_json() const {
  return {{"ok", ok}, {"verb", verb}, {"result", result}, {"warnings", ptr::to_json(warnings)}, {"error", error}};
}

namespace {

json check_arg(const ParamSpec& p, const json& v) {
  auto bad = [&](const char* expected) {
    throw_usage(fmt::format("parameter '{}' must be {}, got {}", p.name, expected, v.dump()));
  };
  switch (p.type) {
    case ParamType::string:
      if (!v.is_string()) bad("a string");
      if (!p.choices.empty() && std::find(p.choices.begin(), p.choices.end(), v.get<std::string>()) == p.choices.end()) {
        std::string list;
        for (const auto& c : p.choices) list += (list.empty() ? "" : ", ") + c;
        throw_usage(fmt::format("parameter '{}' must be one of {}, got '{}'", p.name, list, v.get<std::string>()));
      }
      return v;
    case ParamType::integer:
      if (v.is_number_integer()) return v;
      if (v.is_number_float() && v.get<double>() == static_cast<double>(static_cast<long>(v.get<double>())))
        return static_cast<long>(v.get<double>());
      bad("an integer");
      return v;
    case ParamType::number:
      if (!v.is_number()) bad("a number");
      return v;
    case ParamType::boolean:
      if (!v.is_boolean()) bad("true or false");
      return v;
    case ParamType::string_list:
      if (v.is_string()) return json::array({v});
      if (!v.is_array()) bad("a list of strings");
      for (const auto& e : v)
        if (!e.is_string()) bad("a list of strings");
      return v;
  }
  return v;
}

}  // namespace

Envelope run_verb(const VerbSpec& verb, const json& args, const Context& ctx) {
  Envelope env;
  env.verb = verb.name;
  try {
    if (!args.is_object()) throw_usage("arguments must be an object");
    json values = json::object();
    for (auto it = args.begin(); it != args.end(); ++it) {
      auto spec = std::find_if(verb.params.begin(), verb.params.end(), [&](const ParamSpec& p) { return p.name == it.key(); });
      if (spec == verb.params.end()) throw_usage(fmt::format("{} has no parameter '{}'", verb.name, it.key()));
      if (!it.value().is_null()) values[it.key()] = check_arg(*spec, it.value());
    }
    for (const auto& p : verb.params) {
      if (values.contains(p.name)) continue;
      if (p.required) throw_usage(fmt::format("{} needs parameter '{}' ({})", verb.name, p.name, p.help));
      if (!p.default_value.is_null()) values[p.name] = p.default_value;
    }
    verb.run(Params(values), ctx, env);
  } catch (const Error& e) {
    env.ok = false;
    env.exit_code = exit_code_for(e.kind);
    env.error = {{"kind", kind_name(e.kind)}, {"message", e.what()}, {"file", e.file.empty() ? json(nullptr) : json(e.file)},
                 {"line", e.line > 0 ? json(e.line) : json(nullptr)}, {"key", e.key.empty() ? json(nullptr) : json(e.key)},
                 {"hint", e.hint.empty() ? json(nullptr) : json(e.hint)}};
    env.result = json::object();
  } catch (const std::exception& e) {
    env.ok = false;
    env.exit_code = 1;
    env.error = {{"kind", "internal"}, {"message", e.what()}, {"file", nullptr}, {"line", nullptr}, {"key", nullptr}, {"hint", nullptr}};
  }
  return env;
}

}  // namespace ptr
