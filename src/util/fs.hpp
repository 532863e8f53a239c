#pragma once
// File-system helpers that keep the tool's promises: every write is atomic
// (temp file + rename), and no path taken from input leaves its base folder.
#include <filesystem>
#include <string>

namespace ptr {

namespace fs = std::filesystem;

// Reads a regular file whole (devices, FIFOs and sockets are refused: they
// can block or never end).
std::string read_file(const fs::path& path);
// Throws unless `path` is (a link to) a regular file.
void require_regular_file(const fs::path& path);
// The largest file read whole (read_file, MappedFile).
inline constexpr uintmax_t kMaxReadBytes = 1u << 30;
const char* special_file_kind(fs::file_type t);
// Removes the temp siblings of `path` (".<name>.tmp.<pid>[.<n>]") left by a
// writer that died (its pid no longer runs); a live writer's are kept.
// Returns how many were removed.
size_t remove_stale_temps(const std::filesystem::path& path);
// The same for every target in `dir`: a folder a killed run wrote and no
// later run writes again (cell_run's per-run command folders).
size_t remove_stale_temps_in(const std::filesystem::path& dir);
// Writes `data` to `path` via a sibling temp file and rename(2); creates
// parents and first removes the stale temps of `path` (above). `durable` also
// fsyncs before the rename (survives power loss, not just a crash); scratch
// campaigns skip it.
void atomic_write(const fs::path& path, const std::string& data, bool durable = true);
// Copies a file atomically (temp + rename), streamed (never read whole).
void atomic_copy(const fs::path& from, const fs::path& to);
// Copies a file (streamed) and fsyncs it; creates parents.
void copy_file_durable(const fs::path& from, const fs::path& to);
// Joins a relative path from input under `base`; refuses absolute paths and any
// `..` component, so the result always stays inside `base`.
fs::path safe_join(const fs::path& base, const std::string& relative, const std::string& what);
bool files_equal(const fs::path& a, const fs::path& b);

}  // namespace ptr
