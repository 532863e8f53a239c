#include <fmt/format.h>

#include "lake/presets.hpp"
#include "lake/publish.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "verbs/registry.hpp"

namespace ptr {

VerbSpec lake_query_verb() {
  std::vector<std::string> names;
  for (const auto& p : lake_presets()) names.push_back(p.name);
  return {
      "lake_query",
      "Ask the perf lake a question: a preset (best_tok_s_per_gpu, regressions, sla_tpm_per_dollar, champion_history) or "
      "one read-only SQL statement from a file; as a table, CSV or JSON (docs/lake.md).",
      "perftunereport lake_query --preset best_tok_s_per_gpu --lake sqlite:///data/perf-lake.sqlite",
      Safety::read_only,
      "Query the perf lake",
      true,
      {
          {"lake", ParamType::string, false, nullptr, "sqlite:///path or postgresql://... [default: $PERFREPORT_LAKE, else <campaigns-root>/perf-lake.sqlite]."},
          {"preset", ParamType::string, false, nullptr, "A common question (docs/lake.md).", names},
          {"sql", ParamType::string, false, nullptr, "File holding one read-only SQL statement.", {}, PathRole::input},
          {"format", ParamType::string, false, "table", "Output shape.", {"table", "csv", "json"}},
      },
      [](const Params& p, const Context& ctx, Envelope& env) {
        if (p.has("preset") == p.has("sql")) throw_usage("give exactly one of --preset or --sql");
        std::string sql = p.has("preset") ? find_preset(p.str("preset"))->sql : read_file(p.str("sql"));
        LakeUrl url = parse_lake_url(default_lake_url(ctx.campaigns_root, p.opt_str("lake").value_or(""), ctx.confined));
        if (url.backend == "sqlite" && !fs::exists(url.path)) throw_usage("no lake at " + url.path, "publish_to_lake creates it");
        SqlResult r = open_lake(url)->read_only_query(sql);
        std::string format = p.opt_str("format").value_or("table");
        env.result = {{"lake", url.display}, {"columns", r.columns}, {"rows", result_json(r)}, {"row_count", r.rows.size()}};
        if (p.has("preset")) env.result["preset"] = p.str("preset");
        env.human = format == "csv" ? result_csv(r) : format == "json" ? env.result["rows"].dump(2) : result_table(r);
        while (!env.human.empty() && env.human.back() == '\n') env.human.pop_back();
      },
  };
}

}  // namespace ptr
