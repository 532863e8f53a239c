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
#include "render/chart/svg_canvas.hpp"
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

// What the provenance block says, for the drawing and for the HTML table.
struct ProvenanceRow {
  std::string label;
  std::optional<std::string> value, url;
  std::string key;          // where to record it when missing
  bool none_recorded = false;  // "none recorded" rather than missing (infra patch)
};
struct ProvenanceView {
  std::string from;  // where the block came from, and the registry
  std::vector<ProvenanceRow> rows;
  std::string more;  // "… N more key(s)"
  std::vector<std::string> conflicts;
  std::string rule;
  bool flagged = false;  // cells of several deliveries
};

ProvenanceView provenance_view(const ReportInputs& in) {
  ProvenanceView v;
  ExperimentProvenance prov = read_provenance(in.config, in.campaign_dir);
  SourceRegistry registry = load_source_registry(in.campaign_dir);
  std::string engine = prov.get("engine").value_or(engine_of(in));
  auto repo = repository_for(prov, registry, engine);
  std::string from = prov.sources.empty() ? "nowhere yet" : "";
  for (const auto& s : prov.sources) from += (from.empty() ? "" : " + ") + s;
  v.from = fmt::format("From {}; repository links via {}.", from,
                       registry.file ? registry.file->string() : std::string("no source registry (configs/source-registry.yaml)"));
  auto row = [&](const std::string& label, const std::optional<std::string>& value, const std::optional<std::string>& url,
                 const std::string& key) { v.rows.push_back({label, value, url, key}); };
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
  else v.rows.push_back({"infra patch", std::string("none recorded"), std::nullopt, "infra_patch", true});
  if (auto notes = prov.get("notes")) row("notes", notes->size() > 300 ? notes->substr(0, 300) + "…" : *notes, std::nullopt, "notes");
  // At most six extra keys and three conflicts: the block keeps its size so
  // the cell table's page split holds.
  size_t shown = 0;
  for (auto it = prov.other.begin(); it != prov.other.end() && shown < 6; ++it, ++shown) {
    std::string val = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
    row(it.key(), val.size() > 160 ? val.substr(0, 160) + "…" : val, std::nullopt, it.key());
  }
  if (prov.other.size() > shown) v.more = fmt::format("… {} more key(s) in the provenance block", prov.other.size() - shown);
  for (size_t i = 0; i < prov.conflicts.size() && i < 3; ++i) v.conflicts.push_back(prov.conflicts[i]);
  // The delivery rule, and whether this report compares across deliveries.
  std::map<std::string, int> deliveries;
  for (const auto& cell : in.cells) deliveries[cell.delivery.value_or("unrecorded")]++;
  v.rule = "A number is evidence only for its own delivery (image, overlay, infr-patch ...): a result measured on an overlay says "
           "nothing about the released image. Each cell records its delivery below.";
  if (deliveries.size() > 1) {
    std::string list;
    for (const auto& [d, n] : deliveries) list += fmt::format("{}{} ({} cell{})", list.empty() ? "" : ", ", d, n, n == 1 ? "" : "s");
    v.rule += " FLAGGED: this report compares cells of different deliveries — " + list +
              ". A gap between them mixes the change under test with how it was delivered.";
    v.flagged = true;
  }
  return v;
}

std::string missing_text(const ProvenanceRow& r) {
  return fmt::format("missing — add {} to the config's provenance: block or experiment_provenance.yaml", r.key);
}

void draw_provenance(PageFrame& f, double& y) {
  Canvas& c = f.c;
  double x = f.body.x, vx = x + 130, vw = f.body.w - 140;
  ProvenanceView v = provenance_view(f.in);
  c.text(x, y, fmt::format("Source under test ({})", kProvenanceSchema), Font{8.5, true}, Color::hex(0x1a237e));
  y += 14;
  c.text(x + 12, y, v.from, Font{6.5, false, true}, Color::hex(0x555555), Align::left, VAlign::top, f.body.w - 12);
  y += 12;
  for (const auto& r : v.rows) {
    c.text(x + 12, y, r.label, Font{7.5, true}, Color::hex(0x222222));
    double h;
    if (r.none_recorded) h = c.text(vx, y, *r.value, Font{7.5}, Color::hex(0x555555)).h;
    else if (!r.value)
      h = c.text(vx, y, missing_text(r), Font{7.5, false, true}, Color::hex(0xb71c1c), Align::left, VAlign::top, vw).h;
    else h = linked_text(c, vx, y, *r.value, r.url, vw);
    y += std::max(h, 10.0) + 3;
  }
  if (!v.more.empty()) {
    c.text(x + 12, y, v.more, Font{7.5, false, true}, Color::hex(0x555555));
    y += 12;
  }
  for (const auto& conflict : v.conflicts) {
    Rect r = c.text(x + 12, y, "conflict: " + conflict, Font{7.5, false, true}, Color::hex(0xb71c1c), Align::left, VAlign::top,
                    f.body.w - 12);
    y += r.h + 2;
  }
  y += 6;
  Rect r = c.text(x, y, v.rule, Font{7.5, v.flagged}, v.flagged ? Color::hex(0xb71c1c) : Color::hex(0x333333), Align::left,
                  VAlign::top, f.body.w);
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

std::vector<std::string> cell_values(const ReportInputs& in, const AtlasCell& cell) {
  return {
      cell.cell_id,
      in.variant(cell).label,
      cell.engine.value_or("missing"),
      cell.engine_version ? *cell.engine_version + from_data_mark(cell, "engine_version") : "missing",
      cell.hf_path ? *cell.hf_path + from_data_mark(cell, "hf_path") : cell.model.value_or("missing"),
      cell.delivery.value_or("unrecorded"),
      cell.backend.value_or("?"),
  };
}

bool is_missing(const std::string& v) { return v == "missing" || v == "unrecorded"; }

std::string cells_title(const ReportInputs& in) {
  return fmt::format("Cells ({}; '(data)' = read from the results, the config being silent)", in.cells.size());
}

// The HTML report's version of a page: the same block and rows, as tables.
std::string source_html(PageFrame& f, size_t first, size_t count, bool with_provenance) {
  using chart::xml_escape;
  std::string html;
  if (with_provenance) {
    ProvenanceView v = provenance_view(f.in);
    html += fmt::format("<h3>Source under test ({})</h3>\n<p class=\"note\">{}</p>\n<table class=\"plain\">\n", kProvenanceSchema,
                        xml_escape(v.from));
    for (const auto& r : v.rows) {
      std::string value = !r.value ? "<span class=\"severe\">" + xml_escape(missing_text(r)) + "</span>"
                          : r.url  ? "<a href=\"" + xml_escape(*r.url) + "\">" + xml_escape(*r.value) + "</a>"
                                   : xml_escape(*r.value);
      html += "<tr><th>" + xml_escape(r.label) + "</th><td>" + value + "</td></tr>\n";
    }
    html += "</table>\n";
    if (!v.more.empty()) html += "<p class=\"note\">" + xml_escape(v.more) + "</p>\n";
    for (const auto& conflict : v.conflicts) html += "<p class=\"severe\">conflict: " + xml_escape(conflict) + "</p>\n";
    html += fmt::format("<p{}>{}</p>\n", v.flagged ? " class=\"severe\"" : "", xml_escape(v.rule));
  }
  html += "<h3>" + xml_escape(cells_title(f.in)) + "</h3>\n<table class=\"plain\"><thead><tr>";
  for (const auto& col : cell_columns()) html += std::string("<th>") + col.head + "</th>";
  html += "</tr></thead><tbody>\n";
  for (size_t i = first; i < first + count; ++i) {
    const AtlasCell& cell = f.in.cells[i];
    html += "<tr data-role=\"data\" data-id=\"" + xml_escape(cell.cell_id) + "\" tabindex=\"0\">";
    for (const auto& v : cell_values(f.in, cell))
      html += (is_missing(v) ? "<td class=\"severe\">" : "<td>") + xml_escape(v) + "</td>";
    html += "</tr>\n";
  }
  return html + "</tbody></table>\n";
}

void draw_cell_table(PageFrame& f, double& y, size_t first, size_t count) {
  Canvas& c = f.c;
  const ReportInputs& in = f.in;
  double x = f.body.x;
  const auto& cols = cell_columns();
  c.text(x, y, cells_title(in), Font{8.5, true}, Color::hex(0x1a237e));
  y += 14;
  double cx = x;
  c.rect_fill({x, y, f.body.w, kCellRowH + 1}, Color::hex(0xe8eaf6));
  for (const auto& col : cols) {
    c.text(cx + 2, y + 1.5, col.head, Font{6.5, true}, Color::hex(0x1a237e));
    cx += col.w;
  }
  y += kCellRowH + 2;
  for (size_t i = first; i < first + count; ++i) {
    std::vector<std::string> vals = cell_values(in, in.cells[i]);
    cx = x;
    for (size_t k = 0; k < cols.size(); ++k) {
      bool missing = is_missing(vals[k]);
      // One line per cell: a long value is cut at the column, never wrapped at hyphens.
      Font font{6.5, false, missing};
      c.text(cx + 2, y, fit_text(c, vals[k], font, cols[k].w - 5), font, missing ? Color::hex(0xb71c1c) : Color::hex(0x222222));
      cx += cols[k].w;
    }
    y += kCellRowH;
    c.line(x, y - 0.5, x + f.body.w, y - 0.5, Color::hex(0xeeeeee), 0.3);
  }
}

// The cells a physical page lists: the first page has the provenance block above them.
std::pair<size_t, size_t> rows_of_page(const PageFrame& f, int index) {
  if (index == 0) return {0, std::min(f.in.cells.size(), rows_first(f.body))};
  size_t first = rows_first(f.body) + (static_cast<size_t>(index) - 1) * rows_next(f.body);
  return {first, std::min(f.in.cells.size() - first, rows_next(f.body))};
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
    auto [first, count] = rows_of_page(f, index);
    if (index == 0) draw_provenance(f, y);
    draw_cell_table(f, y, first, count);
  };
  s.html = [](PageFrame& f, int index) {
    auto [first, count] = rows_of_page(f, index);
    return source_html(f, first, count, index == 0);
  };
  return s;
}

}  // namespace ptr
