#include "verbs/report_params.hpp"

#include <sstream>

#include "util/error.hpp"

namespace ptr {

std::vector<ParamSpec> report_option_params() {
  return {
      {"variants_line", ParamType::string, false, nullptr, "Line under the page-1 title describing the variants [default: generated]."},
      {"data_source_line", ParamType::string, false, nullptr, "Line under the page-1 title naming the data source [default: generated]."},
      {"label_concurrencies", ParamType::string, false, "1,8,32", "Concurrencies labelled inline on page 1 (comma list)."},
      {"heatmap_concurrencies", ParamType::string, false, "8,16,32", "Concurrencies of the page-2 heatmap rows (comma list)."},
  };
}

static std::vector<long> parse_list(const std::string& name, const std::string& s) {
  std::vector<long> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      size_t used = 0;
      long v = std::stol(item, &used);
      if (used != item.size() || v < 1) throw std::invalid_argument(item);
      out.push_back(v);
    } catch (const std::exception&) {
      throw_usage("--" + name + " must be a comma list of positive integers, got '" + s + "'");
    }
  }
  if (out.empty()) throw_usage("--" + name + " is empty");
  return out;
}

ReportOptions report_options_from(const Params& p) {
  ReportOptions o;
  o.variants_line = p.opt_str("variants_line");
  o.data_source_line = p.opt_str("data_source_line");
  o.label_concurrencies = parse_list("label-concurrencies", p.str("label_concurrencies"));
  o.heatmap_concurrencies = parse_list("heatmap-concurrencies", p.str("heatmap_concurrencies"));
  return o;
}

}  // namespace ptr
