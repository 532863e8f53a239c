#pragma once
// Configuration files the tool ships in configs/ (source registry, GPU
// ceilings): found in one order everywhere, so a campaign can carry its own
// copy and a user can point at another without rebuilding.
#include <filesystem>
#include <optional>
#include <string>

namespace ptr {

// The environment variable when set (a path that does not exist is an
// error, not a fallback), then configs/<name> in `start` and each of its
// ancestors, then the copy installed beside the binary (<exe>/configs/<name>,
// <exe>/../configs/<name>,
// <exe>/../share/perftunereport/<name>). Nullopt when none exists.
std::optional<std::filesystem::path> find_tool_config(const std::string& name, const char* env_var,
                                                      const std::filesystem::path& start);

}  // namespace ptr
