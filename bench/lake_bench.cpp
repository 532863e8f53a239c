// Benchmark: publishing a 4,000-cell campaign (24,000 atlas rows) into the
// lake, targets <= 1 s into SQLite and <= 2 s into a local PostgreSQL.
// The campaign (generated cells, rendered once) is set up untimed; each run
// is publish_to_lake's whole path (read atlas and report status, recompute
// TPM and cost, migrate, delete + insert in one transaction, commit).
//   bench_lake [--runs 7] [--pg-url postgresql://...]   (PostgreSQL when given)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <vector>

#include "campaign/operations.hpp"
#include "campaign/smoke_fixture.hpp"
#include "lake/publish.hpp"
#include "render/report.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void bench(const fs::path& root, const std::string& id, const std::string& url, int runs) {
  std::vector<double> times;
  size_t rows = 0;
  for (int r = 0; r < runs; ++r) {
    ptr::Warnings warnings;
    ptr::PublishRequest req;
    req.campaign = id;
    req.lake = url;
    auto t = Clock::now();
    auto res = ptr::publish_to_lake(root, req, warnings);
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
    rows = res["rows"]["atlas_v1"].get<size_t>();
  }
  std::printf("publish %s: %zu atlas rows, %d runs: median %.0f ms (min %.0f, max %.0f)\n", url.substr(0, url.find(':')).c_str(), rows, runs,
              median(times), *std::min_element(times.begin(), times.end()), *std::max_element(times.begin(), times.end()));
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 7;
  std::string pg;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--pg-url")) pg = argv[i + 1];
  }
  fs::path root = fs::temp_directory_path() / fmt::format("ptr-bench-lake-{}", getpid());
  fs::create_directories(root);
  fs::path cfg = root / "scale.yaml";
  {
    FILE* f = std::fopen(cfg.c_str(), "w");
    std::fputs("name: scale\ncells: []\n", f);
    std::fclose(f);
  }
  ptr::InitResult init = ptr::init_campaign(root, cfg);
  ptr::write_atlas(init.campaign, ptr::synthetic_scale_cells(init.id, 800), false);  // 4,000 cells x 6 points
  {
    ptr::Warnings warnings;
    ptr::RenderRequest req;
    req.campaign = init.id;
    ptr::render_report(root, req, warnings);
  }
  bench(root, init.id, "sqlite://" + (root / "perf-lake.sqlite").string(), runs);
  if (!pg.empty()) bench(root, init.id, pg, runs);
  fs::remove_all(root);
  return 0;
}
