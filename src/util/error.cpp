#include "util/error.hpp"

#include "util/text.hpp"

namespace ptr {

// Messages reach JSON envelopes and terminals: valid UTF-8 only, and bounded
// (a config error lists many problems, but never megabytes).
constexpr size_t kMaxMessageBytes = 8192;

static std::string bounded(const std::string& s, size_t max) {
  std::string v = valid_utf8(s);
  if (v.size() <= max) return v;
  return excerpt(v, max);
}

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
    : std::runtime_error(compose(bounded(message, kMaxMessageBytes), bounded(file, 512), line, bounded(key, 120))),
      kind(kind),
      file(bounded(file, 512)),
      line(line),
      key(bounded(key, 120)),
      hint(bounded(hint, 1024)),
      message(bounded(message, kMaxMessageBytes)) {}

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
