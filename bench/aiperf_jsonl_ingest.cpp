// Benchmark: ingest of a large AIPerf profile_export.jsonl (generated, real
// record shape). Reports MB/s as the median of several runs, each run = read
// the file + parse every record + compute the run statistics.
//   bench_aiperf_jsonl [--size-mb N] [--runs R] [--file PATH]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <random>
#include <string>
#include <vector>

#include "ingest/discover.hpp"
#include "util/fs.hpp"

namespace fs = std::filesystem;

static void generate(const fs::path& path, size_t target_bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot write " + path.string());
  std::mt19937_64 rng(42);
  std::normal_distribution<double> gap(18.0, 1.0), ttft(31.0, 1.5);
  size_t written = 0;
  long long t0 = 1762551534797067827LL;
  std::string line;
  for (long i = 0; written < target_bytes; ++i) {
    double first = ttft(rng);
    int osl = 200;
    line = fmt::format(
        R"({{"metadata": {{"session_num": {}, "x_request_id": "fd78b108-2a8f-43b0-8327-{:012x}", "x_correlation_id": "66c73ffd-2dbb-48ea-b5a5-{:012x}", "conversation_id": null, "turn_index": 0, "request_start_ns": {}, "request_ack_ns": {}, "request_end_ns": {}, "worker_id": "worker_416f5670", "record_processor_id": "record_processor_63b1a30c", "benchmark_phase": "profiling", "was_cancelled": false, "cancellation_time_ns": null}}, "metrics": {{"output_sequence_length": {{"value": {}, "unit": "tokens"}}, "input_sequence_length": {{"value": 100, "unit": "tokens"}}, "time_to_first_token": {{"value": {:.15g}, "unit": "ms"}}, "inter_chunk_latency": {{"value": [)",
        i, i, i, t0 + i * 1000000, t0 + i * 1000000 + 10000000, t0 + i * 1000000 + 3600000000LL, osl, first);
    double sum = first;
    for (int k = 1; k < osl; ++k) {
      double g = gap(rng);
      sum += g;
      line += fmt::format("{}{:.15g}", k == 1 ? "" : ", ", g);
    }
    line += fmt::format(
        R"(], "unit": "ms"}}, "inter_token_latency": {{"value": {:.15g}, "unit": "ms"}}, "request_latency": {{"value": {:.15g}, "unit": "ms"}}, "output_token_throughput_per_user": {{"value": {:.15g}, "unit": "tokens/sec/user"}}}}, "error": null}})"
        "\n",
        (sum - first) / (osl - 1), sum, 1000.0 / ((sum - first) / (osl - 1)));
    std::fwrite(line.data(), 1, line.size(), f);
    written += line.size();
  }
  std::fclose(f);
}

int main(int argc, char** argv) {
  size_t size_mb = 1024;
  int runs = 5;
  fs::path file;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--size-mb")) size_mb = std::stoul(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--runs")) runs = std::stoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--file")) file = argv[i + 1];
  }
  if (file.empty()) file = fs::temp_directory_path() / fmt::format("ptr-bench-aiperf-{}mb.jsonl", size_mb);
  if (!fs::exists(file) || fs::file_size(file) < size_mb * 1024 * 1024) {
    std::fprintf(stderr, "generating %s (%zu MB)...\n", file.c_str(), size_mb);
    generate(file, size_mb * 1024 * 1024);
  }
  double mb = fs::file_size(file) / (1024.0 * 1024.0);
  std::vector<double> rates;
  for (int r = 0; r < runs; ++r) {
    auto t = std::chrono::steady_clock::now();
    std::string text = ptr::read_file(file);
    auto results = ptr::ingest_text(file.string(), text);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    rates.push_back(mb / s);
    std::fprintf(stderr, "run %d: %.2f s, %.1f MB/s, %.0f records\n", r + 1, s, mb / s, results.at(0).completed.value_or(0));
  }
  std::sort(rates.begin(), rates.end());
  double median = rates[rates.size() / 2];
  std::printf("aiperf profile_export.jsonl ingest: %.0f MB file, median of %d runs: %.1f MB/s (min %.1f, max %.1f)\n", mb,
              runs, median, rates.front(), rates.back());
  return 0;
}
