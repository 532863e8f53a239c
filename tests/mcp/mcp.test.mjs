// Drives `perftunereport mcp` with the official MCP TypeScript SDK client
// (and one raw-stdio test for malformed lines). Run by CTest (see
// tests/CMakeLists.txt) with PTR_CLI, PTR_SHARED and PTR_SOURCE set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
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
  const transport = new StdioClientTransport({ command: CLI, args, env: { ...process.env, ...env }, stderr: 'pipe' });
  const client = new Client({ name: 'perftunereport-tests', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

const call = (client, verb, args, options) =>
  client.callTool({ name: `perf_tune_report_${verb}`, arguments: args }, undefined, options);

test('every verb is a tool with a schema generated from the registry', async () => {
  const client = await connect(tmp('list'));
  try {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name).sort();
    assert.deepEqual(names, ['atlas_aggregate', 'campaign_init', 'cell_run', 'import_perf_bench', 'report_render',
                             'report_smoke', 'tpm_summary'].map((v) => `perf_tune_report_${v}`));
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
    const args = { campaign: 'example', cell: 'h100-fp8-tp8-mbt8192', backend: 'vllm-sweep', bench_pod: 'bench-0' };
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
      campaign: 'example', cell: 'h100-fp8-tp8-mbt8192', backend: 'vllm-sweep', bench_pod: 'bench-0',
      i_understand_this_submits_jobs: true,
    }, { onprogress: (p) => seen.push(p) });
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
