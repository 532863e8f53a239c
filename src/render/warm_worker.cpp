#include "render/warm_worker.hpp"

#include "render/chart/canvas.hpp"
#include <stdexcept>

namespace ptr {

WarmWorker::WarmWorker() {
  thread_ = std::thread([job = job_.get_future()]() mutable {
    try {
      chart::warm_fonts();
    } catch (...) {
      // The job's own drawing reports a font problem (require_fonts) with its message.
    }
    std::packaged_task<std::string()> task = job.get();
    if (task.valid()) task();
  });
}

WarmWorker::~WarmWorker() {
  if (!given_) job_.set_value({});
  thread_.join();
}

std::future<std::string> WarmWorker::run(std::function<std::string()> job) {
  if (given_) throw std::logic_error("WarmWorker runs one job");
  std::packaged_task<std::string()> task(std::move(job));
  std::future<std::string> done = task.get_future();
  job_.set_value(std::move(task));
  given_ = true;
  return done;
}

}  // namespace ptr
