#include "util/tool_config.hpp"

#include <cstdlib>
#include <system_error>

#include "util/error.hpp"

namespace ptr {

namespace fs = std::filesystem;

std::optional<fs::path> find_tool_config(const std::string& name, const char* env_var, const fs::path& start) {
  std::error_code ec;
  if (const char* env = env_var ? std::getenv(env_var) : nullptr; env && *env) {
    fs::path p(env);
    if (!fs::is_regular_file(p, ec))
      throw_input(p.string(), std::string("not a readable file (named by ") + env_var + ")");
    return p;
  }
  if (!start.empty()) {
    fs::path dir = fs::absolute(start, ec);
    while (!ec && !dir.empty()) {
      fs::path candidate = dir / "configs" / name;
      if (fs::is_regular_file(candidate, ec)) return candidate;
      if (dir == dir.root_path()) break;
      dir = dir.parent_path();
    }
  }
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec)
    // Beside the binary (the build tree, or an install), or one level up
    // (test binaries live in build/tests/).
    for (const fs::path& candidate : {exe.parent_path() / "configs" / name,
                                      exe.parent_path().parent_path() / "configs" / name,
                                      exe.parent_path().parent_path() / "share" / "perftunereport" / name})
      if (fs::is_regular_file(candidate, ec)) return candidate;
  return std::nullopt;
}

}  // namespace ptr
