// Source under test: engine, version/commit, image and delivery from the
// campaign config's provenance block, and what each cell's data says. A field
// nobody recorded is listed as missing, with where to record it.
#include <fmt/format.h>
#include <map>
#include <set>

#include "render/chart/axes.hpp"
#include "render/pages/pages.hpp"

namespace ptr {

namespace {
using namespace chart;

std::string as_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

}  // namespace

PageSpec source_spec() {
  PageSpec s;
  s.id = "source";
  s.title = "Source under test";
  s.precondition = [](const ReportInputs&) { return std::optional<Omission>{}; };
  s.count = [](const ReportInputs&) { return 1; };
  s.draw = [](PageFrame& f, int) {
    Canvas& c = f.c;
    double y = f.body.y, x = f.body.x;
    const json& prov = f.in.config.provenance;
    c.text(x, y, "From the campaign config (provenance:)", Font{8.5, true}, Color::hex(0x1a237e));
    y += 16;
    const std::vector<std::pair<std::string, std::vector<std::string>>> fields = {
        {"engine", {"engine"}},
        {"version / commit", {"engine_version", "version", "commit"}},
        {"image", {"image", "container_image"}},
        {"delivery", {"delivery", "platform"}},
    };
    std::set<std::string> shown;
    for (const auto& [label, keys] : fields) {
      std::string value;
      for (const auto& k : keys)
        if (prov.contains(k) && !prov[k].is_null()) {
          value = as_text(prov[k]);
          shown.insert(k);
          break;
        }
      c.text(x + 12, y, label, Font{7.5, true}, Color::hex(0x222222));
      if (value.empty())
        c.text(x + 130, y, fmt::format("missing — add provenance.{} to the campaign config", keys[0]), Font{7.5, false, true},
               Color::hex(0xb71c1c));
      else c.text(x + 130, y, value, Font{7.5}, Color::hex(0x222222), Align::left, VAlign::top, f.body.w - 140);
      y += 14;
    }
    for (auto it = prov.begin(); it != prov.end(); ++it) {
      if (shown.count(it.key())) continue;
      c.text(x + 12, y, it.key(), Font{7.5, true}, Color::hex(0x222222));
      c.text(x + 130, y, as_text(it.value()), Font{7.5}, Color::hex(0x222222), Align::left, VAlign::top, f.body.w - 140);
      y += 14;
    }
    y += 10;
    c.text(x, y, "From the imported data (per cell)", Font{8.5, true}, Color::hex(0x1a237e));
    y += 16;
    std::map<std::string, std::vector<std::string>> groups;  // engine|version|backend|model -> cells
    for (const auto& cell : f.in.cells) {
      std::string key = fmt::format("engine {} · version {} · client {} · served model {}", cell.engine.value_or("missing"),
                                    cell.engine_version.value_or("missing"), cell.backend.value_or("missing"),
                                    cell.hf_path.value_or(cell.model.value_or("missing")));
      groups[key].push_back(cell.cell_id);
    }
    for (const auto& [key, ids] : groups) {
      if (y > f.body.bottom() - 30) break;
      Rect r = c.text(x + 12, y, key, Font{7.5, true}, Color::hex(0x222222), Align::left, VAlign::top, f.body.w - 12);
      y += r.h + 1;
      std::string list = fmt::format("{} cell(s): ", ids.size());
      for (size_t i = 0; i < ids.size(); ++i) list += (i ? ", " : "") + ids[i];
      r = c.text(x + 24, y, list, Font{7.5}, Color::hex(0x555555), Align::left, VAlign::top, f.body.w - 24);
      y += r.h + 6;
    }
  };
  return s;
}

}  // namespace ptr
