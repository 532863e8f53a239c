// The MCP server's JSON-RPC reader and dispatcher: the input is a session's
// stdin (lines), served against an empty campaigns folder; the server must
// answer and end at EOF whatever the lines hold.
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "fuzz_entry.hpp"
#include "mcp/server.hpp"

PTR_FUZZ_TARGET(mcp) {
  struct Scratch {
    std::filesystem::path path;
    Scratch() {
      char tmpl[] = "/tmp/ptr-fuzz-mcp-XXXXXX";
      path = mkdtemp(tmpl);
    }
    ~Scratch() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  };
  static const Scratch scratch;
  const std::filesystem::path& root = scratch.path;
  // A pipe holds 64 KiB: larger sessions are cut there (the 4 MiB line limit
  // is tested by the normal suite).
  if (size > 60000) size = 60000;
  int in[2];
  if (pipe(in) != 0) return 0;
  size_t off = 0;
  while (off < size) {
    ssize_t n = write(in[1], data + off, size - off);
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  close(in[1]);
  int out = open("/dev/null", O_WRONLY);
  ptr::mcp::ServerOptions options;
  options.campaigns_root = root;
  (void)ptr::mcp::serve(in[0], out, options);
  close(in[0]);
  close(out);
  return 0;
}
