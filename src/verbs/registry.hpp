#pragma once
// The one verb registry. Each verb is declared once (name, summary, example,
// safety class, typed parameters, handler); the CLI and, later, the MCP
// server are generated from this table, so a flag, its help and its schema
// cannot drift apart. Nothing here knows about command lines.
#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/warning.hpp"

namespace ptr {

using json = nlohmann::json;

enum class ParamType { string, integer, number, boolean, string_list };
// What a verb may change; the CLI help and the MCP annotations derive from it.
//  read_only       reads files, writes nothing
//  writes_files    writes only the file(s) its parameters name (report_smoke)
//  writes_campaign writes inside one campaign folder (atomic, under the campaign lock)
//  submits_jobs    starts and stops work on a cluster (ack-gated)
//  writes_shared   writes state other users share (the perf lake)
enum class Safety { read_only, writes_files, writes_campaign, submits_jobs, writes_shared };
// Parameters that name files: the MCP face confines them to the campaigns
// root (and folders the server was started with); the CLI takes them as given.
enum class PathRole { none, input, output };

struct ParamSpec {
  std::string name;  // snake_case; the CLI shows it as --kebab-case
  ParamType type;
  bool required = false;
  json default_value = nullptr;  // null = no default (absent stays absent)
  std::string help;
  std::vector<std::string> choices = {};  // enum values for strings
  PathRole path = PathRole::none;
  bool positional = false;  // the CLI also takes it as the first bare argument
};

struct Context {
  std::filesystem::path campaigns_root;
  // Long verbs report progress (done, total, message) when someone listens.
  std::function<void(double, double, const std::string&)> progress;
  // Set when the caller cancels (MCP notifications/cancelled, a closing client).
  const std::atomic<bool>* cancel = nullptr;
  // The MCP face: paths from arguments are confined (a sqlite:// lake too).
  bool confined = false;
};

// Validated arguments: defaults applied, types checked.
class Params {
 public:
  explicit Params(json values) : values_(std::move(values)) {}
  bool has(const std::string& name) const { return values_.contains(name) && !values_[name].is_null(); }
  std::string str(const std::string& name) const;
  std::optional<std::string> opt_str(const std::string& name) const;
  std::optional<long> opt_int(const std::string& name) const;
  std::optional<double> opt_num(const std::string& name) const;
  std::optional<bool> opt_bool(const std::string& name) const;
  bool flag(const std::string& name) const { return opt_bool(name).value_or(false); }
  std::vector<std::string> list(const std::string& name) const;
  const json& raw() const { return values_; }

 private:
  json values_;
};

struct Envelope {
  bool ok = true;
  std::string verb;
  json result = json::object();
  Warnings warnings;
  json error = nullptr;  // {"kind","message","file","line","key","hint"}
  std::string human;     // short human summary
  std::vector<std::string> files;  // absolute paths of the files this call wrote (MCP resource links)
  int exit_code = 0;
  json to_json() const;
};

struct VerbSpec {
  std::string name;
  std::string summary;
  std::string example;  // a full command line that works
  Safety safety;
  std::string title;     // human title (MCP tool title)
  bool idempotent;       // repeating the call with the same arguments changes nothing more
  std::vector<ParamSpec> params;
  // Fills result/human/warnings; throws ptr::Error on failure.
  std::function<void(const Params&, const Context&, Envelope&)> run;
};

const std::vector<VerbSpec>& verb_registry();
// Accepts campaign_init and campaign-init.
const VerbSpec* find_verb(std::string_view name);
// Checks `args` against the spec, applies defaults, runs, and turns any error
// into the envelope (never throws).
Envelope run_verb(const VerbSpec& verb, const json& args, const Context& ctx);

const char* type_name(ParamType t);
const char* safety_name(Safety s);

// Verb declarations, one file each.
VerbSpec campaign_init_verb();
VerbSpec import_perf_bench_verb();
VerbSpec import_variant_ab_verb();
VerbSpec atlas_aggregate_verb();
VerbSpec report_render_verb();
VerbSpec report_smoke_verb();
VerbSpec tpm_summary_verb();
VerbSpec champion_select_verb();
VerbSpec baseline_diff_verb();
VerbSpec value_view_verb();
VerbSpec publish_to_lake_verb();
VerbSpec lake_query_verb();
VerbSpec cell_run_verb();
VerbSpec model_shape_verb();
VerbSpec import_roofline_sweep_verb();
VerbSpec dcgm_correlate_verb();
VerbSpec import_kernels_verb();
VerbSpec import_ncu_verb();

}  // namespace ptr
