#include "render/report_model.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

#include "campaign/operations.hpp"
#include "model/identity.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/json_lenient.hpp"
#include "util/tool_config.hpp"
#include "util/text.hpp"
#include "util/time_utc.hpp"
#include "util/timestamp.hpp"

namespace ptr {

namespace {

// Hue families, dark to light; every shade stays readable on white.
const unsigned kFamilies[][5] = {
    {0x08306b, 0x2171b5, 0x4292c6, 0x6baed6, 0x9ecae1},  // blue
    {0x7f2704, 0xd94801, 0xf16913, 0xfd8d3c, 0xfdae6b},  // orange
    {0x00441b, 0x238b45, 0x41ab5d, 0x74c476, 0xa1d99b},  // green
    {0x3f007d, 0x6a51a3, 0x807dba, 0x9e9ac8, 0xbcbddc},  // purple
    {0x67000d, 0xcb181d, 0xef3b2c, 0xfb6a4a, 0xfc9272},  // red
    {0x014636, 0x02818a, 0x3690c0, 0x67a9cf, 0xa6bddb},  // teal
    {0x49006a, 0xae017e, 0xdd3497, 0xf768a1, 0xfa9fb5},  // pink
    {0x252525, 0x525252, 0x737373, 0x969696, 0xbdbdbd},  // gray
};
constexpr size_t kNumFamilies = sizeof(kFamilies) / sizeof(kFamilies[0]);
const chart::Shape kShapes[] = {chart::Shape::circle, chart::Shape::square, chart::Shape::triangle, chart::Shape::diamond,
                                chart::Shape::x};

// Shades spread over the family so two series of one hardware never look alike.
size_t shade_index(size_t i, size_t n) {
  static const std::vector<std::vector<size_t>> spread = {{1}, {0, 3}, {0, 2, 4}, {0, 1, 3, 4}, {0, 1, 2, 3, 4}};
  if (n <= 5) return spread[n - 1][i];
  return i % 5;
}

std::string facet_label(const std::string& field, const AtlasCell& c) {
  const auto* f = find_cell_field(field);
  std::string l = f ? field_label(c, *f) : "";
  return l.empty() ? field + " unknown" : l;
}

// mbt when it varies; else the workload field that varies most (different
// workloads must not share axes); else the model; else nothing: what is
// left to vary is what the panels compare.
std::pair<std::string, std::string> choose_facet(const std::vector<AtlasCell>& cells, const ReportOptions& o) {
  std::string asked = o.text("facet");
  if (asked == "none") return {"", "--facet none"};
  if (asked != "auto") return {asked, "--facet " + asked};
  auto distinct = [&](const char* name) {
    std::set<std::string> v;
    if (const auto* f = find_cell_field(name))
      for (const auto& c : cells) v.insert(field_value(c, *f));
    return v.size();
  };
  if (distinct("max_num_batched_tokens") > 1) return {"max_num_batched_tokens", "mbt varies"};
  std::string best;
  size_t most = 1;
  for (const char* w : {"isl", "osl", "dataset", "cache_mode"})
    if (size_t n = distinct(w); n > most) {
      most = n;
      best = w;
    }
  if (!best.empty()) return {best, best + " varies (workloads never share axes)"};
  if (distinct("model") > 1) return {"model", "model varies"};
  return {"", "nothing but the variants varies"};
}

}  // namespace

int hardware_rank(const std::string& h) {
  static const std::vector<std::string> order = {"A100", "L40S", "H100", "H200", "B200", "B300", "GB200", "GB300"};
  auto it = std::find(order.begin(), order.end(), h);
  return it == order.end() ? 100 : static_cast<int>(it - order.begin());
}

std::vector<chart::MarkStyle> series_styles(const std::vector<std::string>& hardware, const std::vector<bool>& hollow,
                                            const std::vector<std::string>& campaign_hardware) {
  // Families are fixed by the campaign's hardware, so a hardware keeps its
  // hue on every page and in every small multiple.
  std::vector<std::string> kinds;
  for (const auto& h : campaign_hardware)
    if (std::find(kinds.begin(), kinds.end(), h) == kinds.end()) kinds.push_back(h);
  std::sort(kinds.begin(), kinds.end(), [](const std::string& a, const std::string& b) {
    return std::make_pair(hardware_rank(a), a) < std::make_pair(hardware_rank(b), b);
  });
  std::vector<chart::MarkStyle> out(hardware.size());
  if (kinds.size() <= 1) {
    // One hardware: the hue is free to tell the series apart.
    for (size_t i = 0; i < hardware.size(); ++i) {
      out[i].color = chart::Color::hex(kFamilies[i % kNumFamilies][i / kNumFamilies % 2 ? 3 : 1]);
      out[i].shape = kShapes[i % 5];
    }
  } else {
    std::map<std::string, std::vector<size_t>> members;
    for (size_t i = 0; i < hardware.size(); ++i) members[hardware[i]].push_back(i);
    for (size_t k = 0; k < kinds.size(); ++k) {
      if (!members.count(kinds[k])) continue;
      const auto& m = members[kinds[k]];
      // (shade, shape) pairs stay distinct up to 25 series of one hardware.
      for (size_t j = 0; j < m.size(); ++j) {
        size_t shade = m.size() <= 5 ? shade_index(j, m.size()) : (j + j / 5) % 5;
        out[m[j]].color = chart::Color::hex(kFamilies[k % kNumFamilies][shade]);
        out[m[j]].shape = kShapes[j % 5];
      }
    }
  }
  for (size_t i = 0; i < out.size(); ++i) out[i].filled = !(i < hollow.size() && hollow[i]);
  return out;
}

namespace {

// kernels.json and ncu.json of every cell that has them.
void load_kernel_evidence(ReportInputs& in, const Campaign& c) {
  if (c.dir.empty()) return;  // cells made in memory (page tests)
  for (const auto* list : {&in.cells, &in.roofline_cells})
    for (const auto& cell : *list) {
      fs::path dir = c.cells_dir() / cell.cell_id;
      fs::path k = dir / "kernels.json", n = dir / "ncu.json";
      std::error_code ec;
      if (fs::exists(k, ec)) {
        json j;
        try {
          j = parse_json_lenient(read_file(k), k.string());
        } catch (Error& e) {
          throw_input(k.string(), "KernelsJsonMalformed: (file): " + e.message, e.line);
        }
        in.kernels_of_cell.emplace(cell.cell_id, kernel_breakdown_from_json(j, k.string()));
      }
      if (fs::exists(n, ec)) in.ncu_of_cell.emplace(cell.cell_id, ncu_captures_from_json(parse_json_lenient(read_file(n), n.string()), n.string()));
    }
}

// cells/<id>/requests.csv of every serving cell whose points say they have
// per-request rows; a malformed table stops the render, naming its line.
void load_request_tables(ReportInputs& in, const Campaign& c) {
  if (c.dir.empty()) return;
  auto tables = std::make_shared<ReportInputs::RequestTables>();
  for (const auto& cell : in.cells) {
    bool any = std::any_of(cell.points.begin(), cell.points.end(), [](const Point& p) { return p.extra.contains("per_request"); });
    if (!any) continue;
    fs::path table = c.cells_dir() / cell.cell_id / kRequestTableFile;
    std::error_code ec;
    if (!fs::is_regular_file(table, ec))
      throw_input(table.string(), "the atlas says this cell has per-request rows, but the table is missing", -1, {},
                  "re-import the cell (import_perf_bench) to rebuild it, then atlas_aggregate");
    tables->emplace(cell.cell_id, parse_request_table(read_file(table), table.string()));
  }
  in.requests_of_cell = std::move(tables);
}

// The GPU ceilings, or why there are none. A malformed file throws (the render stops).
std::pair<std::shared_ptr<const SolCeilings>, std::string> load_ceilings(const fs::path& campaign_dir) {
  if (auto path = find_tool_config("sol-ceilings.yaml", "SOL_CEILINGS_YAML", campaign_dir)) {
    require_regular_file(*path);
    return {std::make_shared<const SolCeilings>(parse_sol_ceilings(read_file(*path), path->string())), ""};
  }
  return {nullptr, "no configs/sol-ceilings.yaml found (SOL_CEILINGS_YAML, the campaign folder and above, beside the binary)"};
}

}  // namespace

std::string variant_series(size_t i) { return "v" + std::to_string(i); }
std::string sla_layer(size_t i) { return "sla-" + std::to_string(i); }

std::vector<TpmConfig> sla_presets(const TpmConfig& campaign) {
  std::vector<TpmConfig> out = {campaign};
  for (double ttft : {1000.0, 2000.0, 5000.0})
    for (double tpot : {20.0, 50.0, 100.0}) {
      if (ttft == campaign.ttft_sla_ms && tpot == campaign.tpot_sla_ms) continue;
      TpmConfig c = campaign;
      c.ttft_sla_ms = ttft;
      c.tpot_sla_ms = tpot;
      out.push_back(c);
    }
  return out;
}

ReportInputs load_report_inputs(const Campaign& c, const ReportOptions& options) {
  ReportInputs in = report_inputs_from_cells(c, read_atlas(c), options);
  load_request_tables(in, c);
  return in;
}

ReportInputs report_inputs_from_cells(const Campaign& c, std::vector<AtlasCell> cells, const ReportOptions& options) {
  ReportInputs in;
  in.campaign_id = c.id;
  in.campaign_dir = c.dir;
  in.config = c.config;
  in.options = options;
  in.rendered_utc = utc_compact_now();
  for (auto& cell : cells) (is_roofline_sweep(cell) ? in.roofline_cells : in.cells).push_back(std::move(cell));
  in.tpot_interactivity = options.text("interactivity") == "tpot";

  std::tie(in.facet_field, in.facet_why) = choose_facet(in.cells, options);
  std::set<std::string> exclude;
  if (!in.facet_field.empty()) exclude.insert(in.facet_field);
  const IdentityLabeler identity(in.cells, exclude);

  // Facets in natural order, unknown last.
  std::map<std::string, std::string> facet_labels;
  const auto* facet_spec = in.facet_field.empty() ? nullptr : find_cell_field(in.facet_field);
  for (const auto& cell : in.cells) {
    std::string v = facet_spec ? field_value(cell, *facet_spec) : "";
    facet_labels.emplace(v, facet_spec ? facet_label(in.facet_field, cell) : "all cells");
  }
  for (const auto& [v, l] : facet_labels) in.facets.push_back({v, l});
  std::sort(in.facets.begin(), in.facets.end(), [](const Facet& a, const Facet& b) {
    if ((a.value == "?") != (b.value == "?")) return b.value == "?";
    return natural_less(a.value, b.value);
  });

  // Variants: hardware generation, then label in natural order.
  std::map<std::string, size_t> index_of_key;
  for (const auto& cell : in.cells) {
    std::string key = identity.key(cell);
    if (index_of_key.count(key)) continue;
    index_of_key[key] = in.variants.size();
    Variant v;
    v.key = key;
    v.label = identity.label(cell);
    v.hardware = cell.hardware.value_or("");
    v.style.filled = !cell.mtp.value_or(false);
    in.variants.push_back(v);
  }
  std::sort(in.variants.begin(), in.variants.end(), [](const Variant& a, const Variant& b) {
    int ra = hardware_rank(a.hardware), rb = hardware_rank(b.hardware);
    if (ra != rb) return ra < rb;
    if (a.hardware != b.hardware) return a.hardware < b.hardware;
    return natural_less(a.label, b.label);
  });
  in.chunks = std::max<size_t>(1, (in.variants.size() + kVariantsPerChunk - 1) / kVariantsPerChunk);
  std::vector<std::string> all_hardware;
  for (const auto& cell : in.cells) all_hardware.push_back(cell.hardware.value_or(""));
  for (size_t first = 0; first < in.variants.size(); first += kVariantsPerChunk) {
    size_t n = std::min(kVariantsPerChunk, in.variants.size() - first);
    std::vector<std::string> hw;
    std::vector<bool> hollow;
    for (size_t i = first; i < first + n; ++i) {
      hw.push_back(in.variants[i].hardware);
      hollow.push_back(!in.variants[i].style.filled);
    }
    auto styles = series_styles(hw, hollow, all_hardware);
    for (size_t i = 0; i < n; ++i) {
      in.variants[first + i].style = styles[i];
      in.variants[first + i].chunk = first / kVariantsPerChunk;
    }
  }
  std::unordered_map<std::string, size_t> variant_index;
  for (size_t i = 0; i < in.variants.size(); ++i) variant_index[in.variants[i].key] = i;
  std::unordered_map<std::string, size_t> facet_index;
  for (size_t i = 0; i < in.facets.size(); ++i) facet_index[in.facets[i].value] = i;

  in.cell_at.assign(in.variants.size(), std::vector<long>(in.facets.size(), -1));
  std::set<std::string> stamps;
  for (size_t i = 0; i < in.cells.size(); ++i) {
    const AtlasCell& cell = in.cells[i];
    add_to_coverage(in.coverage, cell);
    size_t v = variant_index.at(identity.key(cell));
    size_t f = facet_index.at(facet_spec ? field_value(cell, *facet_spec) : "");
    in.variant_of_cell[cell.cell_id] = v;
    in.facet_of_cell[cell.cell_id] = f;
    in.cell_at[v][f] = static_cast<long>(i);
    if (auto ts = cell.extra.find("bench_timestamps"); ts != cell.extra.end() && ts->is_object()) {
      for (const char* k : {"first", "last"})  // atlases written before stamps were parsed
        if (ts->contains(k) && (*ts)[k].is_string()) stamps.insert((*ts)[k].get<std::string>());
      if (auto list = ts->find("stamps"); list != ts->end() && list->is_array())
        for (const auto& s : *list)
          if (s.is_string()) stamps.insert(s.get<std::string>());
    }
  }
  in.capture_window = capture_window(std::vector<std::string>(stamps.begin(), stamps.end()));

  in.tpm_config = discover_tpm_config(c.config.tpm, c.config.cost, (c.dir / "config.yaml").string());
  in.tpm_groups = compute_tpm(in.cells, in.tpm_config);
  std::stable_sort(in.tpm_groups.begin(), in.tpm_groups.end(), [](const TpmGroup& a, const TpmGroup& b) {
    double sa = a.sla ? a.sla->output_tok_s_per_gpu : -1, sb = b.sla ? b.sla->output_tok_s_per_gpu : -1;
    if (sa != sb) return sa > sb;
    return natural_less(a.label, b.label);
  });
  // A TPM row is a page-1 variant when the facet is mbt or nothing: it keeps
  // that variant's colour on every page. Otherwise rows get their own.
  std::unordered_map<std::string, const AtlasCell*> cell_by_id;
  for (const auto& cell : in.cells) cell_by_id[cell.cell_id] = &cell;
  bool same_grouping = in.facet_field.empty() || in.facet_field == "max_num_batched_tokens";
  for (size_t first = 0; first < in.tpm_groups.size() && same_grouping; ++first) {
    const AtlasCell& front = *cell_by_id.at(in.tpm_groups[first].cells.front());
    in.tpm_styles.push_back(in.variant(front).style);
    in.tpm_series.push_back(variant_series(in.variant_of_cell.at(front.cell_id)));  // hidden with its page-1 variant
  }
  for (size_t first = 0; first < in.tpm_groups.size() && !same_grouping; first += kVariantsPerChunk) {
    size_t n = std::min(kVariantsPerChunk, in.tpm_groups.size() - first);
    std::vector<std::string> hw;
    std::vector<bool> hollow;
    for (size_t i = first; i < first + n; ++i) {
      hw.push_back(in.tpm_groups[i].hardware == "?" ? "" : in.tpm_groups[i].hardware);
      hollow.push_back(in.tpm_groups[i].mtp);
    }
    for (auto& s : series_styles(hw, hollow, all_hardware)) in.tpm_styles.push_back(s);
    for (size_t i = first; i < first + n; ++i) in.tpm_series.push_back("t" + std::to_string(i));
  }
  for (const auto& cell : in.cells) in.sla_of_cell.emplace(cell.cell_id, cell_sla(cell, in.tpm_config));
  std::tie(in.ceilings, in.ceilings_missing) = load_ceilings(c.dir);
  load_kernel_evidence(in, c);
  {
    std::vector<const AtlasCell*> all;
    for (const auto* list : {&in.cells, &in.roofline_cells})
      for (const auto& cell : *list) all.push_back(&cell);
    in.frontier = value_view(all, in.ceilings.get(), declared_frontier(c.config.frontier, (c.dir / "config.yaml").string()));
  }
  if (fs::path ch = c.dir / "champion_select.json"; !c.dir.empty() && fs::exists(ch)) {
    in.champion = parse_json_lenient(read_file(ch), ch.string());
    if (!in.champion.is_object() || in.champion.value("schema", "") != "champion_select_v1" || !in.champion.contains("ranked") ||
        !in.champion["ranked"].is_array())
      throw_input(ch.string(), "not a champion_select_v1 result", -1, "schema", "re-run champion_select");
  }
  return in;
}

}  // namespace ptr
