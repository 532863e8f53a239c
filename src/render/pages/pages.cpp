#include "render/pages/pages.hpp"

#include <cmath>

namespace ptr {

const std::vector<PageSpec>& report_pages() {
  static const std::vector<PageSpec> pages = {page1_spec(), page2_spec(), tpm_spec(), completeness_spec(), source_spec()};
  return pages;
}

bool has(const std::optional<double>& v) { return v && std::isfinite(*v) && *v > 0; }

}  // namespace ptr
