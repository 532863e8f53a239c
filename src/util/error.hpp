#pragma once
// One error type for everything the tool refuses or cannot do. main() is the
// only place that turns it into an exit code (input/io -> 1, refusal/usage -> 2).
#include <stdexcept>
#include <string>

namespace ptr {

enum class ErrorKind { input, io, refusal, usage };

struct Error : std::runtime_error {
  ErrorKind kind;
  std::string file;  // file the problem is in, when there is one
  long line = -1;    // 1-based line, when known
  std::string key;   // offending key, when known
  std::string hint;  // how to fix it, when we can say
  std::string message;  // the problem alone, without file/line/key

  Error(ErrorKind kind, const std::string& message, std::string file = {}, long line = -1,
        std::string key = {}, std::string hint = {});
};

// "<file>:<line>: <key>: <what>" with the parts that are known.
[[noreturn]] void throw_input(const std::string& file, const std::string& what, long line = -1,
                              const std::string& key = {}, const std::string& hint = {});
[[noreturn]] void throw_io(const std::string& file, const std::string& what);
[[noreturn]] void throw_refusal(const std::string& what, const std::string& hint = {});
[[noreturn]] void throw_usage(const std::string& what, const std::string& hint = {});

int exit_code_for(ErrorKind kind);
const char* kind_name(ErrorKind kind);

}  // namespace ptr
