#pragma once
// A thread that loads the report's fonts as soon as it exists and then runs
// one job: with --format both the HTML pages are drawn on their own thread
// (Pango's font map is per thread), and report_smoke creates this one while
// it builds its campaign, so those fonts are loaded before the pages are.
#include <functional>
#include <future>
#include <string>
#include <thread>

namespace ptr {

class WarmWorker {
 public:
  WarmWorker();
  // Joins the thread; a worker never given a job ends after its warm-up.
  ~WarmWorker();
  WarmWorker(const WarmWorker&) = delete;
  WarmWorker& operator=(const WarmWorker&) = delete;

  // Runs `job` on the worker (once per worker).
  std::future<std::string> run(std::function<std::string()> job);

 private:
  std::promise<std::packaged_task<std::string()>> job_;
  bool given_ = false;
  std::thread thread_;
};

}  // namespace ptr
