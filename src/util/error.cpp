#include "util/error.hpp"

namespace ptr {

static std::string compose(const std::string& message, const std::string& file, long line,
                           const std::string& key) {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) out += ":" + std::to_string(line);
    out += ": ";
  }
  if (!key.empty()) out += "key '" + key + "': ";
  return out + message;
}

Error::Error(ErrorKind kind, const std::string& message, std::string file, long line,
             std::string key, std::string hint)
    : std::runtime_error(compose(message, file, line, key)),
      kind(kind),
      file(std::move(file)),
      line(line),
      key(std::move(key)),
      hint(std::move(hint)),
      message(message) {}

void throw_input(const std::string& file, const std::string& what, long line,
                 const std::string& key, const std::string& hint) {
  throw Error(ErrorKind::input, what, file, line, key, hint);
}
void throw_io(const std::string& file, const std::string& what) {
  throw Error(ErrorKind::io, what, file);
}
void throw_refusal(const std::string& what, const std::string& hint) {
  throw Error(ErrorKind::refusal, what, {}, -1, {}, hint);
}
void throw_usage(const std::string& what, const std::string& hint) {
  throw Error(ErrorKind::usage, what, {}, -1, {}, hint);
}

int exit_code_for(ErrorKind kind) {
  return (kind == ErrorKind::refusal || kind == ErrorKind::usage) ? 2 : 1;
}

const char* kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::input: return "input";
    case ErrorKind::io: return "io";
    case ErrorKind::refusal: return "refusal";
    case ErrorKind::usage: return "usage";
  }
  return "unknown";
}

}  // namespace ptr
