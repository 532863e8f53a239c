// Every result in ../shared/fixtures/expected.json and
// ../shared/acceptance/expected.json, ingested by content and compared to the
// independently computed values (relative 1e-9).
#include <algorithm>
#include <map>

#include "ingest/discover.hpp"
#include "ingest/formats.hpp"
#include "campaign/points.hpp"
#include "test_support.hpp"
#include "util/fs.hpp"
#include "util/stats.hpp"

namespace ptr::test {
namespace {

struct Parsed {
  std::string format;
  std::vector<RunResult> results;
};

const Parsed& parse_cached(const fs::path& file) {
  static std::map<std::string, Parsed> cache;
  auto it = cache.find(file.string());
  if (it != cache.end()) return it->second;
  std::string text = read_file(file);
  Parsed p;
  p.results = ingest_text(file.string(), text, &p.format);
  return cache[file.string()] = std::move(p);
}

const RunResult* pick(const Parsed& p, const json& entry) {
  if (entry.contains("line")) {
    long line = entry["line"].get<long>();
    for (const auto& r : p.results)
      if (r.line == line) return &r;
    return nullptr;
  }
  return p.results.size() == 1 ? &p.results[0] : nullptr;
}

// expected.json format names -> ours (adapter name, version / flags).
void check_format(const json& e, const Parsed& p, const RunResult& r) {
  std::string want = e["format"].get<std::string>();
  if (want == "vllm-bench-serve-one-object-per-line") {
    EXPECT_EQ(r.format, "vllm-bench-serve-append");
  } else if (want == "vllm-bench-serve-detailed") {
    EXPECT_EQ(r.format, "vllm-bench-serve");
    EXPECT_TRUE(r.has_per_request_arrays);
  } else if (want.rfind("aiperf-profile-export-json/", 0) == 0) {
    EXPECT_EQ(r.format, "aiperf-profile-export-json");
    EXPECT_EQ(r.format_version, want.substr(std::string("aiperf-profile-export-json/").size()));
  } else {
    EXPECT_EQ(r.format, want);
  }
  if (e.contains("has_per_request_arrays")) {
    EXPECT_EQ(r.has_per_request_arrays, e["has_per_request_arrays"].get<bool>());
  }
}

void check_result(const fs::path& root, const json& e) {
  SCOPED_TRACE(e["path"].get<std::string>() + (e.contains("line") ? ":" + e["line"].dump() : ""));
  const Parsed& p = parse_cached(root / e["path"].get<std::string>());
  const RunResult* r = pick(p, e);
  ASSERT_NE(r, nullptr) << "no result for this entry among " << p.results.size();
  check_format(e, p, *r);
  auto num = [&](const char* k) { return expected_number(e[k]); };
  auto lng = [](const std::optional<long>& v) -> std::optional<double> {
    if (!v) return std::nullopt;
    return static_cast<double>(*v);
  };
  EXPECT_PRED_FORMAT2(near_rel, lng(r->max_concurrency), num("max_concurrency"));
  EXPECT_PRED_FORMAT2(near_rel, r->num_prompts, num("num_prompts"));
  EXPECT_PRED_FORMAT2(near_rel, r->completed, num("completed"));
  EXPECT_PRED_FORMAT2(near_rel, r->failed, num("failed"));
  EXPECT_PRED_FORMAT2(near_rel, r->duration_s, num("duration_s"));
  EXPECT_PRED_FORMAT2(near_rel, r->request_throughput, num("request_throughput"));
  EXPECT_PRED_FORMAT2(near_rel, r->output_throughput, num("output_throughput"));
  EXPECT_PRED_FORMAT2(near_rel, r->total_token_throughput, num("total_token_throughput"));
  EXPECT_PRED_FORMAT2(near_rel, r->ttft.mean, num("mean_ttft_ms"));
  EXPECT_PRED_FORMAT2(near_rel, r->ttft.median, num("median_ttft_ms"));
  EXPECT_PRED_FORMAT2(near_rel, r->ttft.p99, num("p99_ttft_ms"));
  EXPECT_PRED_FORMAT2(near_rel, r->e2el.mean, num("mean_e2el_ms"));
  EXPECT_PRED_FORMAT2(near_rel, r->total_input_tokens, num("total_input_tokens"));
  EXPECT_PRED_FORMAT2(near_rel, r->total_output_tokens, num("total_output_tokens"));
  if (e.contains("aiperf_metrics")) {
    // Our tpot is AIPerf's inter_token_latency (same definition), our itl its
    // inter_chunk_latency; expected.json keeps them under native names.
    const json& m = e["aiperf_metrics"];
    EXPECT_PRED_FORMAT2(near_rel, r->tpot.mean, expected_number(m["inter_token_latency.avg"]));
    EXPECT_PRED_FORMAT2(near_rel, r->itl.mean, expected_number(m["inter_chunk_latency.avg"]));
    EXPECT_EQ(r->start_time.value_or(""), e["start_time"].get<std::string>());
  } else {
    EXPECT_PRED_FORMAT2(near_rel, r->tpot.mean, num("mean_tpot_ms"));
    EXPECT_PRED_FORMAT2(near_rel, r->tpot.median, num("median_tpot_ms"));
    EXPECT_PRED_FORMAT2(near_rel, r->itl.mean, num("mean_itl_ms"));
    EXPECT_PRED_FORMAT2(near_rel, r->request_rate, expected_number(e["request_rate"]));
    EXPECT_PRED_FORMAT2(near_rel, r->max_concurrent_requests, expected_number(e["max_concurrent_requests"]));
    if (e.contains("measured_concurrency")) {
      EXPECT_PRED_FORMAT2(near_rel, r->measured_concurrency, expected_number(e["measured_concurrency"]));
    }
    if (e.contains("run_number")) {
    EXPECT_EQ(r->run_number.value_or(-1), e["run_number"].get<long>());
    }
    if (e["model_id"].is_string()) {
      EXPECT_EQ(r->model_id.value_or(""), e["model_id"].get<std::string>());
    }
    if (e["date"].is_string()) {
    EXPECT_EQ(r->date.value_or(""), e["date"].get<std::string>());
    }
  }
}

void check_records(const fs::path& root, const json& e) {
  SCOPED_TRACE(e["path"].get<std::string>());
  const Parsed& p = parse_cached(root / e["path"].get<std::string>());
  ASSERT_EQ(p.format, "aiperf-profile-export-jsonl");
  ASSERT_EQ(p.results.size(), 1u);
  const RunResult& r = p.results[0];
  EXPECT_EQ(r.native["records_total"].get<long>(), e["records_total"].get<long>());
  EXPECT_PRED_FORMAT2(near_rel, r.completed, expected_number(e["records_successful_with_ttft"]));
  EXPECT_PRED_FORMAT2(near_rel, r.ttft.mean, expected_number(e["ttft_mean_ms"]));
  EXPECT_PRED_FORMAT2(near_rel, r.ttft.median, expected_number(e["ttft_p50_ms"]));
  EXPECT_PRED_FORMAT2(near_rel, r.ttft.p99, expected_number(e["ttft_p99_ms"]));
}

// A sweep folder: all its runs become one point whose mean and spread are the
// expected mean and sample std across runs.
void check_sweep(const fs::path& root, const json& e) {
  SCOPED_TRACE(e["folder"].get<std::string>());
  IngestBatch b = ingest_paths({root / e["folder"].get<std::string>()}, "auto");
  Warnings ws;
  std::vector<Point> pts = build_points(b.results, 1, {}, ws);
  ASSERT_EQ(pts.size(), 1u);
  const Point& pt = pts[0];
  EXPECT_EQ(pt.concurrency.value_or(-1), e["max_concurrency"].get<long>());
  EXPECT_EQ(pt.trials, e["summary_json_rows"].get<long>());
  EXPECT_PRED_FORMAT2(near_rel, pt.output_tok_s, expected_number(e["summary_output_throughput"]["mean"]));
  EXPECT_PRED_FORMAT2(near_rel, expected_number(pt.spread["output_tok_s"]), expected_number(e["summary_output_throughput"]["std"]));
  EXPECT_PRED_FORMAT2(near_rel, pt.ttft_ms.mean, expected_number(e["summary_mean_ttft_ms"]["mean"]));
  EXPECT_PRED_FORMAT2(near_rel, expected_number(pt.spread["ttft_ms_mean"]), expected_number(e["summary_mean_ttft_ms"]["std"]));
  // The run=N.json files alone give the runs_* statistics.
  std::vector<RunResult> runs;
  for (const auto& f : e["run_files"]) {
    auto rs = ingest_text(f.get<std::string>(), read_file(root / f.get<std::string>()));
    runs.insert(runs.end(), rs.begin(), rs.end());
  }
  auto only_runs = build_points(runs, 1, {}, ws);
  ASSERT_EQ(only_runs.size(), 1u);
  EXPECT_EQ(only_runs[0].trials, e["runs_output_throughput"]["n"].get<long>());
  EXPECT_PRED_FORMAT2(near_rel, only_runs[0].output_tok_s, expected_number(e["runs_output_throughput"]["mean"]));
  EXPECT_PRED_FORMAT2(near_rel, expected_number(only_runs[0].spread["output_tok_s"]),
                      expected_number(e["runs_output_throughput"]["std"]));
}

void check_summary_csv(const fs::path& root, const json& e) {
  SCOPED_TRACE(e["path"].get<std::string>());
  const Parsed& p = parse_cached(root / e["path"].get<std::string>());
  EXPECT_EQ(p.format, "vllm-bench-sweep-summary-csv");
  EXPECT_EQ(p.results.size(), e["rows"].get<size_t>());
  std::vector<long> conc;
  for (const auto& r : p.results) conc.push_back(r.max_concurrency.value_or(-1));
  std::sort(conc.begin(), conc.end());
  conc.erase(std::unique(conc.begin(), conc.end()), conc.end());
  EXPECT_EQ(conc, e["distinct_max_concurrency"].get<std::vector<long>>());
}

void check_all(const fs::path& root) {
  json exp = load_json(root / "expected.json");
  ASSERT_GT(exp["results"].size(), 0u);
  for (const auto& e : exp["results"]) check_result(root, e);
  for (const auto& e : exp["aiperf_records"]) check_records(root, e);
  for (const auto& e : exp["vllm_sweeps"]) check_sweep(root, e);
  for (const auto& e : exp["vllm_sweep_summary_csv"]) check_summary_csv(root, e);
}

TEST(ExpectedFixtures, EveryResultMatches) { check_all(fixtures_dir()); }
TEST(ExpectedAcceptance, EveryResultMatches) { check_all(acceptance_dir()); }

}  // namespace
}  // namespace ptr::test
