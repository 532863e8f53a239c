#include "render/report.hpp"

#include "render/chart/pdf_canvas.hpp"
#include "render/chart/svg_canvas.hpp"
#include "render/html_document.hpp"
#include "render/output_guard.hpp"
#include "render/warm_worker.hpp"

#include <fmt/format.h>
#include <condition_variable>
#include <deque>
#include <future>
#include <set>
#include <sstream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unistd.h>

#include "render/chart/axes.hpp"
#include "util/error.hpp"
#include "util/file_lock.hpp"
#include "util/fs.hpp"

namespace ptr {

namespace {

using namespace chart;

// A3 portrait: five rows of two panels stay readable.
constexpr double kPageW = 841.89, kPageH = 1190.55, kMargin = 36;
// Up to this many cells, the HTML report carries page 1 once per latency
// statistic and interactivity definition, for its switches.
constexpr size_t kMaxCellsForViews = 200;

struct PlannedPage {
  const PageSpec* spec;
  int index;  // within the spec
};

void draw_chrome(Canvas& c, const ReportInputs& in, const std::string& title, int page_no, int page_total) {
  c.text(kMargin, 18, title, Font{13, true}, Color::hex(0x111111));
  c.text(kPageW - kMargin, 20, in.config.name.empty() ? in.campaign_id : in.config.name, Font{7.5}, Color::hex(0x666666),
         Align::right);
  c.line(kMargin, 38, kPageW - kMargin, 38, Color::hex(0xcccccc), 0.6);
  double fy = kPageH - 24;
  c.line(kMargin, fy - 4, kPageW - kMargin, fy - 4, Color::hex(0xcccccc), 0.6);
  std::string left = fmt::format("campaign={}  rendered={}", in.campaign_id, in.rendered_utc);
  if (page_no == 1)
    left += "  bench capture window: " + in.capture_window;
  if (in.options.synthetic) left += "  SYNTHETIC DATA (report_smoke fixture)";
  c.text(kMargin, fy, left, Font{6.5}, in.options.synthetic ? Color::hex(0xb71c1c) : Color::hex(0x555555));
  c.text(kPageW - kMargin, fy, fmt::format("perftunereport {} · page {}/{}", PERFTUNEREPORT_VERSION, page_no, page_total),
         Font{6.5}, Color::hex(0x555555), Align::right);
}

json omission_json(const Omission& o) { return {{"page", o.page}, {"reason", o.reason}, {"how_to_fix", o.how_to_fix}}; }

// The HTML report's pages: each planned page drawn by the same page code
// into an SVG canvas (one canvas: its Pango metrics are shaped once).
std::string html_report(const ReportInputs& in, const std::vector<PlannedPage>& plan, const Rect& body, const std::vector<Omission>& omitted,
                        DrawLedger& ledger, const json& grounded, bool page1_drawn, const std::map<const PageSpec*, std::any>& prepared,
                        json& pages) {
  SvgCanvas canvas(kPageW, kPageH);
  // Page 1's panels for the other latency statistics and interactivity
  // definitions, and its SLA presets, drawn here by the same code and
  // switched in the browser (the panels not rendered travel packed until
  // chosen); skipped for large campaigns, where they would multiply the file
  // (said on the page).
  const bool with_views = in.cells.size() <= kMaxCellsForViews;
  canvas.pack_views_except({statistic_view(in.options.text("latency_statistic")), interactivity_view(in.tpot_interactivity)});
  const std::vector<TpmConfig> sla_layers = sla_presets(in.tpm_config);
  std::vector<HtmlPage> out;
  int total = static_cast<int>(plan.size());
  for (int n = 0; n < total; ++n) {
    const PlannedPage& pp = plan[n];
    std::string title = pp.spec->title + (pp.index > 0 ? fmt::format(" ({})", pp.index + 1) : "");
    auto it = prepared.find(pp.spec);
    if (pp.spec->html) {
      // Tables the browser lays out (completeness, source): no drawing.
      PageFrame frame{canvas, in, body, omitted, ledger, grounded, page1_drawn};
      frame.prepared = it != prepared.end() ? &it->second : nullptr;
      HtmlPage page;
      page.id = pp.spec->id;
      page.title = title;
      page.html = pp.spec->html(frame, pp.index);
      page.footer = fmt::format("campaign={}  rendered={}{} · perftunereport {} · page {}/{}", in.campaign_id, in.rendered_utc,
                                in.options.synthetic ? "  SYNTHETIC DATA (report_smoke fixture)" : "", PERFTUNEREPORT_VERSION, n + 1, total);
      out.push_back(std::move(page));
      pages.push_back({{"page", n + 1}, {"id", pp.spec->id}, {"title", title}});
      continue;
    }
    HtmlPage page;
    page.id = pp.spec->id;
    page.title = title;
    draw_chrome(canvas, in, title, n + 1, total);
    PageFrame frame{canvas, in, body, omitted, ledger, grounded, page1_drawn};
    frame.prepared = it != prepared.end() ? &it->second : nullptr;
    frame.sla_layers = with_views ? &sla_layers : nullptr;
    frame.view_layers = with_views;
    pp.spec->draw(frame, pp.index);
    page.svg = canvas.take_svg();
    if (pp.spec->id == "page1") {
      page.sla_layers = page.switches = with_views;
      if (!with_views)
        page.note = fmt::format("{} cells: page 1's other statistics and SLA presets are left out of the HTML to keep it small; render "
                                "with --latency-statistic / --interactivity for them, and see the SLA explorer after the pages.",
                                in.cells.size());
    }
    out.push_back(std::move(page));
    pages.push_back({{"page", n + 1}, {"id", pp.spec->id}, {"title", title}});
  }
  return html_document(in, out);
}

}  // namespace

RenderResult render_report(const fs::path& root, const RenderRequest& req, Warnings& warnings) {
  require_fonts();
  Campaign camp = open_campaign(root, req.campaign);
  FileLock lock(camp.dir, "report_render", lock_wait_seconds());
  // With both formats the HTML pages' thread loads its fonts while the atlas is read.
  std::optional<WarmWorker> html_worker;
  if (req.options.text("format") == "both") html_worker.emplace();
  ReportInputs in = load_report_inputs(camp, req.options);
  in.history = req.history;
  return render_inputs(in, req.out, warnings, req.force, html_worker ? &*html_worker : nullptr);
}

RenderResult render_inputs(const ReportInputs& in, const std::optional<fs::path>& out, Warnings& warnings, bool force,
                           WarmWorker* html_worker) {
  require_fonts();
  RenderResult res;
  if (out) refuse_foreign_outputs(*out, in.options.text("format"), force);  // before anything is drawn
  res.coverage = in.coverage;
  res.next_lever = next_lever_line(in.frontier);
  std::vector<PlannedPage> plan;
  const Rect body{kMargin, 46, kPageW - 2 * kMargin, kPageH - 46 - 36};
  // The status fields the pages ground (sol_complete, sol_rigor, ...), from
  // the plan: a page grounds a field when it is drawn.
  json grounded = json::object();
  bool page1_drawn = false;
  // --pages: a subset, checked against the registry.
  std::set<std::string> only;
  if (auto list = in.options.given("pages")) {
    std::stringstream ss(*list);
    std::string id;
    while (std::getline(ss, id, ','))
      if (!id.empty()) only.insert(id);
    for (const auto& id2 : only) {
      bool known = false;
      for (const auto& spec : report_pages()) known = known || spec.id == id2;
      if (!known) {
        std::string ids;
        for (const auto& spec : report_pages()) ids += (ids.empty() ? "" : ", ") + spec.id;
        throw_usage("--pages: unknown page '" + id2 + "'; the pages are " + ids);
      }
    }
  }
  for (const auto& spec : report_pages()) {
    if (!only.empty() && !only.count(spec.id)) continue;
    std::optional<Omission> o = page_omission(spec, in);
    int n = o ? 0 : spec.count(in, body);
    if (!o && n == 0) o = Omission{spec.id, "nothing to draw", ""};
    if (spec.status) spec.status(in, !o, grounded);
    if (o) {
      res.omitted.push_back(*o);
      add_warning(warnings, {"page_omitted", fmt::format("page {} omitted: {}", o->page, o->reason), {}, {}, {}, o->how_to_fix, {}});
      continue;
    }
    page1_drawn = page1_drawn || spec.id == "page1";
    for (int i = 0; i < n; ++i) plan.push_back({&spec, i});
  }
  std::string format = in.options.text("format");
  bool want_pdf = format != "html", want_html = format != "pdf";
  DrawLedger ledger;
  json pages = json::array();
  std::uintmax_t size = 0;
  std::map<const PageSpec*, std::any> prepared;
  for (const auto& pp : plan)
    if (pp.spec->prepare && !prepared.count(pp.spec)) prepared[pp.spec] = pp.spec->prepare(in);
  // With both formats the HTML pages are drawn on their own thread (their own
  // canvas and Pango font map, a scratch ledger: the PDF's stays the record)
  // while the PDF is drawn and emitted; everything they read is fixed by now.
  DrawLedger html_ledger;
  json html_pages = json::array();
  std::future<std::string> html_doc;
  // The job reads this function's locals: never leave before it is done.
  struct WaitForHtml {
    std::future<std::string>& doc;
    ~WaitForHtml() {
      if (doc.valid()) doc.wait();
    }
  } wait_for_html{html_doc};
  if (want_html && want_pdf) {
    auto job = [&] { return html_report(in, plan, body, res.omitted, html_ledger, grounded, page1_drawn, prepared, html_pages); };
    html_doc = html_worker ? html_worker->run(job) : std::async(std::launch::async, job);
  }
  if (want_pdf) {
    res.pdf = out ? *out : in.campaign_dir / "report.pdf";
    if (res.pdf.has_parent_path()) fs::create_directories(res.pdf.parent_path());
    fs::path tmp = res.pdf.parent_path() / ("." + res.pdf.filename().string() + ".tmp." + std::to_string(getpid()));
    // Renders killed mid-way left their temp PDFs here: gone once their process is.
    remove_stale_temps(res.pdf);

    PdfDocument doc(kPageW, kPageH);
    std::string title = fmt::format("perftunereport: {} ({})", in.config.name.empty() ? in.campaign_id : in.config.name, in.campaign_id);
    std::string keywords = fmt::format("campaign={}, rendered={}{}", in.campaign_id, in.rendered_utc, in.options.synthetic ? ", SYNTHETIC" : "");
    doc.set_info({title, keywords, std::string("perftunereport ") + PERFTUNEREPORT_VERSION, in.rendered_utc});
    // Pages are drawn (Pango shaping, PDF operators) on this thread; a second
    // thread compresses each finished page's content as soon as it is ready,
    // so drawing and compression overlap on two cores. Only this thread uses
    // Pango (its font map is per thread and may be warm).
    int total = static_cast<int>(plan.size());
    std::mutex m;
    std::condition_variable cv;
    struct ReadyPage {
      int number;
      PdfCanvas::Page page;
      std::string outline;
    };
    std::deque<ReadyPage> ready;
    bool drawing_done = false;
    std::exception_ptr emit_error;
    std::thread emitter([&] {
      try {
        for (;;) {
          ReadyPage next;
          {
            std::unique_lock<std::mutex> lock(m);
            cv.wait(lock, [&] { return !ready.empty() || drawing_done; });
            if (ready.empty()) break;
            next = std::move(ready.front());
            ready.pop_front();
          }
          doc.add_page(next.number, next.page.content, std::move(next.page.links), std::move(next.outline));
        }
      } catch (...) {
        emit_error = std::current_exception();
      }
    });
    auto finish_drawing = [&] {
      {
        std::lock_guard<std::mutex> lock(m);
        drawing_done = true;
      }
      cv.notify_all();
      emitter.join();
    };
    try {
      PdfCanvas canvas(doc);
      for (int n = 0; n < total; ++n) {
        const PlannedPage& pp = plan[n];
        std::string page_title = pp.spec->title + (pp.index > 0 ? fmt::format(" ({})", pp.index + 1) : "");
        draw_chrome(canvas, in, page_title, n + 1, total);
        PageFrame frame{canvas, in, body, res.omitted, ledger, grounded, page1_drawn};
        if (auto it = prepared.find(pp.spec); it != prepared.end()) frame.prepared = &it->second;
        pp.spec->draw(frame, pp.index);
        {
          std::lock_guard<std::mutex> lock(m);
          ready.push_back({n, canvas.take_page(), pp.index == 0 ? pp.spec->title : std::string()});
        }
        cv.notify_all();
        pages.push_back({{"page", n + 1}, {"id", pp.spec->id}, {"title", page_title}});
      }
    } catch (...) {
      finish_drawing();
      throw;
    }
    finish_drawing();
    if (emit_error) std::rethrow_exception(emit_error);
    try {
      doc.write(tmp.string());
    } catch (...) {
      fs::remove(tmp);
      throw;
    }
    size = fs::file_size(tmp);
    if (size < kMinPdfBytes) {
      fs::remove(tmp);
      throw_io(res.pdf.string(), fmt::format("rendered PDF is only {} bytes (< {}): degenerate output, not written", size, kMinPdfBytes));
    }
    fs::rename(tmp, res.pdf);
  }
  if (want_html) {
    // The same pages, drawn again into SVG: with a PDF, its ledger stays the record.
    res.html = out && !want_pdf ? *out : (out ? out->parent_path() / (out->stem().string() + ".html") : in.campaign_dir / "report.html");
    std::string doc = html_doc.valid() ? html_doc.get()
                                       : html_report(in, plan, body, res.omitted, ledger, grounded, page1_drawn, prepared, html_pages);
    if (!want_pdf) pages = html_pages;
    if (res.html.has_parent_path()) fs::create_directories(res.html.parent_path());
    atomic_write(res.html, doc, false);
  }
  for (const auto& w : ledger.notes) add_warning(warnings, {"drawing_note", w, {}, {}, {}, {}, {}});
  res.pages = static_cast<int>(plan.size());
  json omitted = json::array();
  for (const auto& o : res.omitted) omitted.push_back(omission_json(o));
  Warnings drawing;
  for (const auto& w : ledger.notes) add_warning(drawing, {"drawing_note", w, {}, {}, {}, {}, {}});
  json completeness = json::array();
  for (const auto& l : ledger.completeness.empty() ? completeness_lines(in, res.omitted, ledger, page1_drawn) : ledger.completeness)
    completeness.push_back({{"section", l.section}, {"text", l.text}, {"severe", l.severe}});
  json rate_runs = json::array();
  Warnings data_warnings;
  for (const auto& cell : in.cells) {
    for (const auto& p : cell.points)
      if (rate_only(p))
        rate_runs.push_back({{"cell", cell.cell_id}, {"request_rate", to_json(p)["request_rate"]},
                             {"output_tok_s", p.output_tok_s ? json(*p.output_tok_s) : json(nullptr)},
                             {"reason", "a request-rate run has no concurrency: kept in the atlas, not placed on the "
                                        "concurrency charts"}});
    for (const auto& w : cell.warnings) add_warning(data_warnings, w);
  }
  json render_status = {{"campaign", in.campaign_id},
                        {"rendered", in.rendered_utc},
                        {"pdf", res.pdf.empty() ? json() : json(res.pdf.string())},
                        {"html", res.html.empty() ? json() : json(res.html.string())},
                        {"pdf_bytes", size},
                        {"synthetic", in.options.synthetic},
                        {"coverage", in.coverage.to_json()},
                        // Grounded by the speed-of-light pages when they are drawn.
                        {"sol_complete", grounded.value("sol_complete", false)},
                        {"sol_rigor", grounded.value("sol_rigor", std::string("none"))},
                        {"dcgm_grounded", grounded.value("dcgm_grounded", false)},
                        {"facet", {{"field", in.facet_field.empty() ? json(nullptr) : json(in.facet_field)},
                                   {"why", in.facet_why},
                                   {"values", in.facets.size()}}},
                        {"variants", in.variants.size()},
                        {"drawing_check", {{"placed_points", ledger.placed.size()},
                                           {"skipped_labels", ledger.skipped_labels},
                                           {"failed_points_marked", ledger.failed_marked},
                                           {"undrawn_points", ledger.undrawn.size()},
                                           {"labels_over_data", ledger.overlaps}}},
                        {"completeness", completeness},
                        {"focus", in.config.focus},
                        {"bench_capture_window", in.capture_window},
                        {"pages", pages},
                        {"omitted_pages", omitted},
                        {"request_rate_runs", rate_runs},
                        {"warnings", to_json(drawing)},
                        {"data_warnings", to_json(data_warnings)}};
  // The seed names the block render_status; its fields stay at the top level too.
  res.status_json = render_status;
  res.status_json["render_status"] = render_status;
  res.status = (want_pdf ? res.pdf : res.html).parent_path() / "report_status.json";
  // Like the PDF, the status is a re-renderable artifact: atomic (rename),
  // but not fsynced; campaign data files are.
  atomic_write(res.status, res.status_json.dump(2, ' ', false, json::error_handler_t::replace) + "\n", false);
  return res;
}

}  // namespace ptr
