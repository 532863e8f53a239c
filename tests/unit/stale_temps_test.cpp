// Temp files left by writers killed mid-write are removed once their process
// is gone, whether their target is written again (atomic_write sweeps its
// own siblings) or never (a killed cell_run's own command folder).
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

#include "test_support.hpp"
#include "util/fs.hpp"

namespace ptr::test {
namespace {

pid_t a_dead_pid() {
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  int status = 0;
  waitpid(pid, &status, 0);
  return pid;  // reaped: no process has it now (pids are not reused this fast)
}

void touch(const fs::path& p) { std::ofstream(p) << "x"; }

TEST(StaleTemps, AFolderNothingWritesAgainIsSweptOfDeadWritersTempsOnly) {
  TempDir dir;
  pid_t dead = a_dead_pid();
  std::string mine = std::to_string(getpid());
  touch(dir.path / (".log.jsonl.tmp." + std::to_string(dead) + ".55"));  // a killed run's log
  touch(dir.path / (".plan.json.tmp." + std::to_string(dead)));          // no counter
  touch(dir.path / (".log.jsonl.tmp." + mine + ".1"));                   // a live writer's
  touch(dir.path / ".log.jsonl.tmp.abc");                                // not a pid
  touch(dir.path / ".hidden");
  touch(dir.path / "log.jsonl");
  EXPECT_EQ(remove_stale_temps_in(dir.path), 2u);
  EXPECT_FALSE(fs::exists(dir.path / (".log.jsonl.tmp." + std::to_string(dead) + ".55")));
  EXPECT_FALSE(fs::exists(dir.path / (".plan.json.tmp." + std::to_string(dead))));
  for (const char* kept : {".log.jsonl.tmp.abc", ".hidden", "log.jsonl"}) EXPECT_TRUE(fs::exists(dir.path / kept)) << kept;
  EXPECT_TRUE(fs::exists(dir.path / (".log.jsonl.tmp." + mine + ".1")));
  // The per-target form leaves other targets' temps alone.
  touch(dir.path / (".a.json.tmp." + std::to_string(dead) + ".1"));
  touch(dir.path / (".b.json.tmp." + std::to_string(dead) + ".1"));
  EXPECT_EQ(remove_stale_temps(dir.path / "a.json"), 1u);
  EXPECT_TRUE(fs::exists(dir.path / (".b.json.tmp." + std::to_string(dead) + ".1")));
}

}  // namespace
}  // namespace ptr::test
