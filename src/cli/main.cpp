// The CLI face: generated from the verb registry. This is the only
// translation unit that includes CLI11 (it is slow to compile), and the one
// place where errors become exit codes (0 ok, 1 error, 2 refusal/usage).
#include <malloc.h>
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "campaign/layout.hpp"
#include "mcp/server.hpp"
#include "verbs/registry.hpp"

using namespace ptr;

namespace {

std::string kebab(std::string s) {
  for (auto& c : s)
    if (c == '_') c = '-';
  return s;
}

// Storage for one parameter's CLI value; only given options become arguments.
struct Slot {
  const ParamSpec* spec;
  CLI::Option* option = nullptr;
  CLI::Option* positional = nullptr;  // the same value given as a bare argument
  std::string s, s_positional;
  long i = 0;
  double d = 0;
  bool b = false;
  std::vector<std::string> list;
  json value() const {
    switch (spec->type) {
      case ParamType::string: return s;
      case ParamType::integer: return i;
      case ParamType::number: return d;
      case ParamType::boolean: return b;
      case ParamType::string_list: return list;
    }
    return nullptr;
  }
};

std::string describe(const ParamSpec& p) {
  std::string h = p.help;
  if (!p.default_value.is_null()) h += " [default: " + (p.default_value.is_string() ? p.default_value.get<std::string>() : p.default_value.dump()) + "]";
  if (p.required) h += p.positional ? " (required, as this flag or as the first bare argument)" : " (required)";
  return h;
}

void print_envelope(const Envelope& env, bool as_json) {
  if (as_json) {
    std::cout << env.to_json().dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  } else if (!env.human.empty()) {
    std::cout << env.human << "\n";
  }
  for (const auto& w : warning_lines(env.warnings)) std::cerr << "WARNING: " << w << "\n";
  if (!env.ok) {
    // A refusal (a safety gate) is FATAL: the tool would not do it as asked.
    bool refusal = env.error.value("kind", std::string()) == "refusal";
    std::cerr << (refusal ? "FATAL: " : "ERROR: ") << env.error.value("message", std::string("unknown error")) << "\n";
    if (env.error.contains("hint") && env.error["hint"].is_string())
      std::cerr << "  hint: " << env.error["hint"].get<std::string>() << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Keep freed memory for reuse instead of handing it back and faulting it in
  // again: page faults are a large share of a render (reports build and drop
  // hundreds of ~100 KB page buffers; an atlas is tens of MB).
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 32 << 20);
  CLI::App app{"perftunereport: LLM-inference benchmark sweeps -> atlas, capacity tables and PDF reports.\n"
               "Every verb is also an MCP tool (perf_tune_report_<verb>)."};
  app.set_version_flag("--version", std::string("perftunereport ") + PERFTUNEREPORT_VERSION);
  std::string campaigns_dir;
  bool as_json = false;
  app.add_option("--campaigns-dir", campaigns_dir,
                 "Campaigns root [default: $PERFREPORT_CAMPAIGNS_DIR, else ./campaigns]");
  app.add_flag("--json", as_json, "Print the verb's JSON envelope on stdout");
  app.require_subcommand(0, 1);

  // The MCP face: not a verb, it serves all of them.
  CLI::App* mcp_cmd = app.add_subcommand("mcp", "Serve every verb as an MCP tool over stdio (JSON-RPC 2.0, one message per line)");
  std::vector<std::string> allow_paths;
  mcp_cmd->add_option("--allow-path", allow_paths, "Folder (besides the campaigns root) clients may name in path arguments");
  mcp_cmd->fallthrough();

  // Every verb is a subcommand (the help lists them all), but only a verb
  // named on the command line gets its options: building all ~400 of them
  // was most of the CLI's start-up.
  std::set<std::string, std::less<>> named(argv + 1, argv + argc);
  std::map<std::string, std::vector<std::unique_ptr<Slot>>> slots;
  for (const auto& verb : verb_registry()) {
    CLI::App* sub = app.add_subcommand(verb.name, verb.summary);
    if (kebab(verb.name) != verb.name) sub->alias(kebab(verb.name));
    sub->fallthrough();
    sub->footer("\nExample:\n  " + verb.example + "\nSafety: " + safety_name(verb.safety));
    if (!named.count(verb.name) && !named.count(kebab(verb.name))) continue;
    for (const auto& p : verb.params) {
      auto slot = std::make_unique<Slot>();
      slot->spec = &p;
      std::string names = "--" + kebab(p.name);
      if (kebab(p.name) != p.name) names += ",--" + p.name;
      switch (p.type) {
        case ParamType::string:
          slot->option = sub->add_option(names, slot->s, describe(p));
          if (!p.choices.empty()) slot->option->check(CLI::IsMember(p.choices));
          if (p.positional) slot->positional = sub->add_option(p.name + "_positional", slot->s_positional, "Same as --" + kebab(p.name))->excludes(slot->option)->type_name("FILE");
          break;
        case ParamType::integer: slot->option = sub->add_option(names, slot->i, describe(p)); break;
        case ParamType::number: slot->option = sub->add_option(names, slot->d, describe(p)); break;
        case ParamType::boolean:
          // --flag sets true; --no-flag sets false; absent stays absent.
          slot->option = sub->add_flag(names + ",!--no-" + kebab(p.name), slot->b, describe(p));
          break;
        case ParamType::string_list: slot->option = sub->add_option(names, slot->list, describe(p)); break;
      }
      slots[verb.name].push_back(std::move(slot));
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  if (app.got_subcommand(mcp_cmd)) {
    mcp::ServerOptions options;
    options.campaigns_root = resolve_campaigns_root(campaigns_dir.empty() ? std::nullopt : std::optional(campaigns_dir));
    for (const auto& a : allow_paths) options.allowed_paths.emplace_back(a);
    std::error_code ec;
    std::filesystem::create_directories(options.campaigns_root, ec);
    std::cerr << "perftunereport mcp: serving " << verb_registry().size() << " tools on stdio; campaigns root "
              << options.campaigns_root.string() << "\n";
    return mcp::serve(0, 1, options);
  }

  const VerbSpec* chosen = nullptr;
  for (const auto& verb : verb_registry())
    if (app.got_subcommand(verb.name)) chosen = &verb;
  if (!chosen) {
    std::cout << app.help();
    return 2;
  }
  json args = json::object();
  for (const auto& slot : slots[chosen->name]) {
    if (slot->option->count() > 0) args[slot->spec->name] = slot->value();
    else if (slot->positional && slot->positional->count() > 0) args[slot->spec->name] = slot->s_positional;
  }

  Context ctx;
  ctx.campaigns_root = resolve_campaigns_root(campaigns_dir.empty() ? std::nullopt : std::optional(campaigns_dir));
  Envelope env = run_verb(*chosen, args, ctx);
  print_envelope(env, as_json);
  return env.exit_code;
}
