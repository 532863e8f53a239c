#pragma once
// One harness per file, written once for two builds:
//   PTR_FUZZ_TARGET(name) { ... data, size ... return 0; }
// With -DPTR_LIBFUZZER (make fuzz, clang) the body is libFuzzer's entry point;
// otherwise it registers itself with fuzz_replay, which CTest runs over the
// saved corpus and the crash regressions (fuzz/corpus, fuzz/regressions).
// A harness catches ptr::Error (the one clear input error) and nothing else:
// any other exception, crash, leak or UB report is a finding.
#include <cstddef>
#include <cstdint>

namespace ptr::fuzz {
using Target = int (*)(const uint8_t*, size_t);
struct Registration {
  Registration(const char* name, Target target);
};
}  // namespace ptr::fuzz

#ifdef PTR_LIBFUZZER
#define PTR_FUZZ_TARGET(name)                                                                               \
  static int name##_body(const uint8_t* data, size_t size);                                                 \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { return name##_body(data, size); } \
  static int name##_body(const uint8_t* data, size_t size)
#else
#define PTR_FUZZ_TARGET(name)                                                   \
  static int name##_body(const uint8_t* data, size_t size);                     \
  static const ::ptr::fuzz::Registration name##_registration(#name, name##_body); \
  static int name##_body(const uint8_t* data, size_t size)
#endif
