// Every format of the ingest table, as discover.cpp uses them: each sniffer
// sees the input, the most confident adapter parses it, every run is range-
// checked; an input no adapter claims gets its near-miss diagnosis.
#include <string>

#include "fuzz_entry.hpp"
#include "ingest/formats.hpp"
#include "util/error.hpp"

PTR_FUZZ_TARGET(formats) {
  std::string text(reinterpret_cast<const char*>(data), size);
  ptr::FileView view{"fuzz-input", text};
  const ptr::FormatAdapter* best = nullptr;
  int confidence = 0;
  for (const auto& a : ptr::format_table()) {
    ptr::Sniff s = a.sniff(view);
    if (s.confidence > confidence) {
      confidence = s.confidence;
      best = &a;
    }
  }
  try {
    if (!best) {
      (void)ptr::near_miss(view);
      return 0;
    }
    ptr::Products products;
    best->parse(view, products);
    for (auto& r : products.runs) ptr::validate_run(r, "fuzz-input");
  } catch (const ptr::Error&) {
  }
  return 0;
}
