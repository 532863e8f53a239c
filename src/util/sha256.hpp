#pragma once
// SHA-256 (FIPS 180-4) of bytes or a file, as lowercase hex: the lake keeps
// the report's digest as published.
#include <filesystem>
#include <string>
#include <string_view>

namespace ptr {

std::string sha256_hex(std::string_view bytes);
std::string sha256_file_hex(const std::filesystem::path& file);

}  // namespace ptr
