// The HTML report in a real browser: Debian's Chromium, headless, driven by
// playwright-core. Run by CTest with PTR_CLI, PTR_SHARED, PTR_SOURCE and
// PTR_BUILD set. Opens the smoke report and a report of a real vLLM sweep
// from file://, with no network at all, and checks the pages, the console,
// and that hovering a known point shows its cell and the atlas's number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const CLI = process.env.PTR_CLI;
const SHARED = process.env.PTR_SHARED;
const BUILD = process.env.PTR_BUILD;
assert.ok(CLI && SHARED && BUILD, 'PTR_CLI, PTR_SHARED and PTR_BUILD must be set');
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
assert.ok(CHROMIUM, "Debian's chromium is missing: scripts/install-deps.sh installs it");

function cli(args, root) {
  const r = spawnSync(CLI, args, { env: { ...process.env, PERFREPORT_CAMPAIGNS_DIR: root }, encoding: 'utf8' });
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// The number as the tooltip prints it.
const shown = (v) => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4));

async function open(file, shotsName) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
  const problems = [];
  const url = 'file://' + file;
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (r.url() !== url) problems.push(`request: ${r.url()}`); });
  await page.goto(url);
  const shots = path.join(BUILD, 'browser-shots');
  fs.mkdirSync(shots, { recursive: true });
  const sections = await page.$$('section.report-page');
  for (let i = 0; i < sections.length; ++i)
    await sections[i].screenshot({ path: path.join(shots, `${shotsName}-page-${String(i + 1).padStart(2, '0')}.png`) });
  return { browser, page, problems };
}

// A screenshot of one state of a control, for review and docs/report.md.
async function shot(locator, name) {
  const shots = path.join(BUILD, 'browser-shots');
  await locator.screenshot({ path: path.join(shots, `${name}.png`) });
}

// `focus`: through the keyboard path (points that overlap others on screen
// cannot be hovered one by one); else the mouse.
async function tooltipOf(page, selector, how = 'hover') {
  const mark = page.locator(selector).first();
  await mark.scrollIntoViewIfNeeded();
  if (how === 'focus') await mark.focus();
  // The hover's event on the point itself: a point can sit under a c=N label
  // or a neighbour's marker, where the pointer would land on those instead.
  else await mark.dispatchEvent('mouseover');
  const tip = page.locator('#tip');
  await tip.waitFor({ state: 'visible' });
  return tip.innerText();
}

test('the smoke report opens offline with every page, and a hovered point shows its cell', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptr-browser-smoke-'));
  cli(['report_smoke', '--out', path.join(dir, 'smoke.pdf'), '--format', 'both'], dir);
  const html = path.join(dir, 'smoke.html');
  assert.ok(fs.statSync(html).size < 2 * 1024 * 1024, 'the smoke report stays under 2 MB');
  const status = JSON.parse(fs.readFileSync(path.join(dir, 'report_status.json'), 'utf8'));
  const { browser, page, problems } = await open(html, 'smoke');
  try {
    const ids = await page.$$eval('section.report-page', (s) => s.map((x) => x.dataset.pageId));
    assert.deepEqual(ids, status.pages.map((p) => p.id), 'the same pages in the same order as the PDF');
    // Text stays text: the coverage line is selectable in the DOM.
    assert.match(await page.locator('#page-1').innerText(), /Coverage: 44 atlas cells/);
    // The completeness and source pages are HTML tables, not drawings.
    const completeness = page.locator('section[data-page-id="completeness"]');
    assert.equal(await completeness.locator('svg').count(), 0);
    assert.equal(await completeness.locator('ul[data-section="failed_points"] li.severe').count(), 2, 'the two cells with failed points');
    const source = page.locator('section[data-page-id="source"]');
    assert.equal(await source.locator('svg').count(), 0);
    assert.equal(await source.locator('table.plain tbody tr[data-role="data"]').count(), 44, 'every cell in the table');
    assert.deepEqual(await source.locator('tr[data-id="ab-h100-sglang"] td').allInnerTexts(),
      ['ab-h100-sglang', 'H100 FP8 TP8 sglang 0.5.5 no MTP', 'sglang', '0.5.5', 'zai-org/GLM-5.1 (synthetic)', 'kubernetes (synthetic)', 'sglang']);
    const text = await tooltipOf(page, 'section#page-1 [data-role="data"][data-id="ab-h100-sglang"][data-c="64"]', 'focus');
    assert.match(text, /ab-h100-sglang/);
    assert.match(text, /c=64 · ok · trials 3/);
    assert.match(text, /engine=sglang/);
    // The statistic switch shows page 1's panels drawn for p99 TTFT (computed in C++, packed in the
    // file until chosen): the same point sits higher on the log TTFT axis than with the mean.
    const point = '[data-role="data"][data-id="ab-h100-sglang"][data-c="64"]';
    const meanMark = page.locator(`section#page-1 [data-view="stat-mean"]${point}`).first();
    const p99Mark = page.locator(`section#page-1 [data-view="stat-p99"]${point}`).first();
    assert.equal(await p99Mark.count(), 0, 'the p99 panels travel packed until chosen');
    const before = await meanMark.boundingBox();
    await page.locator('section#page-1 select[data-control="stat"]').selectOption('p99');
    await p99Mark.waitFor({ state: 'visible' });
    assert.ok(await meanMark.isHidden(), 'the mean panels are hidden');
    const after = await p99Mark.boundingBox();
    assert.ok(after.y < before.y - 5, `p99 TTFT sits higher: ${after.y} vs ${before.y}`);
    const page1Text = await page.locator('section#page-1').first().innerText();
    assert.match(page1Text, /TTFT p99 \(ms\)/);
    assert.doesNotMatch(page1Text, /TTFT avg \(ms\)/);
    // The right panels keep their definition until it is switched too.
    assert.ok(await page.locator('section#page-1 [data-view="inter-per-user"][data-role="data"]').first().isVisible());
    await page.locator('section#page-1 select[data-control="inter"]').selectOption('tpot');
    await page.locator('section#page-1 [data-view="inter-tpot"][data-role="data"]').first().waitFor({ state: 'visible' });
    assert.ok(await page.locator('section#page-1 [data-view="inter-per-user"][data-role="data"]').first().isHidden());
    assert.match(await page.locator('section#page-1').first().innerText(), /Right panels: interactivity = 1000 \/ mean TPOT/);
    await page.locator('section#page-1 select[data-control="inter"]').selectOption('per-user');
    await shot(page.locator('section#page-1').first(), 'control-statistic-p99');
    // A legend entry hides its variant's marks on the page, and shows them again.
    const legend = page.locator('section#page-1 [data-role="legend"][data-id="H100 FP8 TP8 sglang 0.5.5 no MTP"]').last();
    await legend.click();
    assert.ok(await p99Mark.isHidden(), 'hidden after the legend click');
    await legend.click();
    assert.ok(await p99Mark.isVisible(), 'shown again');
    // The latency distribution page (the A/B arms keep every request): its
    // legend hides a variant there and on every other page, Shift-click solos one.
    const dist = page.locator('section[data-page-id="latency_distribution"]');
    assert.match(await dist.innerText(), /TTFT p50 \/ p90 \/ p99 \(ms\)/);
    const entry = dist.locator('[data-role="legend"][data-series]').first();
    const series = await entry.getAttribute('data-series');
    const curveMark = dist.locator(`[data-role="data"][data-series="${series}"]`).first();
    assert.ok(await curveMark.isVisible());
    await entry.click();
    assert.ok(await curveMark.isHidden(), 'the variant is hidden on the distribution page');
    assert.ok(await page.locator(`section#page-1 [data-role="data"][data-series="${series}"]`).first().isHidden(), 'and on page 1');
    await entry.click();
    const other = dist.locator(`[data-role="legend"][data-series]:not([data-series="${series}"])`).first();
    await other.click({ modifiers: ['Shift'] });
    assert.ok(await curveMark.isHidden(), 'solo of another variant hides this one');
    assert.ok(await dist.locator(`[data-role="data"][data-series="${await other.getAttribute('data-series')}"]`).first().isVisible());
    await shot(dist, 'control-legend-solo');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('a report of a real vLLM sweep: the tooltip shows the atlas number and links the raw file', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ptr-browser-real-'));
  const cfg = path.join(root, 'c.yaml');
  fs.writeFileSync(cfg, 'name: real\ncells: []\n');
  cli(['campaign_init', '--config', cfg], root);
  cli(['import_perf_bench', '--campaign', 'real', '--cell', 'h100-sweep', '--path', path.join(SHARED, 'fixtures/vllm/sweep-serve'),
       '--model', 'GLM-4.7', '--hardware', 'H100', '--quant', 'FP8', '--tensor-parallel', '8', '--parallel-strategy', 'TP', '--no-mtp',
       '--mbt', '8192'], root);
  cli(['atlas_aggregate', '--campaign', 'real'], root);
  cli(['report_render', '--campaign', 'real', '--format', 'html'], root);
  const campaign = fs.readdirSync(root).find((d) => d.endsWith('-real'));
  const dir = path.join(root, campaign);
  assert.ok(!fs.existsSync(path.join(dir, 'report.pdf')), '--format html writes no PDF');
  const cell = JSON.parse(fs.readFileSync(path.join(dir, 'atlas.jsonl'), 'utf8').split('\n')[0]);
  const point = cell.points.find((p) => p.concurrency === 8);
  const { browser, page, problems } = await open(path.join(dir, 'report.html'), 'real');
  try {
    // The embedded data carries the atlas's number exactly; the tooltip prints it.
    const embedded = await page.evaluate(() => JSON.parse(document.getElementById('report-data').textContent));
    assert.equal(embedded.cells['h100-sweep'].points['8'].metrics['output tok/s/GPU'], point.output_tok_s_per_gpu);
    const text = await tooltipOf(page, 'section#page-1 [data-role="data"][data-id="h100-sweep"][data-c="8"]');
    assert.match(text, /h100-sweep/);
    assert.ok(text.includes(`output tok/s/GPU: ${shown(point.output_tok_s_per_gpu)}`), text);
    // The raw file, relative to the campaign (a tar of the campaign keeps the link working).
    const href = await page.locator('#tip a').getAttribute('href');
    assert.ok(href.startsWith('cells/h100-sweep/raw/'), href);
    assert.ok(fs.existsSync(path.join(dir, decodeURI(href))), `${href} exists in the campaign`);
    // A heatmap cell of page 2 carries the same point.
    const heat = page.locator('section[data-page-id="page2"] rect[data-id="h100-sweep"][data-c]').first();
    const heatC = Number(await heat.getAttribute('data-c'));
    const heatPoint = cell.points.find((p) => p.concurrency === heatC);
    const cellText = await tooltipOf(page, `section[data-page-id="page2"] rect[data-id="h100-sweep"][data-c="${heatC}"]`, 'focus');
    assert.ok(cellText.includes(`c=${heatC}`) && cellText.includes(`output tok/s/GPU: ${shown(heatPoint.output_tok_s_per_gpu)}`), cellText);
    // The SLA control: another preset shows the SLA TPM tpm_summary computes for those limits.
    const tpm = JSON.parse(cli(['--json', 'tpm_summary', '--campaign', 'real', '--ttft-sla-ms', '5000', '--tpot-sla-ms', '100'], root)).result.rows
      .find((r) => r.point === 'sla' && r.output_tpm_per_gpu !== null);
    // The control sits on page 1 and moves its guide lines and SLA stars too.
    const select = page.locator('section#page-1 select[data-control="sla"]');
    const value = await select.locator('option', { hasText: 'TTFT ≤ 5000 ms, TPOT ≤ 100 ms' }).getAttribute('value');
    // (the labels: a horizontal line has no height, which Playwright calls invisible)
    const guide0 = page.locator('section#page-1 text[data-layer="sla-0"]').filter({ hasText: 'SLA' }).first();
    assert.ok(await guide0.isVisible(), "the campaign's guide line is drawn");
    assert.ok(await page.locator(`section#page-1 text[data-layer="sla-${value}"]`).first().isHidden());
    await select.selectOption(value);
    assert.ok(await guide0.isHidden(), "the campaign's guide line is hidden once another SLA is chosen");
    const moved = page.locator(`section#page-1 [data-layer="sla-${value}"]`);
    assert.ok(await moved.filter({ hasText: 'TTFT SLA 5000 ms' }).first().isVisible(), 'the TTFT guide for 5000 ms is shown');
    assert.ok(await moved.locator('xpath=self::*[@data-role="sla"][@data-id="h100-sweep"]').count() > 0 ||
              await page.locator(`section#page-1 [data-layer="sla-${value}"][data-role="sla"][data-id="h100-sweep"]`).count() > 0,
              "the cell's SLA point under those limits is starred");
    assert.equal(await page.locator('section.sla-explorer select[data-control="sla"]').inputValue(), value, 'the explorer follows');
    await shot(page.locator('section#page-1'), 'control-sla');
    const row = page.locator(`table.sla[data-sla="${value}"] tr[data-group="${tpm.group}"]`);
    await row.waitFor({ state: 'visible' });
    const cells = await row.locator('td').allInnerTexts();
    assert.ok(Math.abs(Number(cells[4]) - tpm.output_tpm_per_gpu) <= 0.5, `${cells[4]} vs ${tpm.output_tpm_per_gpu}`);
    assert.ok(await page.locator('table.sla[data-sla="0"]').isHidden(), "the campaign's SLA table is hidden");
    // A number tied to a cell rather than a point (the source page's table) links the cell's normalized.json.
    await page.keyboard.press('Escape');
    await tooltipOf(page, 'section[data-page-id="source"] tr[data-id="h100-sweep"]', 'focus');
    const cellHref = await page.locator('#tip a').getAttribute('href');
    assert.equal(cellHref, 'cells/h100-sweep/normalized.json');
    assert.ok(fs.existsSync(path.join(dir, cellHref)));
    // Keyboard: a point takes focus and shows the same tooltip.
    await page.keyboard.press('Escape');
    await page.locator('section#page-1 [data-role="data"][data-id="h100-sweep"][data-c="8"]').first().focus();
    assert.match(await page.locator('#tip').innerText(), /c=8/);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
