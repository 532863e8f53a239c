#include "render/html_document.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "util/error.hpp"
#include "util/gzip_base64.hpp"

#include "model/identity.hpp"
#include "render/chart/svg_canvas.hpp"

namespace ptr {

namespace {

using chart::xml_escape;

// Per serving cell: its label, descriptor and, per concurrency, what a
// tooltip shows (values with units, trials and std, status, completed /
// requested, the raw file relative to the campaign).
nlohmann::json report_data(const ReportInputs& in) {
  nlohmann::json cells = nlohmann::json::object();
  // Serving cells, then the decode/prefill cells of roofline sweeps (page 7,
  // the kernel pages): every cell a number on a page can stand for.
  std::vector<const AtlasCell*> all;
  for (const auto& cell : in.cells) all.push_back(&cell);
  for (const auto& cell : in.roofline_cells) all.push_back(&cell);
  for (const AtlasCell* cp : all) {
    const AtlasCell& cell = *cp;
    nlohmann::json d = nlohmann::json::object();
    for (const auto* f : identity_fields())
      if (auto v = field_value(cell, *f); v != "?") d[f->name] = v;
    nlohmann::json points = nlohmann::json::object();
    for (const auto& p : cell.points) {
      if (!p.concurrency) continue;
      nlohmann::json m = nlohmann::json::object();
      auto put = [&](const char* name, const std::optional<double>& v) {
        if (v) m[name] = *v;
      };
      put("output tok/s/GPU", p.output_tok_s_per_gpu);
      put("output tok/s", p.output_tok_s);
      put("tok/s/user", p.tok_s_per_user);
      put("TTFT mean (ms)", p.ttft_ms.mean);
      put("TTFT p99 (ms)", p.ttft_ms.p99);
      put("TPOT mean (ms)", p.tpot_ms.mean);
      put("TPOT p99 (ms)", p.tpot_ms.p99);
      put("E2E mean (ms)", p.e2el_ms.mean);
      nlohmann::json pt = {{"status", p.status}, {"trials", p.trials}, {"metrics", m}, {"std", p.spread}};
      if (p.completed) pt["completed"] = *p.completed;
      if (p.num_prompts) pt["requested"] = *p.num_prompts;
      if (auto r = p.extra.find("per_request"); r != p.extra.end() && r->is_object())
        pt["requests"] = {{"count", r->value("requests", 0L)}, {"table", "cells/" + cell.cell_id + "/" + kRequestTableFile}};
      if (!p.source.empty() && p.source.front().file.find("synthetic") == std::string::npos &&
          p.source.front().file != "report-smoke-fixture")
        pt["source"] = "cells/" + cell.cell_id + (p.source.front().file.rfind("raw/", 0) == 0 ? "/" : "/raw/") + p.source.front().file;
      points[std::to_string(*p.concurrency)] = pt;
    }
    bool serving = in.variant_of_cell.count(cell.cell_id) > 0;
    cells[cell.cell_id] = {{"label", serving ? in.variant(cell).label : cell.cell_id}, {"descriptor", d}, {"points", points}};
    // (the smoke fixture's scratch campaign is gone once rendered: no link)
    if (!in.options.synthetic) cells[cell.cell_id]["normalized"] = "cells/" + cell.cell_id + "/normalized.json";
  }
  // TPM rows (the cost curve's series): their label and cells.
  nlohmann::json groups = nlohmann::json::object();
  for (const auto& g : in.tpm_groups) groups[g.key] = {{"label", g.label}, {"cells", g.cells}};
  // Next-lever rows: what each lever rests on (the atlas for a rule on the
  // data, the campaign config for a declared one).
  nlohmann::json levers = nlohmann::json::object();
  if (!in.options.synthetic)
    for (const auto* list : {&in.frontier.levers, &in.frontier.refuted})
      for (const auto& l : *list)
        levers[l.id] = {{"title", l.title}, {"file", l.source == "config" ? "config.yaml" : "atlas.jsonl"}};
  return {{"campaign", in.campaign_id}, {"cells", cells}, {"groups", groups}, {"levers", levers}};
}

// gzip, then base64: past this much SVG, pages after the first
// kPagesAlwaysOpen travel packed (a fifth of their size) and the browser
// inflates each when it comes near the screen (DecompressionStream).
constexpr size_t kPackPagesAboveBytes = 8u << 20;
constexpr size_t kPagesAlwaysOpen = 4;

const char* const kStyle = R"(
:root { color-scheme: light; }
body { margin: 0; background: #e8e8e8; font-family: "DejaVu Sans", sans-serif; }
nav { background: #263238; color: #fff; padding: 6px 12px; font-size: 13px; }
nav a { color: #cfd8dc; margin-right: 12px; text-decoration: none; }
nav a:focus, nav a:hover { color: #fff; text-decoration: underline; }
section.report-page { background: #fff; margin: 16px auto; max-width: 1100px; box-shadow: 0 1px 4px rgba(0,0,0,.25); }
.lazy-page { aspect-ratio: 841.89 / 1190.55; }
.html-page { padding: 14px 36px 16px; font-size: 13px; color: #222; }
.html-page h2 { font-size: 18px; margin: 0 0 10px; border-bottom: 1px solid #ccc; padding-bottom: 6px; }
.html-page h3 { font-size: 14px; color: #1a237e; margin: 14px 0 4px; }
.html-page ul { margin: 0; padding-left: 22px; }
.html-page .severe { color: #b71c1c; }
.html-page .note, .html-page .none { color: #555; font-style: italic; }
.html-page .footer { color: #555; font-size: 11px; border-top: 1px solid #ccc; margin-top: 16px; padding-top: 4px; }
table.plain { border-collapse: collapse; width: 100%; font-size: 12px; }
table.plain th, table.plain td { border-bottom: 1px solid #e4e4e4; padding: 2px 6px; text-align: left; vertical-align: top; }
table.plain thead th { background: #e8eaf6; color: #1a237e; }
section.report-page svg { display: block; width: 100%; height: auto; font-family: "DejaVu Sans", sans-serif; }
.mark { cursor: pointer; }
.mark:focus { outline: none; stroke: #000; stroke-width: 1.2; }
#tip { position: absolute; z-index: 3; max-width: 420px; background: #fffde7; border: 1px solid #9e9d24; padding: 6px 8px;
       font-size: 12px; line-height: 1.35; box-shadow: 0 1px 3px rgba(0,0,0,.3); }
#tip a { color: #1a237e; }
.legend { cursor: pointer; user-select: none; }
[data-layer]:not([data-layer="sla-0"]) { display: none; }
section.sla-explorer { background: #fff; margin: 16px auto; max-width: 1100px; padding: 12px 36px 20px; box-sizing: border-box; font-size: 13px; }
section.sla-explorer h2 { font-size: 17px; margin: 4px 0 8px; }
table.sla { border-collapse: collapse; margin-top: 10px; width: 100%; }
table.sla th, table.sla td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; }
table.sla td.num { text-align: right; font-variant-numeric: tabular-nums; }
.legend.off { opacity: .3; }
.controls, p.note { padding: 8px 36px 0; font-size: 13px; color: #333; }
.controls label { margin-right: 18px; }
)";

// Hover or focus a data mark: its cell, concurrency and numbers from the
// embedded data (nothing is recomputed here).
const char* const kScript = R"(
(() => {
  'use strict';
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const tip = document.getElementById('tip');
  const viewRule = (stat, inter) => '[data-view^="stat-"]:not([data-view="stat-' + stat + '"]),[data-view^="inter-"]:not([data-view="inter-' + inter + '"]){display:none}';
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
  const fmt = (v) => typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4)) : esc(v);
  function describe(el) {
    const id = el.getAttribute('data-id'), c = el.getAttribute('data-c');
    const group = data.groups[id];
    if (group) return '<b>' + esc(group.label) + '</b><br>TPM row of ' + group.cells.map(esc).join(', ');
    if (id && id.startsWith('lever/')) {
      const l = data.levers[id.slice(6)];
      if (!l) return '<b>' + esc(id.slice(6)) + '</b>';
      return '<b>' + esc(l.title) + '</b><br>rests on <a href="' + esc(encodeURI(l.file)) + '">' + esc(l.file) + '</a>';
    }
    // Kernel rows are "cell/capture/kernel": their cell is the part before the first '/'.
    const cell = data.cells[id] || (id ? data.cells[id.split('/')[0]] : undefined);
    if (!cell) return '<b>' + esc(id) + '</b>';
    let html = '<b>' + esc(id) + '</b><br>' + esc(cell.label);
    const p = c !== null ? cell.points[c] : null;
    if (p) {
      html += '<br>c=' + esc(c) + ' · ' + esc(p.status) + ' · trials ' + esc(p.trials);
      if (p.completed !== undefined) html += ' · ' + esc(p.completed) + '/' + esc(p.requested ?? '?') + ' completed';
      for (const [k, v] of Object.entries(p.metrics)) html += '<br>' + esc(k) + ': <span class="v">' + fmt(v) + '</span>';
      if (p.source) html += '<br><a href="' + esc(encodeURI(p.source)) + '">' + esc(p.source) + '</a>';
      if (p.requests) html += '<br>' + esc(p.requests.count) + ' requests in <a href="' + esc(encodeURI(p.requests.table)) + '">' + esc(p.requests.table) + '</a>';
    }
    // A number tied to the cell rather than one point: its normalized.json lists every point's raw files.
    if (!p && cell.normalized) html += '<br><a href="' + esc(encodeURI(cell.normalized)) + '">' + esc(cell.normalized) + '</a>';
    const d = Object.entries(cell.descriptor).map(([k, v]) => esc(k) + '=' + esc(v)).join(', ');
    return html + '<br><small>' + d + '</small>';
  }
  function show(el, x, y) {
    tip.innerHTML = describe(el);
    tip.hidden = false;
    tip.style.left = (x + 12) + 'px';
    tip.style.top = (y + 12) + 'px';
  }
  document.addEventListener('mouseover', (e) => {
    const el = e.target.closest('[data-role="data"]');
    if (el) show(el, e.pageX, e.pageY);
    else if (!tip.contains(e.target)) tip.hidden = true;
  });
  document.addEventListener('focusin', (e) => {
    const el = e.target.closest('[data-role="data"]');
    if (!el) return;
    const r = el.getBoundingClientRect();
    show(el, r.right + window.scrollX, r.bottom + window.scrollY);
  });
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape') tip.hidden = true; });
  // The SLA control: page 1 carries every preset's guides and SLA points, one
  // layer per preset; this rule shows the chosen one.
  const layers = document.createElement('style');
  document.head.appendChild(layers);
  // Page 1's switches: show the panels drawn (in C++) for the chosen
  // statistic and interactivity, on every page-1 section at once.
  const views = document.getElementById('view-rule');
  document.addEventListener('change', (e) => {
    const control = e.target.getAttribute && e.target.getAttribute('data-control');
    if (!control) return;
    if (control === 'sla') {
      for (const s of document.querySelectorAll('select[data-control="sla"]')) s.value = e.target.value;
      for (const t of document.querySelectorAll('table.sla')) t.hidden = t.getAttribute('data-sla') !== e.target.value;
      const v = e.target.value;
      layers.textContent = v === '0' ? '' : '[data-layer="sla-0"]{display:none} svg [data-layer][data-layer="sla-' + v + '"]{display:inline}';
      tip.hidden = true;
      return;
    }
    for (const s of document.querySelectorAll('select[data-control="' + control + '"]')) s.value = e.target.value;
    const stat = document.querySelector('select[data-control="stat"]').value;
    const inter = document.querySelector('select[data-control="inter"]').value;
    views.textContent = viewRule(stat, inter);
    for (const g of document.querySelectorAll('g[data-view="stat-' + stat + '"], g[data-view="inter-' + inter + '"]')) unpack(g);
    tip.hidden = true;
  });
  // Legend entries: click (or Enter) hides / shows a variant on every page;
  // Shift (or Alt) shows that variant alone.
  const hidden = new Set();
  const rule = document.createElement('style');
  document.head.appendChild(rule);
  function applyHidden() {
    rule.textContent = [...hidden].map((s) => '[data-series="' + s + '"]:not(.legend):not([data-role="legend"]){display:none}').join('\n');
    for (const l of document.querySelectorAll('[data-role="legend"]')) l.classList.toggle('off', hidden.has(l.getAttribute('data-series')));
  }
  function toggle(series, solo) {
    if (solo) {
      hidden.clear();
      for (const l of document.querySelectorAll('[data-role="legend"][data-series]')) if (l.getAttribute('data-series') !== series) hidden.add(l.getAttribute('data-series'));
    } else if (hidden.has(series)) hidden.delete(series);
    else hidden.add(series);
    applyHidden();
  }
  document.addEventListener('click', (e) => {
    const l = e.target.closest && e.target.closest('[data-role="legend"][data-series]');
    if (l) toggle(l.getAttribute('data-series'), e.shiftKey || e.altKey);
  });
  document.addEventListener('keydown', (e) => {
    const l = e.target.closest && e.target.closest('[data-role="legend"][data-series]');
    if (l && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); toggle(l.getAttribute('data-series'), e.shiftKey || e.altKey); }
  });
  // Large reports travel with most pages packed: each is inflated when it
  // comes near the screen (or is reached from the page list).
  const lazy = document.querySelectorAll('.lazy-page');
  if (lazy.length) {
    const seen = new IntersectionObserver((entries) => {
      for (const e of entries) if (e.isIntersecting) { seen.unobserve(e.target); unpack(e.target).then(() => e.target.classList.remove('lazy-page')); }
    }, { rootMargin: '150% 0px' });
    for (const el of lazy) seen.observe(el);
  }
  // A packed page: base64 gzip of its SVG, inflated once, in the page.
  async function unpack(page) {
    const packed = page.querySelector('script.packed');
    if (!packed) return;
    const bytes = Uint8Array.from(atob(packed.textContent), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    page.innerHTML = await new Response(stream).text();
  }
})();
)";

// Page 1's panels drawn for the other statistic / definition are hidden (the
// script's viewRule writes the same rule when a switch changes).
std::string view_rule(const std::string& stat, const std::string& inter) {
  return fmt::format("[data-view^=\"stat-\"]:not([data-view=\"stat-{}\"]),[data-view^=\"inter-\"]:not([data-view=\"inter-{}\"]){{display:none}}",
                     stat, inter);
}

std::string sla_select(const std::vector<TpmConfig>& presets) {
  std::string html = "<label>SLA <select data-control=\"sla\">";
  for (size_t i = 0; i < presets.size(); ++i)
    html += fmt::format("<option value=\"{}\">TTFT ≤ {:g} ms, TPOT ≤ {:g} ms{}</option>", i, presets[i].ttft_sla_ms, presets[i].tpot_sla_ms,
                        i == 0 ? " (the campaign's)" : "");
  return html + "</select></label>";
}

// The SLA control: for each preset (the campaign's SLA first), every
// variant's SLA point and TPM, computed here by tpm_summary's compute_tpm,
// shown one preset at a time (nothing is recomputed in the browser).
std::string sla_explorer(const ReportInputs& in) {
  const std::vector<TpmConfig> presets = sla_presets(in.tpm_config);
  std::string html = "<section class=\"sla-explorer\" id=\"sla-explorer\" aria-label=\"SLA explorer\">\n<h2>SLA explorer</h2>\n"
                     "<p>Each variant's SLA point (the highest concurrency meeting both limits, interpolated as tpm_summary does) and its "
                     "output TPM per GPU and $/1M output tokens, for the chosen limits (" +
                     xml_escape(in.tpm_config.sla_percentile) + " latency).</p>\n" + sla_select(presets) + "\n";

  for (size_t i = 0; i < presets.size(); ++i) {
    std::vector<TpmGroup> groups = compute_tpm(in.cells, presets[i]);
    auto tpm = [](const TpmGroup& g) { return g.sla && g.sla->basis.output_tpm_per_gpu ? *g.sla->basis.output_tpm_per_gpu : -1.0; };
    std::stable_sort(groups.begin(), groups.end(), [&](const TpmGroup& a, const TpmGroup& b) { return tpm(a) > tpm(b); });  // best first
    html += fmt::format("<table class=\"sla\" data-sla=\"{}\"{}><thead><tr><th>variant</th><th>SLA status</th><th>cell</th><th>concurrency</th>"
                        "<th>output TPM/GPU</th><th>$/1M output</th></tr></thead><tbody>\n",
                        i, i == 0 ? "" : " hidden");
    size_t shown = 0;
    for (const auto& g : groups) {
      if (++shown > 60) break;
      const auto& p = g.sla;
      html += fmt::format("<tr data-group=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                          xml_escape(g.key), xml_escape(g.label), xml_escape(g.sla_status), p ? xml_escape(p->cell_id) : "—",
                          p ? fmt::format("{:.1f}", p->concurrency) : "—",
                          p && p->basis.output_tpm_per_gpu ? fmt::format("{:.0f}", *p->basis.output_tpm_per_gpu) : "—",
                          p && p->basis.usd_per_1m_output_tokens ? fmt::format("{:.3f}", *p->basis.usd_per_1m_output_tokens) : "n/a");
    }
    if (groups.size() > 60) html += fmt::format("<tr><td colspan=\"6\">and {} more variants (tpm_summary lists them all)</td></tr>\n", groups.size() - 60);
    html += "</tbody></table>\n";
  }
  return html + "</section>\n";
}

}  // namespace

std::string html_document(const ReportInputs& in, const std::vector<HtmlPage>& pages) {
  std::string title = fmt::format("perftunereport: {} ({})", in.config.name.empty() ? in.campaign_id : in.config.name, in.campaign_id);
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Nothing may leave the file: no fetch, no font, no image from anywhere.
  html += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  const std::string stat = in.options.text("latency_statistic"), inter = in.options.text("interactivity");
  html += fmt::format("<title>{}</title>\n<style>{}</style>\n<style id=\"view-rule\">{}</style>\n</head>\n<body>\n<nav aria-label=\"pages\">",
                      xml_escape(title), kStyle, view_rule(stat, inter));
  for (size_t i = 0; i < pages.size(); ++i)
    html += fmt::format("<a href=\"#page-{}\">{}. {}</a>", i + 1, i + 1, xml_escape(pages[i].title));
  if (!in.cells.empty()) html += "<a href=\"#sla-explorer\">SLA explorer</a>";
  html += "</nav>\n<main>\n";
  size_t svg_bytes = 0;
  for (const auto& pg : pages) svg_bytes += pg.svg.size();
  const bool packed_pages = svg_bytes > kPackPagesAboveBytes;
  html.reserve(html.size() + (packed_pages ? svg_bytes / 3 : svg_bytes) + (256u << 10));  // one allocation, not a doubling chain
  for (size_t i = 0; i < pages.size(); ++i) {
    const HtmlPage& pg = pages[i];
    html += fmt::format("<section class=\"report-page\" id=\"page-{}\" data-page-id=\"{}\" aria-label=\"{}\">\n", i + 1, xml_escape(pg.id),
                        xml_escape(pg.title));
    bool sla_control = pg.sla_layers && !in.cells.empty();
    if (pg.switches || sla_control) {
      html += "<div class=\"controls\">";
      if (pg.switches) {
        html += "<label>TTFT statistic <select data-control=\"stat\">";
        for (const char* s : {"mean", "p50", "p90", "p99"}) html += fmt::format("<option{}>{}</option>", stat == s ? " selected" : "", s);
        html += "</select></label><label>interactivity <select data-control=\"inter\">";
        for (const auto& [v, text] : std::vector<std::pair<std::string, std::string>>{{"per-user", "output tok/s / concurrency"}, {"tpot", "1000 / mean TPOT"}})
          html += fmt::format("<option value=\"{}\"{}>{}</option>", v, inter == v ? " selected" : "", text);
        html += "</select></label>";
      }
      if (sla_control) html += sla_select(sla_presets(in.tpm_config));
      html += "</div>\n";
    }
    if (!pg.html.empty()) {
      html += "<div class=\"html-page\"><h2>" + xml_escape(pg.title) + "</h2>\n" + pg.html + "<p class=\"footer\">" +
              xml_escape(pg.footer) + "</p></div>\n";
    } else {
      if (!pg.note.empty()) html += "<p class=\"note\">" + xml_escape(pg.note) + "</p>\n";
      // Large reports: past the first pages, each page travels packed (a
      // fifth of its size) and is inflated when it comes near the screen.
      if (packed_pages && i >= kPagesAlwaysOpen)
        html += "<div class=\"lazy-page\"><script type=\"application/gzip;base64\" class=\"packed\">" + gzip_base64(pg.svg, 1, "report.html") +
                "</script></div>\n";
      else
        html += pg.svg;
    }
    html += "</section>\n";
  }
  std::string data = report_data(in).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  // Inside <script> a "</" would end the element: JSON allows "<\/".
  for (auto p = data.find("</"); p != std::string::npos; p = data.find("</", p + 3)) data.replace(p, 2, "<\\/");
  if (!in.cells.empty()) html += sla_explorer(in);
  html += "</main>\n<div id=\"tip\" role=\"tooltip\" hidden></div>\n";
  html += "<script type=\"application/json\" id=\"report-data\">" + data + "</script>\n";
  html += std::string("<script>") + kScript + "</script>\n</body>\n</html>\n";
  return html;
}

}  // namespace ptr
