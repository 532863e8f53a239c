#pragma once
// All-or-nothing updates of several files in one folder: everything is first
// written under <dir>/.txn-<pid>-<n>/, then a journal naming every file is
// written, then the files are renamed into place. A crash before the journal
// leaves the folder as it was (the next run deletes the staging); a crash
// after it is rolled forward by the next run (recover()). Hidden names keep
// staging out of folder walks.
#include <filesystem>
#include <string>
#include <vector>

namespace ptr {

class StagedCommit {
 public:
  explicit StagedCommit(std::filesystem::path dir);
  ~StagedCommit();  // discards the staging unless committed
  StagedCommit(const StagedCommit&) = delete;
  StagedCommit& operator=(const StagedCommit&) = delete;

  // Stages <dir>/<rel> with `data`, or as a copy of `from` (streamed, never read whole).
  void write(const std::string& rel, const std::string& data);
  void copy(const std::filesystem::path& from, const std::string& rel);
  bool empty() const { return files_.empty(); }
  void commit();

  // Finishes (journal present) or discards (no journal) the staging folders
  // that dead processes left in `dir`. Returns how many it handled.
  static int recover(const std::filesystem::path& dir);

 private:
  std::filesystem::path dir_, staging_;
  std::vector<std::string> files_;
  bool committed_ = false;
};

}  // namespace ptr
