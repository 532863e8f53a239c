#pragma once
// One writer at a time per campaign: an exclusive flock(2) on <dir>/.lock,
// held for one import, one point's ingest, one aggregate or one render (never
// for a whole sweep). The CLI and the MCP server take the same lock. The file
// names its holder, so a waiting writer can say who it waits for.
#include <filesystem>
#include <string>

namespace ptr {

class FileLock {
 public:
  // Waits up to `wait_s` seconds, then fails with a refusal naming the holder.
  FileLock(const std::filesystem::path& dir, const std::string& holder, double wait_s = 120);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

// How long writers wait for a campaign lock: $PERFREPORT_LOCK_WAIT_S, else 120.
double lock_wait_seconds();

}  // namespace ptr
