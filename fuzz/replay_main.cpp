// Replays every saved input of every harness (fuzz_entry.hpp): the corpus
// that `make fuzz` grew and minimized, and the inputs of fixed crashes.
//   fuzz_replay DIR...   each DIR holds one folder per harness name
// A harness without a saved input is an error: an empty replay tests nothing.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "fuzz_entry.hpp"

namespace ptr::fuzz {
namespace {
std::map<std::string, Target>& registry() {
  static std::map<std::string, Target> r;
  return r;
}
}  // namespace
Registration::Registration(const char* name, Target target) { registry()[name] = target; }
}  // namespace ptr::fuzz

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  int status = 0;
  for (const auto& [name, target] : ptr::fuzz::registry()) {
    std::vector<fs::path> inputs;
    for (int i = 1; i < argc; ++i) {
      fs::path dir = fs::path(argv[i]) / name;
      if (!fs::is_directory(dir)) continue;
      for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file()) inputs.push_back(e.path());
    }
    std::sort(inputs.begin(), inputs.end());
    if (inputs.empty()) {
      std::fprintf(stderr, "fuzz_replay: no saved input for harness '%s'\n", name.c_str());
      status = 1;
      continue;
    }
    for (const auto& p : inputs) {
      std::ifstream in(p, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      target(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    }
    std::printf("%-16s %zu inputs replayed\n", name.c_str(), inputs.size());
  }
  return status;
}
