#include "render/report_model.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

#include "campaign/operations.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"
#include "util/json_lenient.hpp"
#include "util/time_utc.hpp"
#include "util/timestamp.hpp"

namespace ptr {

namespace {

// Colour encodes (hardware, TP); Tableau-10 order.
const unsigned kPalette[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                             0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};

int hardware_rank(const std::string& h) {
  static const std::vector<std::string> order = {"A100", "H100", "H200", "B200", "B300", "GB200", "GB300"};
  auto it = std::find(order.begin(), order.end(), h);
  return it == order.end() ? 100 : static_cast<int>(it - order.begin());
}

std::string variant_key(const AtlasCell& c) {
  return fmt::format("{}|{}|{}|{}|{}", c.hardware.value_or("?"), c.quant.value_or("?"), c.tensor_parallel.value_or(0),
                     c.parallel_strategy.value_or("?"), c.mtp.value_or(false) ? "mtp" : "");
}

}  // namespace

std::string variant_label(const AtlasCell& c) {
  std::string s = fmt::format("{} {} TP{}", c.hardware.value_or("?"), c.quant.value_or("?"), c.tensor_parallel.value_or(0));
  if (c.parallel_strategy && *c.parallel_strategy != "TP") s += " " + *c.parallel_strategy;
  if (c.mtp.value_or(false)) s += " MTP";
  return s;
}

ReportInputs load_report_inputs(const Campaign& c, const ReportOptions& options) {
  return report_inputs_from_cells(c, read_atlas(c), options);
}

ReportInputs report_inputs_from_cells(const Campaign& c, std::vector<AtlasCell> cells, const ReportOptions& options) {
  ReportInputs in;
  in.campaign_id = c.id;
  in.campaign_dir = c.dir;
  in.config = c.config;
  in.options = options;
  in.rendered_utc = utc_compact_now();
  in.cells = std::move(cells);
  // Variants in a stable order: hardware generation, quant, TP, strategy, MTP.
  std::vector<const AtlasCell*> order;
  for (const auto& cell : in.cells) order.push_back(&cell);
  std::sort(order.begin(), order.end(), [](const AtlasCell* a, const AtlasCell* b) {
    auto ka = std::make_tuple(hardware_rank(a->hardware.value_or("")), a->hardware.value_or(""), a->quant.value_or(""),
                              a->tensor_parallel.value_or(0), a->parallel_strategy.value_or(""), a->mtp.value_or(false));
    auto kb = std::make_tuple(hardware_rank(b->hardware.value_or("")), b->hardware.value_or(""), b->quant.value_or(""),
                              b->tensor_parallel.value_or(0), b->parallel_strategy.value_or(""), b->mtp.value_or(false));
    return ka < kb;
  });
  // Two cells with the same identity at the same mbt (an A/B of engines or
  // kernels) must not share a line: such cells get their cell id in the key.
  std::map<std::pair<std::string, long>, int> same_slot;
  for (const AtlasCell* cell : order) ++same_slot[{variant_key(*cell), cell->max_num_batched_tokens.value_or(-1)}];
  std::set<std::string> collided;
  for (const auto& [slot, n] : same_slot)
    if (n > 1) collided.insert(slot.first);
  std::map<std::string, size_t> colour_of;  // hardware|TP (+ cell for collided variants) -> palette index
  std::unordered_map<std::string, size_t> variant_index;
  std::set<long> mbts;
  std::set<std::string> stamps;
  for (const AtlasCell* cell : order) {
    add_to_coverage(in.coverage, *cell);
    std::string key = variant_key(*cell);
    std::string suffix;
    if (collided.count(key)) {
      suffix = cell->cell_id;
      key += "|" + suffix;
    }
    auto found = variant_index.find(key);
    if (found == variant_index.end()) {
      std::string ck = cell->hardware.value_or("?") + "|" + std::to_string(cell->tensor_parallel.value_or(0)) + "|" + suffix;
      if (!colour_of.count(ck)) colour_of[ck] = colour_of.size();
      Variant v;
      v.key = key;
      v.label = variant_label(*cell) + (suffix.empty() ? "" : " [" + suffix + "]");
      v.style.color = chart::Color::hex(kPalette[colour_of[ck] % 10]);
      v.style.shape = cell->parallel_strategy.value_or("TP") == "TP" ? chart::Shape::x : chart::Shape::circle;
      v.style.filled = !cell->mtp.value_or(false);
      in.variants.push_back(v);
      found = variant_index.emplace(key, in.variants.size() - 1).first;
    }
    in.variant_of_cell[cell->cell_id] = found->second;
    if (cell->max_num_batched_tokens) mbts.insert(*cell->max_num_batched_tokens);
    if (auto ts = cell->extra.find("bench_timestamps"); ts != cell->extra.end() && ts->is_object()) {
      for (const char* k : {"first", "last"})  // atlases written before stamps were parsed
        if (ts->contains(k) && (*ts)[k].is_string()) stamps.insert((*ts)[k].get<std::string>());
      if (auto list = ts->find("stamps"); list != ts->end() && list->is_array())
        for (const auto& s : *list)
          if (s.is_string()) stamps.insert(s.get<std::string>());
    }
  }
  in.tpm_config = discover_tpm_config(c.config.tpm, c.config.cost, (c.dir / "config.yaml").string());
  in.tpm_groups = compute_tpm(in.cells, in.tpm_config);
  std::stable_sort(in.tpm_groups.begin(), in.tpm_groups.end(), [](const TpmGroup& a, const TpmGroup& b) {
    double sa = a.sla ? a.sla->output_tok_s_per_gpu : -1, sb = b.sla ? b.sla->output_tok_s_per_gpu : -1;
    return sa > sb;
  });
  in.mbt_values.assign(mbts.begin(), mbts.end());
  in.cell_at.assign(in.variants.size(), std::vector<long>(in.mbt_values.size(), -1));
  for (size_t i = 0; i < in.cells.size(); ++i) {
    const AtlasCell& cell = in.cells[i];
    if (!cell.max_num_batched_tokens) continue;
    size_t col = std::lower_bound(in.mbt_values.begin(), in.mbt_values.end(), *cell.max_num_batched_tokens) - in.mbt_values.begin();
    in.cell_at[in.variant_of_cell[cell.cell_id]][col] = static_cast<long>(i);
  }
  in.capture_window = capture_window(std::vector<std::string>(stamps.begin(), stamps.end()));
  return in;
}

}  // namespace ptr
