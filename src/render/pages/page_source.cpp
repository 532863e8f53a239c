// Source under test: the experiment_provenance_v1 block (engine commit,
// delivery, infra patch, repository) from the config and/or the campaign's
// bundle file, linked through the source registry; the rule that a number is
// evidence only for its own delivery; then every cell with what its data
// says (engine version and served model path from the data when the config
// is silent). A field nobody recorded is listed as missing, with where to
// record it.
#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

#include "campaign/provenance.hpp"
#include "render/chart/axes.hpp"
#include "render/chart/marks.hpp"
#include "render/pages/pages.hpp"

namespace ptr {

namespace {

using namespace chart;

constexpr double kCellRowH = 11;
constexpr double kFirstPageBlock = 360;  // provenance block and notes above the cell table

size_t rows_first(const Rect& body) { return static_cast<size_t>(std::max(5.0, (body.h - kFirstPageBlock) / kCellRowH)); }
size_t rows_next(const Rect& body) { return static_cast<size_t>(std::max(5.0, (body.h - 40) / kCellRowH)); }

std::string from_data_mark(const AtlasCell& c, const char* field) {
  auto it = c.extra.find("descriptor_from_data");
  return it != c.extra.end() && it->is_object() && it->contains(field) ? " (data)" : "";
}

std::string engine_of(const ReportInputs& in) {
  std::set<std::string> engines;
  for (const auto& c : in.cells)
    if (c.engine) engines.insert(*c.engine);
  return engines.size() == 1 ? *engines.begin() : "";
}

// A value, linked when it has a URL.
double linked_text(Canvas& c, double x, double y, const std::string& text, const std::optional<std::string>& url, double w) {
  Color colour = url ? Color::hex(0x1a56c8) : Color::hex(0x222222);
  Rect r = c.text(x, y, text, Font{7.5}, colour, Align::left, VAlign::top, w);
  if (url) {
    c.line(r.x, r.bottom() - 0.5, r.right(), r.bottom() - 0.5, colour, 0.4);
    c.link(r, *url);
  }
  return r.h;
}

void draw_provenance(PageFrame& f, double& y) {
  Canvas& c = f.c;
  const ReportInputs& in = f.in;
  double x = f.body.x, vx = x + 130, vw = f.body.w - 140;
  ExperimentProvenance prov = read_provenance(in.config, in.campaign_dir);
  SourceRegistry registry = load_source_registry(in.campaign_dir);
  std::string engine = prov.get("engine").value_or(engine_of(in));
  auto repo = repository_for(prov, registry, engine);

  c.text(x, y, fmt::format("Source under test ({})", kProvenanceSchema), Font{8.5, true}, Color::hex(0x1a237e));
  y += 14;
  std::string from = prov.sources.empty() ? "nowhere yet" : "";
  for (const auto& s : prov.sources) from += (from.empty() ? "" : " + ") + s;
  c.text(x + 12, y,
         fmt::format("From {}; repository links via {}.", from,
                     registry.file ? registry.file->string() : std::string("no source registry (configs/source-registry.yaml)")),
         Font{6.5, false, true}, Color::hex(0x555555), Align::left, VAlign::top, f.body.w - 12);
  y += 12;
  auto row = [&](const std::string& label, const std::optional<std::string>& value, const std::optional<std::string>& url,
                 const std::string& key) {
    c.text(x + 12, y, label, Font{7.5, true}, Color::hex(0x222222));
    double h;
    if (!value)
      h = c.text(vx, y, fmt::format("missing — add {} to the config's provenance: block or experiment_provenance.yaml", key),
                 Font{7.5, false, true}, Color::hex(0xb71c1c), Align::left, VAlign::top, vw)
              .h;
    else h = linked_text(c, vx, y, *value, url, vw);
    y += std::max(h, 10.0) + 3;
  };
  row("engine", engine.empty() ? std::nullopt : std::optional(engine), std::nullopt, "engine");
  // The config silent, the data speaks when every cell that knows agrees.
  auto version = prov.get("engine_version");
  if (!version) {
    std::set<std::string> seen;
    size_t known = 0;
    for (const auto& cell : in.cells)
      if (cell.engine_version) {
        seen.insert(*cell.engine_version);
        ++known;
      }
    if (seen.size() == 1) version = fmt::format("{} (from the data: {} of {} cells)", *seen.begin(), known, in.cells.size());
    else if (seen.size() > 1) version = fmt::format("{} different versions in the data (see the cells below)", seen.size());
  }
  row("engine version", version, std::nullopt, "engine_version");
  auto commit = prov.get("engine_commit");
  row("engine commit", commit, commit && repo ? commit_url(registry, engine, *repo, *commit) : std::nullopt, "engine_commit");
  row("repository", repo, repo && linkable_url(*repo) ? repo : std::nullopt, "repository");
  row("delivery", prov.get("delivery"), std::nullopt, "delivery");
  row("image", prov.get("image"), std::nullopt, "image");
  auto patch = prov.get("infra_patch");
  auto patch_url = prov.get("infra_patch_url");
  std::optional<std::string> patch_link = patch_url && linkable_url(*patch_url) ? patch_url
                                          : patch && linkable_url(*patch)      ? patch
                                                                               : std::nullopt;
  if (patch || patch_url) row("infra patch", patch ? patch : patch_url, patch_link, "infra_patch");
  else {
    c.text(x + 12, y, "infra patch", Font{7.5, true}, Color::hex(0x222222));
    c.text(vx, y, "none recorded", Font{7.5}, Color::hex(0x555555));
    y += 13;
  }
  if (auto notes = prov.get("notes")) row("notes", notes->size() > 300 ? notes->substr(0, 300) + "…" : *notes, std::nullopt, "notes");
  // At most six extra keys and three conflicts: the block keeps its size so
  // the cell table's page split holds.
  size_t shown = 0;
  for (auto it = prov.other.begin(); it != prov.other.end() && shown < 6; ++it, ++shown) {
    std::string v = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
    row(it.key(), v.size() > 160 ? v.substr(0, 160) + "…" : v, std::nullopt, it.key());
  }
  if (prov.other.size() > shown) {
    c.text(x + 12, y, fmt::format("… {} more key(s) in the provenance block", prov.other.size() - shown), Font{7.5, false, true},
           Color::hex(0x555555));
    y += 12;
  }
  for (size_t i = 0; i < prov.conflicts.size() && i < 3; ++i) {
    const std::string& conflict = prov.conflicts[i];
    Rect r = c.text(x + 12, y, "conflict: " + conflict, Font{7.5, false, true}, Color::hex(0xb71c1c), Align::left, VAlign::top,
                    f.body.w - 12);
    y += r.h + 2;
  }
  y += 6;
  // The delivery rule, and whether this report compares across deliveries.
  std::map<std::string, int> deliveries;
  for (const auto& cell : in.cells) deliveries[cell.delivery.value_or("unrecorded")]++;
  std::string rule =
      "A number is evidence only for its own delivery (image, overlay, infr-patch ...): a result measured on an overlay says "
      "nothing about the released image. Each cell records its delivery below.";
  if (deliveries.size() > 1) {
    std::string list;
    for (const auto& [d, n] : deliveries) list += fmt::format("{}{} ({} cell{})", list.empty() ? "" : ", ", d, n, n == 1 ? "" : "s");
    rule += " FLAGGED: this report compares cells of different deliveries — " + list +
            ". A gap between them mixes the change under test with how it was delivered.";
  }
  Rect r = c.text(x, y, rule, Font{7.5, deliveries.size() > 1}, deliveries.size() > 1 ? Color::hex(0xb71c1c) : Color::hex(0x333333),
                  Align::left, VAlign::top, f.body.w);
  y += r.h + 10;
}

struct CellCol {
  const char* head;
  double w;
};

const std::vector<CellCol>& cell_columns() {
  static const std::vector<CellCol> cols = {{"cell id", 150}, {"variant", 150}, {"engine", 44},   {"engine version", 92},
                                            {"served model", 150}, {"delivery", 110}, {"client", 60}};
  return cols;
}

void draw_cell_table(PageFrame& f, double& y, size_t first, size_t count) {
  Canvas& c = f.c;
  const ReportInputs& in = f.in;
  double x = f.body.x;
  const auto& cols = cell_columns();
  c.text(x, y, fmt::format("Cells ({}; '(data)' = read from the results, the config being silent)", in.cells.size()),
         Font{8.5, true}, Color::hex(0x1a237e));
  y += 14;
  double cx = x;
  c.rect_fill({x, y, f.body.w, kCellRowH + 1}, Color::hex(0xe8eaf6));
  for (const auto& col : cols) {
    c.text(cx + 2, y + 1.5, col.head, Font{6.5, true}, Color::hex(0x1a237e));
    cx += col.w;
  }
  y += kCellRowH + 2;
  for (size_t i = first; i < first + count; ++i) {
    const AtlasCell& cell = in.cells[i];
    std::vector<std::string> vals = {
        cell.cell_id,
        in.variant(cell).label,
        cell.engine.value_or("missing"),
        cell.engine_version ? *cell.engine_version + from_data_mark(cell, "engine_version") : "missing",
        cell.hf_path ? *cell.hf_path + from_data_mark(cell, "hf_path") : cell.model.value_or("missing"),
        cell.delivery.value_or("unrecorded"),
        cell.backend.value_or("?"),
    };
    cx = x;
    for (size_t k = 0; k < cols.size(); ++k) {
      bool missing = vals[k] == "missing" || vals[k] == "unrecorded";
      // One line per cell: a long value is cut at the column, never wrapped at hyphens.
      Font font{6.5, false, missing};
      c.text(cx + 2, y, fit_text(c, vals[k], font, cols[k].w - 5), font, missing ? Color::hex(0xb71c1c) : Color::hex(0x222222));
      cx += cols[k].w;
    }
    y += kCellRowH;
    c.line(x, y - 0.5, x + f.body.w, y - 0.5, Color::hex(0xeeeeee), 0.3);
  }
}

}  // namespace

PageSpec source_spec() {
  PageSpec s;
  s.id = "source";
  s.title = "Source under test";
  s.count = [](const ReportInputs& in, const Rect& body) {
    size_t first = rows_first(body);
    if (in.cells.size() <= first) return 1;
    return 1 + static_cast<int>((in.cells.size() - first + rows_next(body) - 1) / rows_next(body));
  };
  s.draw = [](PageFrame& f, int index) {
    double y = f.body.y;
    size_t first = 0, count;
    if (index == 0) {
      draw_provenance(f, y);
      count = std::min(f.in.cells.size(), rows_first(f.body));
    } else {
      first = rows_first(f.body) + (static_cast<size_t>(index) - 1) * rows_next(f.body);
      count = std::min(f.in.cells.size() - first, rows_next(f.body));
    }
    draw_cell_table(f, y, first, count);
  };
  return s;
}

}  // namespace ptr
