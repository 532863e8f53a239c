// Drives `perftunereport mcp` with the official MCP TypeScript SDK client
// (and one raw-stdio test for malformed lines). Run by CTest (see
// tests/CMakeLists.txt) with PTR_CLI, PTR_SHARED and PTR_SOURCE set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const CLI = process.env.PTR_CLI;
const SHARED = process.env.PTR_SHARED;
const SRC = process.env.PTR_SOURCE;
assert.ok(CLI && SHARED && SRC, 'PTR_CLI, PTR_SHARED and PTR_SOURCE must be set');
assert.ok(fs.existsSync(path.join(SHARED, 'fixtures')), `shared fixtures missing under ${SHARED}`);

const tmp = (name) => fs.mkdtempSync(path.join(os.tmpdir(), `ptr-mcp-${name}-`));

async function connect(root, { allow = [], env = {} } = {}) {
  const args = ['--campaigns-dir', root, 'mcp', '--allow-path', path.join(SHARED, 'fixtures'),
                '--allow-path', path.join(SRC, 'configs')];
  for (const a of allow) args.push('--allow-path', a);
  // PTR_MCP_STDERR=inherit shows the server's stderr (a sanitizer's report when it exits).
  const transport = new StdioClientTransport({ command: CLI, args, env: { ...process.env, ...env }, stderr: process.env.PTR_MCP_STDERR || 'pipe' });
  const client = new Client({ name: 'perftunereport-tests', version: '1.0.0' });
  await client.connect(transport);
  // With the tools listed, the SDK validates every result's structuredContent
  // against the tool's outputSchema (and throws when it does not conform).
  await client.listTools();
  return client;
}

const call = (client, verb, args, options) =>
  client.callTool({ name: `perf_tune_report_${verb}`, arguments: args }, undefined, options);

test('every verb is a tool with a schema generated from the registry', async () => {
  const client = await connect(tmp('list'));
  try {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name).sort();
    assert.deepEqual(names, ['atlas_aggregate', 'baseline_diff', 'campaign_init', 'cell_run', 'champion_select', 'dcgm_correlate', 'import_kernels', 'import_ncu', 'import_perf_bench', 'import_roofline_sweep', 'import_variant_ab', 'lake_query', 'model_shape', 'publish_to_lake', 'report_render',
                             'report_smoke', 'tpm_summary', 'value_view'].map((v) => `perf_tune_report_${v}`));
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    const init = byName.perf_tune_report_campaign_init;
    assert.deepEqual(init.inputSchema.required, ['config']);
    assert.equal(init.inputSchema.properties.config.type, 'string');
    const imp = byName.perf_tune_report_import_perf_bench.inputSchema;
    assert.equal(imp.properties.path.type, 'array');
    assert.deepEqual(imp.properties.backend.enum, ['auto', 'vllm', 'vllm-sweep', 'sglang', 'aiperf']);
    assert.equal(imp.properties.backend.default, 'auto');
    const run = byName.perf_tune_report_cell_run.inputSchema;
    assert.equal(run.properties.i_understand_this_submits_jobs.type, 'boolean');
    assert.equal(run.properties.dry_run.default, false);
    // The lake: publishing writes shared state (destructive, open world); querying reads.
    const pub = byName.perf_tune_report_publish_to_lake.annotations;
    assert.equal(pub.destructiveHint, true);
    assert.equal(pub.openWorldHint, true);
    assert.equal(pub.readOnlyHint, false);
    assert.equal(byName.perf_tune_report_lake_query.annotations.readOnlyHint, true);
    for (const t of tools) assert.ok(t.description.length > 20, `${t.name} has a description`);
  } finally {
    await client.close();
  }
});

test('campaign_init -> import_perf_bench -> atlas_aggregate -> report_render on fixtures', async () => {
  const root = tmp('flow');
  const client = await connect(root);
  try {
    const init = await call(client, 'campaign_init', { config: path.join(SRC, 'configs/campaigns/example.yaml') });
    assert.equal(init.isError, false);
    const id = init.structuredContent.result.campaign;
    assert.match(id, /^\d{8}T\d{6}Z-example$/);
    const imp = await call(client, 'import_perf_bench', {
      campaign: 'example', cell: 'h100-fp8-tp8-mbt8192', path: [path.join(SHARED, 'fixtures/vllm/sweep-serve')],
    });
    assert.equal(imp.isError, false, JSON.stringify(imp.structuredContent.error));
    assert.equal(imp.structuredContent.result.status, 'full');
    assert.equal(imp.structuredContent.result.points, 9);
    const agg = await call(client, 'atlas_aggregate', { campaign: id });
    assert.equal(agg.structuredContent.result.coverage.line,
      'Coverage: 1 atlas cells | 1 full sweeps | 0 partial sweeps | 0 failed cells | 9 plot-ready concurrency points');
    const lines = fs.readFileSync(path.join(root, id, 'atlas.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 1);
    const rep = await call(client, 'report_render', { campaign: 'example', heatmap_concurrencies: '8,16,32' });
    assert.equal(rep.isError, false, JSON.stringify(rep.structuredContent.error));
    assert.ok(fs.statSync(path.join(root, id, 'report.pdf')).size > 10 * 1024);
    assert.ok(fs.existsSync(path.join(root, id, 'report_status.json')));
    // The text content carries the same envelope.
    assert.deepEqual(JSON.parse(rep.content[0].text), rep.structuredContent);
  } finally {
    await client.close();
  }
});

test('cell_run needs the ack unless dry_run; dry_run lists the commands', async () => {
  const root = tmp('ack');
  const client = await connect(root);
  try {
    await call(client, 'campaign_init', { config: path.join(SRC, 'configs/campaigns/example.yaml') });
    const args = { campaign: 'example', cell: 'h100-fp8-tp8-mbt8192', backend: 'vllm-sweep', namespace: 'bench', bench_pod: 'bench-0' };
    const refused = await call(client, 'cell_run', args);
    assert.equal(refused.isError, true);
    assert.equal(refused.structuredContent.error.kind, 'refusal');
    assert.match(refused.structuredContent.error.message, /i_understand_this_submits_jobs/);
    assert.match(refused.structuredContent.error.hint, /dry_run/);
    const dry = await call(client, 'cell_run', { ...args, dry_run: true });
    assert.equal(dry.isError, false, JSON.stringify(dry.structuredContent.error));
    const points = dry.structuredContent.result.plan.points;
    assert.deepEqual(points.map((p) => p.concurrency), [1, 8, 32, 64]);
    assert.match(points[1].steps[1].display, /vllm bench serve .*--max-concurrency 8/);
  } finally {
    await client.close();
  }
});

test('bad arguments are tool errors and the server stays alive', async () => {
  const client = await connect(tmp('bad'));
  try {
    const unknown = await call(client, 'atlas_aggregate', { campaign: 'x', bogus: 1 });
    assert.equal(unknown.isError, true);
    assert.match(unknown.structuredContent.error.message, /no parameter 'bogus'/);
    const typed = await call(client, 'tpm_summary', { campaign: 'x', ttft_sla_ms: 'fast' });
    assert.equal(typed.isError, true);
    await assert.rejects(client.callTool({ name: 'perf_tune_report_no_such_verb', arguments: {} }), /unknown tool/);
    await client.ping();  // still serving
  } finally {
    await client.close();
  }
});

test('paths are confined to the campaigns root unless allowed', async () => {
  const root = tmp('conf');
  const outside = tmp('outside');
  let client = await connect(root);
  try {
    const res = await call(client, 'report_smoke', { out: path.join(outside, 'smoke.pdf') });
    assert.equal(res.isError, true);
    assert.match(res.structuredContent.error.message, /outside the campaigns root/);
    assert.equal(fs.existsSync(path.join(outside, 'smoke.pdf')), false);
    const inside = await call(client, 'report_smoke', { out: path.join(root, 'smoke.pdf') });
    assert.equal(inside.isError, false, JSON.stringify(inside.structuredContent.error));
  } finally {
    await client.close();
  }
  client = await connect(root, { allow: [outside] });
  try {
    const res = await call(client, 'report_smoke', { out: path.join(outside, 'smoke.pdf') });
    assert.equal(res.isError, false, JSON.stringify(res.structuredContent.error));
    assert.ok(fs.existsSync(path.join(outside, 'smoke.pdf')));
  } finally {
    await client.close();
  }
});

test('long verbs report progress when the client asks', async () => {
  const root = tmp('progress');
  const pod = tmp('pod');
  const client = await connect(root, {
    env: {
      PATH: `${path.join(SRC, 'tests/data/fake-kubectl')}:${process.env.PATH}`,
      FAKE_KUBECTL_LOG: path.join(pod, 'log'), FAKE_POD_ROOT: pod, FAKE_FIXTURES: path.join(SHARED, 'fixtures'),
    },
  });
  try {
    await call(client, 'campaign_init', { config: path.join(SRC, 'configs/campaigns/example.yaml') });
    const seen = [];
    const res = await call(client, 'cell_run', {
      campaign: 'example', cell: 'h100-fp8-tp8-mbt8192', backend: 'vllm-sweep', namespace: 'bench', bench_pod: 'bench-0',
      i_understand_this_submits_jobs: true,
    }, { onprogress: (p) => seen.push(p), timeout: 120000 });
    assert.equal(res.isError, false, JSON.stringify(res.structuredContent.error));
    assert.equal(res.structuredContent.result.status, 'full');
    // One notification per point, in order (the server sends all four before
    // the result; the SDK may resolve the call before handing over the last).
    assert.ok(seen.length >= 3, `progress notifications: ${JSON.stringify(seen)}`);
    assert.deepEqual(seen.map((p) => p.progress), [1, 2, 3, 4].slice(0, seen.length));
    for (const p of seen) assert.equal(p.total, 4);
  } finally {
    await client.close();
  }
});

test('raw stdio: malformed JSON gets a JSON-RPC parse error and the server goes on', async () => {
  const proc = spawn(CLI, ['--campaigns-dir', tmp('raw'), 'mcp'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = [];
  let buf = '';
  proc.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buf.slice(0, i)));
      buf = buf.slice(i + 1);
    }
  });
  const waitFor = async (n) => {
    for (let t = 0; t < 200 && lines.length < n; t++) await new Promise((r) => setTimeout(r, 10));
  };
  proc.stdin.write('{"jsonrpc": "2.0", "id": 1, "method": \n');
  proc.stdin.write('[1, 2]\n');
  proc.stdin.write('{"jsonrpc":"2.0","id":7,"method":"initialize","params":{"protocolVersion":"2099-01-01"}}\n');
  proc.stdin.write('{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{}}\n');
  proc.stdin.write('{"jsonrpc":"2.0","id":9,"method":"ping"}\n');
  await waitFor(5);
  proc.stdin.end();
  assert.equal(lines[0].error.code, -32700);
  assert.equal(lines[0].id, null);
  assert.equal(lines[1].error.code, -32600);
  assert.equal(lines[2].result.protocolVersion, '2025-11-25');  // newest both support
  assert.equal(lines[3].error.code, -32602);
  assert.deepEqual(lines[4], { jsonrpc: '2.0', id: 9, result: {} });
});

// --- cell_run / MCP checks of the hardening issue -----------------------------

const fakeCluster = () => {
  const pod = tmp('pod');
  return {
    pod,
    env: {
      PATH: `${path.join(SRC, 'tests/data/fake-kubectl')}:${process.env.PATH}`,
      FAKE_KUBECTL_LOG: path.join(pod, 'log'), FAKE_POD_ROOT: pod, FAKE_FIXTURES: path.join(SHARED, 'fixtures'),
    },
    // kubectl invocations so far (argv arrays)
    calls() {
      const f = path.join(pod, 'log');
      if (!fs.existsSync(f)) return [];
      return fs.readFileSync(f, 'utf8').split('\x1e').filter((s) => s.length).map((s) => s.split('\x1f').slice(0, -1));
    },
  };
};

// A raw JSON-RPC session on stdio (for ordering and cancellation, which the SDK hides).
function rawSession(root, env = {}, extraArgs = []) {
  const proc = spawn(CLI, ['--campaigns-dir', root, 'mcp', '--allow-path', path.join(SRC, 'tests/data'), ...extraArgs],
                     { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const messages = [];
  let buf = '';
  proc.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      messages.push(JSON.parse(buf.slice(0, i)));
      buf = buf.slice(i + 1);
    }
  });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const send = (m) => proc.stdin.write(JSON.stringify({ jsonrpc: '2.0', ...m }) + '\n');
  const waitFor = async (pred, ms = 60000) => {
    for (let t = 0; t < ms / 10; t++) {
      const m = messages.find(pred);
      if (m) return m;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`timed out waiting; got ${JSON.stringify(messages).slice(0, 2000)}`);
  };
  const init = async () => {
    send({ id: 'init', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    await waitFor((m) => m.id === 'init');
    send({ method: 'notifications/initialized' });
  };
  return { proc, messages, send, waitFor, init, exited };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function cellRunCampaign(root) {
  const client = await connect(root, { allow: [path.join(SRC, 'tests/data')] });
  const init = await call(client, 'campaign_init', { config: path.join(SRC, 'tests/data/cell-run-campaign.yaml') });
  await client.close();
  return init.structuredContent.result.campaign;
}

test('annotations follow the safety class; every result conforms to the output schema', async () => {
  const client = await connect(tmp('annot'));
  try {
    const { tools } = await client.listTools();
    const by = Object.fromEntries(tools.map((t) => [t.name.replace('perf_tune_report_', ''), t]));
    assert.deepEqual(by.cell_run.annotations,
      { title: 'Run a cell on the cluster', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true });
    assert.equal(by.report_smoke.annotations.readOnlyHint, false);  // it writes the PDF it is given
    assert.equal(by.import_perf_bench.annotations.idempotentHint, true);
    assert.equal(by.campaign_init.annotations.idempotentHint, false);
    assert.equal(by.atlas_aggregate.annotations.destructiveHint, false);
    for (const t of tools) {
      assert.ok(t.title && t.title.length > 5, `${t.name} has a human title`);
      assert.equal(t.outputSchema.type, 'object');
      assert.deepEqual(t.outputSchema.required, ['ok', 'verb', 'result', 'warnings', 'error']);
    }
    // The SDK validated this result against the schema (callTool throws otherwise); check by hand too.
    const { default: Ajv } = await import('ajv');
    const validate = new Ajv({ strict: false }).compile(by.atlas_aggregate.outputSchema);
    const bad = await call(client, 'atlas_aggregate', { campaign: 'nope' });
    assert.equal(bad.isError, true);
    assert.ok(validate(bad.structuredContent), JSON.stringify(validate.errors));
  } finally {
    await client.close();
  }
});

test('written files come back as resource links that resolve; warnings arrive as log messages', async () => {
  const root = tmp('links');
  const client = await connect(root);
  const logs = [];
  const { LoggingMessageNotificationSchema } = await import('@modelcontextprotocol/sdk/types.js');
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => logs.push(n.params));
  try {
    const init = await call(client, 'campaign_init', { config: path.join(SRC, 'configs/campaigns/example.yaml') });
    const id = init.structuredContent.result.campaign;
    const imp = await call(client, 'import_perf_bench', {
      campaign: id, cell: 'h100-fp8-tp8-mbt8192', path: [path.join(SHARED, 'fixtures/vllm/sweep-serve')] });
    assert.equal(imp.isError, false);
    await call(client, 'atlas_aggregate', { campaign: id });
    const rep = await call(client, 'report_render', { campaign: id });
    assert.equal(rep.isError, false, JSON.stringify(rep.structuredContent.error));
    const links = rep.content.filter((c) => c.type === 'resource_link');
    const pdf = links.find((l) => l.name === 'report.pdf');
    assert.equal(pdf.uri, `perftunereport://campaigns/${id}/report.pdf`);
    assert.equal(pdf.mimeType, 'application/pdf');
    const read = await client.readResource({ uri: pdf.uri });
    assert.ok(Buffer.from(read.contents[0].blob, 'base64').subarray(0, 5).toString() === '%PDF-');
    // --format both: the HTML report comes back as a resource link too, readable as text.
    const both = await call(client, 'report_render', { campaign: id, format: 'both' });
    assert.equal(both.isError, false, JSON.stringify(both.structuredContent.error));
    const html = both.content.filter((c) => c.type === 'resource_link').find((l) => l.name === 'report.html');
    assert.equal(html.uri, `perftunereport://campaigns/${id}/report.html`);
    assert.equal(html.mimeType, 'text/html');
    const page = await client.readResource({ uri: html.uri });
    assert.match(page.contents[0].text, /^<!DOCTYPE html>/);
    const { resources } = await client.listResources();
    const atlas = resources.find((r) => r.uri === `perftunereport://campaigns/${id}/atlas.jsonl`);
    assert.ok(atlas, 'atlas.jsonl is listed');
    const text = await client.readResource({ uri: atlas.uri });
    assert.equal(JSON.parse(text.contents[0].text.split('\n')[0]).cell_id, 'h100-fp8-tp8-mbt8192');
    await assert.rejects(client.readResource({ uri: `perftunereport://campaigns/${id}/../../etc/passwd` }));
    // atlas_aggregate warned (two configured cells have no data): as log messages too.
    assert.ok(logs.some((l) => l.level === 'warning' && l.logger === 'perftunereport.atlas_aggregate' &&
                               l.data.kind === 'cell_not_imported'), JSON.stringify(logs).slice(0, 500));
  } finally {
    await client.close();
  }
});

test('the defaulted report_smoke path is confined like an explicit one', async () => {
  const root = tmp('defconf');
  const cwd = tmp('cwd');  // the server's working directory, outside the root
  const transport = new StdioClientTransport({ command: CLI, args: ['--campaigns-dir', root, 'mcp'], cwd, stderr: 'pipe' });
  const client = new Client({ name: 't', version: '1' });
  await client.connect(transport);
  try {
    const res = await call(client, 'report_smoke', {});
    assert.equal(res.isError, true);
    assert.match(res.structuredContent.error.message, /out 'smoke.pdf' \(the default\) is outside the campaigns root/);
    assert.equal(fs.existsSync(path.join(cwd, 'smoke.pdf')), false);
  } finally {
    await client.close();
  }
});

test('requests before initialize are refused; ping is allowed', async () => {
  const s = rawSession(tmp('preinit'));
  s.send({ id: 1, method: 'tools/list' });
  s.send({ id: 2, method: 'ping' });
  const refused = await s.waitFor((m) => m.id === 1);
  assert.equal(refused.error.code, -32600);
  assert.deepEqual(await s.waitFor((m) => m.id === 2), { jsonrpc: '2.0', id: 2, result: {} });
  s.proc.stdin.end();
  await s.exited;
});

test('a ping during a running tool call is answered before the call ends', async () => {
  const root = tmp('ping');
  const id = await cellRunCampaign(root);
  const k = fakeCluster();
  const s = rawSession(root, { ...k.env, FAKE_HANG_CONCURRENCY: '1' });
  await s.init();
  s.send({ id: 'run', method: 'tools/call', params: { name: 'perf_tune_report_cell_run', arguments: {
    campaign: id, cell: 'vllm-cell', backend: 'vllm-sweep', namespace: 'bench', bench_pod: 'bench-0',
    timeout_per_point: 3, i_understand_this_submits_jobs: true } } });
  // Wait until the benchmark is running, then ping.
  for (let t = 0; t < 3000 && !k.calls().some((c) => c.includes('vllm')); t++) await sleep(10);
  s.send({ id: 'ping', method: 'ping' });
  await s.waitFor((m) => m.id === 'run', 120000);
  const order = s.messages.map((m) => m.id);
  assert.ok(order.indexOf('ping') >= 0 && order.indexOf('ping') < order.indexOf('run'), JSON.stringify(order));
  s.proc.stdin.end();
  await s.exited;
});

test('after notifications/cancelled no further work starts, teardown runs, and no result arrives', async () => {
  const root = tmp('cancel');
  const id = await cellRunCampaign(root);
  const k = fakeCluster();
  const s = rawSession(root, { ...k.env, FAKE_HANG_CONCURRENCY: '8' });
  await s.init();
  try {
    s.send({ id: 7, method: 'tools/call', params: { name: 'perf_tune_report_cell_run', arguments: {
      campaign: id, cell: 'vllm-cell', backend: 'vllm-sweep', namespace: 'bench', bench_pod: 'bench-0',
      i_understand_this_submits_jobs: true } } });
    // The c=8 benchmark hangs: cancel once it has started.
    const benchAt8 = () => k.calls().findIndex((c) => c.includes('vllm') && c.includes('--max-concurrency') &&
                                                        c[c.indexOf('--max-concurrency') + 1] === '8');
    for (let t = 0; t < 6000 && benchAt8() < 0; t++) await sleep(10);
    assert.ok(benchAt8() >= 0, 'the c=8 benchmark started');
    await sleep(200);
    const before = k.calls().length;
    s.send({ method: 'notifications/cancelled', params: { requestId: 7, reason: 'test' } });
    s.send({ id: 8, method: 'ping' });
    await s.waitFor((m) => m.id === 8);
    // Teardown by label happens; no new point starts.
    for (let t = 0; t < 3000 && !k.calls().slice(before).some((c) => c.includes('pkill')); t++) await sleep(10);
    await sleep(500);
    const after = k.calls().slice(before);
    for (const c of after) {
      assert.ok(!c.includes('vllm') && !c.includes('mkdir') && !c.includes('cp'), `work after cancel: ${c.join(' ')}`);
    }
    assert.ok(after.some((c) => c.includes('pkill')), 'teardown ran');
    assert.equal(s.messages.find((m) => m.id === 7), undefined, 'no result for a cancelled request');
    // Recorded once the teardown's checks are done (slower on a loaded machine).
    const cmdRoot = path.join(root, id, 'commands', 'vllm-cell');
    const run = fs.readdirSync(cmdRoot)[0];
    const recorded = path.join(cmdRoot, run, 'cancelled.json');
    for (let t = 0; t < 3000 && !fs.existsSync(recorded); t++) await sleep(10);
    assert.ok(fs.existsSync(recorded), 'the cancellation is recorded');
  } finally {
    // Never leave the server (and its hung benchmark) behind: the runner would wait for it.
    s.proc.stdin.end();
    await s.exited;
  }
});

for (const how of ['closes its input', 'sends SIGTERM']) {
  test(`no orphaned child when the client ${how}`, async () => {
    const root = tmp('orphan');
    const id = await cellRunCampaign(root);
    const k = fakeCluster();
    const s = rawSession(root, { ...k.env, FAKE_HANG_CONCURRENCY: '1' });
    await s.init();
    s.send({ id: 3, method: 'tools/call', params: { name: 'perf_tune_report_cell_run', arguments: {
      campaign: id, cell: 'vllm-cell', backend: 'vllm-sweep', namespace: 'bench', bench_pod: 'bench-0',
      i_understand_this_submits_jobs: true } } });
    for (let t = 0; t < 6000 && !k.calls().some((c) => c.includes('vllm')); t++) await sleep(10);
    await sleep(200);
    if (how === 'closes its input') s.proc.stdin.end();
    else s.proc.kill('SIGTERM');
    const exit = await s.exited;
    assert.ok(exit.code === 0 || exit.code === 143, JSON.stringify(exit));
    // Nothing of the run is left: no kubectl, no benchmark client.
    const left = spawnSync('pgrep', ['-f', k.pod]);
    assert.equal(left.status, 1, `left running: ${left.stdout}`);
  });
}
