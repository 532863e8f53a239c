// Hostile inputs that once crashed or hung the tool (hardening issue, first
// section). Each must end in one clear error with exit 1 (never a signal,
// never a timeout), and nothing may be written.
#include <fstream>
#include <sys/stat.h>

#include "test_support.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

void write(const fs::path& p, const std::string& s) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << s;
}

std::string example_config() { return quote((source_dir() / "configs/campaigns/example.yaml").string()); }

std::string init(const TempDir& t) {
  auto r = run_cli("--json campaign_init --config " + example_config(), t.path);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.envelope()["result"]["campaign"].get<std::string>();
}

// Every entry below `dir`, for "nothing was written" checks.
std::vector<std::string> tree(const fs::path& dir) {
  std::vector<std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) out.push_back(fs::relative(e.path(), dir).string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// --- MCP: one bad line never kills the server --------------------------------

std::vector<json> mcp_session(const std::vector<std::string>& lines, const fs::path& root, int* exit_code) {
  TempDir io;
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  write(io.path / "in.jsonl", all);
  auto r = run_cli_stdin("--campaigns-dir " + quote(root.string()) + " mcp", io.path / "in.jsonl");
  *exit_code = r.exit_code;
  std::vector<json> out;
  size_t start = 0;
  while (start < r.out.size()) {
    size_t end = r.out.find('\n', start);
    if (end == std::string::npos) end = r.out.size();
    if (end > start) out.push_back(json::parse(r.out.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

std::string init_line() {
  return R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})";
}

TEST(HostileMcp, MalformedRequestsGetErrorsAndTheServerAnswersTheNext) {
  TempDir root;
  std::vector<std::string> lines = {
      init_line(),
      R"({"jsonrpc":2,"id":1,"method":"ping"})",
      R"({"jsonrpc":null,"id":2,"method":"ping"})",
      std::string("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"pi\xff\xfeng\"}"),
      R"({"jsonrpc":"2.0","id":)" + nested(100000) + R"(,"method":"ping"})",
      R"({"jsonrpc":"2.0","id":5,"method":"ping","params":)" + std::string(100000, '{') + std::string(100000, '}') + "}",
      R"({"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"perf_tune_report_atlas_aggregate","arguments":{"campaign":)" +
          nested(100000) + "}}}",
      R"({"jsonrpc":"2.0","id":7,"method":"ping","params":{"pad":")" + std::string(5u << 20, 'x') + R"("}})",
      R"({"jsonrpc":"2.0","id":null,"method":"ping"})",
      R"({"jsonrpc":"2.0","id":9,"method":"ping"})",
  };
  int rc = -1;
  auto replies = mcp_session(lines, root.path, &rc);
  EXPECT_EQ(rc, 0);
  ASSERT_EQ(replies.size(), 10u);
  EXPECT_EQ(replies[0]["id"], 0);
  EXPECT_TRUE(replies[0].contains("result"));
  auto code = [&](size_t i) { return replies[i]["error"]["code"].get<int>(); };
  EXPECT_EQ(code(1), -32600);
  EXPECT_EQ(replies[1]["id"], 1);  // a valid id is echoed even when the envelope is bad
  EXPECT_EQ(code(2), -32600);
  EXPECT_EQ(code(3), -32700);  // not UTF-8: a parse error whose text is valid JSON
  EXPECT_EQ(code(4), -32600);
  EXPECT_NE(replies[4]["error"]["message"].get<std::string>().find("nested deeper"), std::string::npos);
  EXPECT_EQ(code(5), -32600);
  EXPECT_EQ(code(6), -32600);
  EXPECT_EQ(code(7), -32600);
  EXPECT_NE(replies[7]["error"]["message"].get<std::string>().find("exceeds the 4194304 byte limit"), std::string::npos);
  EXPECT_EQ(code(8), -32600);
  EXPECT_TRUE(replies[8]["id"].is_null());
  EXPECT_EQ(replies[9]["id"], 9);
  EXPECT_TRUE(replies[9].contains("result"));
  EXPECT_TRUE(tree(root.path).empty());
}

TEST(HostileMcp, LongCellIdIsAToolErrorNotACrash) {
  TempDir root;
  std::string id = init(root);
  std::string call = R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"perf_tune_report_import_perf_bench","arguments":{"campaign":")" +
                     id + R"(","cell":")" + std::string(30000, 'a') + R"(","path":[")" + root.path.string() + R"("]}}})";
  auto before = tree(root.path);
  int rc = -1;
  auto replies = mcp_session({init_line(), call, R"({"jsonrpc":"2.0","id":2,"method":"ping"})"}, root.path, &rc);
  EXPECT_EQ(rc, 0);
  ASSERT_EQ(replies.size(), 3u);
  // Tools run off the read loop: the ping may be answered first.
  json call_reply, ping_reply;
  for (const auto& r : replies) (r["id"] == 1 ? call_reply : r["id"] == 2 ? ping_reply : call_reply) = r["id"] == 0 ? call_reply : r;
  ASSERT_TRUE(call_reply.contains("result")) << call_reply.dump();
  EXPECT_TRUE(call_reply["result"]["isError"].get<bool>());
  std::string msg = call_reply["result"]["structuredContent"]["error"]["message"];
  EXPECT_NE(msg.find("must match"), std::string::npos) << msg;
  EXPECT_LT(msg.size(), 400u);  // the id is quoted, not echoed whole
  EXPECT_TRUE(ping_reply.contains("result"));
  EXPECT_EQ(tree(root.path), before);
}

// --- Long strings ------------------------------------------------------------

TEST(HostileInput, LongCellIdInConfigAndFlag) {
  TempDir t, in;
  std::string cfg = read_file(source_dir() / "configs/campaigns/example.yaml");
  size_t at = cfg.find("cell_id: ");
  ASSERT_NE(at, std::string::npos);
  size_t eol = cfg.find('\n', at);
  cfg.replace(at, eol - at, "cell_id: " + std::string(30000, 'c'));
  write(in.path / "long.yaml", cfg);
  auto r = run_cli("campaign_init --config " + quote((in.path / "long.yaml").string()), t.path);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("cell_id must match"), std::string::npos) << r.err.substr(0, 500);
  EXPECT_LT(r.err.size(), 4000u);
  EXPECT_TRUE(tree(t.path).empty());

  std::string id = init(t);
  auto before = tree(t.path);
  auto f = run_cli("import_perf_bench --campaign " + id + " --cell " + std::string(30000, 'c') + " --path " +
                       quote((fixtures_dir() / "sglang").string()),
                   t.path);
  EXPECT_EQ(f.exit_code, 1) << f.err;
  EXPECT_NE(f.err.find("must match"), std::string::npos);
  EXPECT_EQ(tree(t.path), before);
  // 56 characters: one over the label-safe limit; a trailing '-' is refused too.
  for (const std::string& bad : {std::string(56, 'a'), std::string("ends-")}) {
    auto g = run_cli("import_perf_bench --campaign " + id + " --cell " + bad + " --path " +
                         quote((fixtures_dir() / "sglang").string()),
                     t.path);
    EXPECT_EQ(g.exit_code, 1) << bad;
  }
}

TEST(HostileInput, StdoutCaptureWithAHugeModelName) {
  TempDir t, in;
  std::string id = init(t);
  std::string text = read_file(fixtures_dir() / "vllm/bench-serve/run_1_TP8_DP1_CTX1024_C100_P100_O128.txt");
  size_t at = text.find("model='/workspace/qwen3-32b'");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 28, "model='" + std::string(50000, 'm') + "'");
  write(in.path / "capture.txt", text);
  auto before = tree(t.path);
  auto r = run_cli("import_perf_bench --campaign " + id + " --cell h100-fp8-tp8-mbt8192 --path " +
                       quote((in.path / "capture.txt").string()),
                   t.path);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("model='...' is 50000 characters long"), std::string::npos) << r.err;
  EXPECT_EQ(tree(t.path), before);
}

// --- Deep JSON ---------------------------------------------------------------

TEST(HostileInput, DeeplyNestedJsonValue) {
  TempDir t, in;
  std::string id = init(t);
  std::string text = read_file(fixtures_dir() / "vllm/bench-serve/run_1_TP8_DP1_CTX1024_C100_P100_O128.json");
  text.insert(1, "\"extra\": " + nested(100000) + ", ");
  write(in.path / "deep.json", text);
  auto before = tree(t.path);
  auto r = run_cli("import_perf_bench --campaign " + id + " --cell h100-fp8-tp8-mbt8192 --path " +
                       quote((in.path / "deep.json").string()),
                   t.path);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("deep.json:1: JSON nested deeper than 256 levels"), std::string::npos) << r.err;
  EXPECT_EQ(tree(t.path), before);
}

// --- YAML --------------------------------------------------------------------

TEST(HostileInput, YamlAliasBombAndDeepNesting) {
  TempDir t, in;
  std::string bomb = "name: bomb\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  std::string prev = "a";
  for (char n : std::string("bcdefghi")) {
    bomb += std::string(1, n) + ": &" + n + " [";
    for (int i = 0; i < 9; ++i) bomb += (i ? ", *" : "*") + prev;
    bomb += "]\n";
    prev = std::string(1, n);
  }
  bomb += "provenance: {x: *i}\ncells: []\n";
  ASSERT_LT(bomb.size(), 600u);
  write(in.path / "bomb.yaml", bomb);
  auto r = run_cli_stdin("campaign_init --config " + quote((in.path / "bomb.yaml").string()), "/dev/null", t.path, {}, 30);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("alias bomb"), std::string::npos) << r.err;
  EXPECT_TRUE(tree(t.path).empty());

  write(in.path / "deep.yaml", "name: x\ncells: " + nested(100000) + "\n");
  auto d = run_cli("campaign_init --config " + quote((in.path / "deep.yaml").string()), t.path);
  EXPECT_EQ(d.exit_code, 1) << d.err;
  EXPECT_NE(d.err.find("nested too deeply"), std::string::npos) << d.err;
  EXPECT_TRUE(tree(t.path).empty());
}

TEST(HostileInput, HugeParallelSizesAreRefusedNotOverflowed) {
  TempDir t, in;
  std::string cfg = read_file(source_dir() / "configs/campaigns/example.yaml");
  size_t at = cfg.find("tensor_parallel: ");
  ASSERT_NE(at, std::string::npos);
  size_t eol = cfg.find('\n', at);
  cfg.replace(at, eol - at, "tensor_parallel: 9223372036854775807\n    data_parallel: 4");
  write(in.path / "huge.yaml", cfg);
  auto r = run_cli("campaign_init --config " + quote((in.path / "huge.yaml").string()), t.path);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("key 'tensor_parallel' must be between 1 and 65536"), std::string::npos) << r.err;
  EXPECT_TRUE(tree(t.path).empty());
}

// --- Special files -----------------------------------------------------------

TEST(HostileInput, DevicesAndFifosAreRefusedOrSkipped) {
  TempDir t, in;
  std::string id = init(t);
  auto before = tree(t.path);
  auto z = run_cli("import_perf_bench --campaign " + id + " --cell h100-fp8-tp8-mbt8192 --path /dev/zero", t.path);
  EXPECT_EQ(z.exit_code, 1) << z.err;
  EXPECT_NE(z.err.find("/dev/zero: is a character device, not a regular file"), std::string::npos) << z.err;
  ASSERT_EQ(mkfifo((in.path / "pipe").c_str(), 0600), 0);
  auto p = run_cli("import_perf_bench --campaign " + id + " --cell h100-fp8-tp8-mbt8192 --path " +
                       quote((in.path / "pipe").string()),
                   t.path);
  EXPECT_EQ(p.exit_code, 1) << p.err;
  EXPECT_NE(p.err.find("is a named pipe (FIFO), not a regular file"), std::string::npos) << p.err;
  auto c = run_cli("campaign_init --config " + quote((in.path / "pipe").string()), t.path);
  EXPECT_EQ(c.exit_code, 1) << c.err;
  EXPECT_EQ(tree(t.path), before);

  // In a folder walk the FIFO and a looping link are skipped with a warning; the real result imports.
  fs::copy_file(fixtures_dir() / "vllm/bench-serve/run_1_TP8_DP1_CTX1024_C100_P100_O128.json", in.path / "run.json");
  fs::create_symlink(in.path / "loop", in.path / "loop");
  auto w = run_cli("import_perf_bench --campaign " + id + " --cell h100-fp8-tp8-mbt8192 --path " + quote(in.path.string()),
                   t.path);
  EXPECT_EQ(w.exit_code, 0) << w.err;
  json env = run_cli("--json import_perf_bench --campaign " + id + " --cell h100-fp8-tp8-mbt8192 --path " +
                         quote(in.path.string()), t.path).envelope();
  std::string all = env["warnings"].dump();
  EXPECT_NE(all.find("skipped: a named pipe (FIFO), not a regular file"), std::string::npos) << all;
  EXPECT_NE(all.find("skipped: a dangling or looping symbolic link"), std::string::npos) << all;
}

}  // namespace
}  // namespace ptr::test
