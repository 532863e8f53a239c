// The per-request table: what the ingesters keep request by request (vLLM
// --save-detailed arrays, AIPerf records), the requests.csv text and its
// reader, and the percentiles the distribution page marks. Expected numbers
// were computed independently (Python, numpy's 'linear' percentile).
#include <cmath>

#include "ingest/discover.hpp"
#include "model/request_table.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

TEST(RequestTable, VllmDetailedArraysBecomeOneSamplePerRequest) {
  auto rs = ingest_text("d.json", read_file(fixtures_dir() / "vllm/bench-serve/tm-l40sx2_qwen27b_in4096_out128_p50_c1_d48e1d.json"));
  ASSERT_EQ(rs.size(), 1u);
  ASSERT_EQ(rs[0].requests.size(), 50u);
  const RequestSample& first = rs[0].requests[0];
  EXPECT_DOUBLE_EQ(first.ttft_ms, 877.8200050583109);
  EXPECT_DOUBLE_EQ(first.e2el_ms, 5858.863914036192);  // ttft + sum(itls): the file has no latencies array
  EXPECT_DOUBLE_EQ(first.tpot_ms, 39.2208181809282);   // (e2el - ttft) / (128 - 1)
  EXPECT_DOUBLE_EQ(first.output_tokens, 128);
  std::vector<double> ttft;
  for (const auto& r : rs[0].requests) ttft.push_back(r.ttft_ms);
  RequestDistribution d = distribution_of(ttft);
  EXPECT_DOUBLE_EQ(*d.p50, 886.6824494907632);
  EXPECT_DOUBLE_EQ(*d.p90, 892.0883730170317);
  EXPECT_DOUBLE_EQ(*d.p99, 893.3734621130861);
}

TEST(RequestTable, AiperfRecordsKeepTtftTpotLatencyAndLength) {
  auto rs = ingest_text("profile_export.jsonl", read_file(fixtures_dir() / "aiperf/v0.2x-qwen-c1__profile_export.jsonl"));
  ASSERT_EQ(rs.size(), 1u);
  ASSERT_EQ(rs[0].requests.size(), 10u);
  EXPECT_DOUBLE_EQ(rs[0].requests[0].ttft_ms, 31.742933999999998);
  EXPECT_DOUBLE_EQ(rs[0].requests[0].tpot_ms, 18.153352603015076);  // AIPerf's inter_token_latency
  EXPECT_DOUBLE_EQ(rs[0].requests[0].e2el_ms, 3644.2601019999997);
  EXPECT_DOUBLE_EQ(rs[0].requests[0].output_tokens, 200);
}

TEST(RequestTable, AggregateWithItsRecordsTakesTheRecordsRequests) {
  IngestBatch b = ingest_paths({fixtures_dir() / "aiperf/v0.2x-qwen-c1__profile_export_aiperf.json",
                                fixtures_dir() / "aiperf/v0.2x-qwen-c1__profile_export.jsonl"},
                               "aiperf");
  ASSERT_EQ(b.results.size(), 1u);  // the records are covered by the aggregate
  EXPECT_EQ(b.results[0].format, "aiperf-profile-export-json");
  EXPECT_EQ(b.results[0].requests.size(), 10u);
  EXPECT_NE(b.results[0].requests_file.find("profile_export.jsonl"), std::string::npos) << b.results[0].requests_file;
}

TEST(RequestTable, CsvRoundTripKeepsEveryValueAndMissingStaysEmpty) {
  std::vector<RequestRow> rows = {{0, 0, {12.5, 3.25, 840.0, 256}}, {3, 2, {0.1 + 0.2, NAN, 1e-3, 1}}};
  std::string text = request_table_csv(rows);
  EXPECT_EQ(text, "point,trial,ttft_ms,tpot_ms,e2el_ms,output_tokens\n0,0,12.5,3.25,840,256\n3,2,0.30000000000000004,,0.001,1\n");
  auto back = parse_request_table(text, "requests.csv");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].point, 3);
  EXPECT_EQ(back[1].trial, 2);
  EXPECT_DOUBLE_EQ(back[1].sample.ttft_ms, 0.1 + 0.2);
  EXPECT_TRUE(std::isnan(back[1].sample.tpot_ms));
}

TEST(RequestTable, MalformedRowsNameFileLineAndColumn) {
  auto err = [](const std::string& text) {
    try {
      parse_request_table(text, "cells/x/requests.csv");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("<no error>");
  };
  const std::string head = "point,trial,ttft_ms,tpot_ms,e2el_ms,output_tokens\n";
  EXPECT_NE(err(head + "0,0,1,2,3,4\n0,0,nan,2,3,4\n").find("cells/x/requests.csv:3"), std::string::npos);
  EXPECT_NE(err(head + "0,0,1,2,3,4\n0,0,nan,2,3,4\n").find("ttft_ms must be a finite number"), std::string::npos);
  EXPECT_NE(err(head + "-1,0,1,2,3,4\n").find("point must be an index"), std::string::npos);
  EXPECT_NE(err(head + "0,0,1,2\n").find("4 fields; expected 6"), std::string::npos);
  EXPECT_NE(err("a,b\n").find("unexpected header"), std::string::npos);
  EXPECT_NE(err("").find("empty file"), std::string::npos);
}

TEST(RequestTable, PercentilesAreNumpyLinear) {
  RequestDistribution d = distribution_of({10, 1, 9, 2, 8, 3, 7, 4, 6, 5, NAN});
  EXPECT_EQ(d.count(), 10u);  // NaN (not recorded) is left out
  EXPECT_DOUBLE_EQ(*d.p50, 5.5);
  EXPECT_DOUBLE_EQ(*d.p90, 9.1);
  EXPECT_DOUBLE_EQ(*d.p99, 9.91);
}

}  // namespace
}  // namespace ptr::test
