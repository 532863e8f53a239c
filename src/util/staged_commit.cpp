#include "util/staged_commit.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <unistd.h>

#include "util/error.hpp"
#include "util/fs.hpp"

namespace ptr {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPrefix = ".txn-";
constexpr const char* kJournal = "COMMIT";

std::atomic<unsigned> counter{0};

bool process_alive(long pid) { return pid > 0 && (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

void move_into_place(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to.parent_path(), ec);
  fs::rename(from, to, ec);
  if (ec) throw_io(to.string(), "cannot move staged file into place: " + ec.message());
}

void roll_forward(const fs::path& dir, const fs::path& staging) {
  std::ifstream journal(staging / kJournal);
  std::string rel;
  while (std::getline(journal, rel)) {
    if (rel.empty()) continue;
    fs::path from = safe_join(staging, rel, "staged file");
    if (fs::exists(fs::symlink_status(from))) move_into_place(from, safe_join(dir, rel, "staged file"));
  }
}

}  // namespace

StagedCommit::StagedCommit(fs::path dir) : dir_(std::move(dir)) {
  staging_ = dir_ / fmt::format("{}{}-{}", kPrefix, getpid(), counter++);
  std::error_code ec;
  fs::remove_all(staging_, ec);
  fs::create_directories(staging_, ec);
  if (ec) throw_io(staging_.string(), "cannot create staging folder: " + ec.message());
}

StagedCommit::~StagedCommit() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

void StagedCommit::write(const std::string& rel, const std::string& data) {
  atomic_write(safe_join(staging_, rel, "staged file"), data);
  files_.push_back(rel);
}

void StagedCommit::copy(const fs::path& from, const std::string& rel) {
  fs::path to = safe_join(staging_, rel, "staged file");
  copy_file_durable(from, to);
  files_.push_back(rel);
}

void StagedCommit::commit() {
  std::string journal;
  for (const auto& f : files_) journal += f + "\n";
  atomic_write(staging_ / kJournal, journal);  // durable: from here on the update happens
  roll_forward(dir_, staging_);
  committed_ = true;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

int StagedCommit::recover(const fs::path& dir) {
  int handled = 0;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return 0;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind(kPrefix, 0) != 0) continue;
    long pid = std::strtol(name.c_str() + std::strlen(kPrefix), nullptr, 10);
    if (pid == getpid() || process_alive(pid)) continue;
    if (fs::exists(e.path() / kJournal)) roll_forward(dir, e.path());
    fs::remove_all(e.path(), ec);
    ++handled;
  }
  return handled;
}

}  // namespace ptr
