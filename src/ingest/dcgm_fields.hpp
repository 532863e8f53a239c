#pragma once
// DCGM fields the telemetry parsers read, by the three names they go by
// (classic field name in dcgm-exporter, dmon short name, numeric id), with
// the canonical metric they become (model/telemetry_names.hpp) and the factor
// to it (ratios 0..1 become percentages). shared/reference/roofline-dcgm.md §4.1.
#include <optional>
#include <string>

namespace ptr {

struct DcgmField {
  int id;
  const char* name;   // DCGM_FI_PROF_DRAM_ACTIVE
  const char* short_name;  // DRAMA
  const char* metric;  // canonical name
  double scale;        // canonical = value x scale
};

const DcgmField* dcgm_field_by_name(const std::string& name);        // classic or 4.6 name
const DcgmField* dcgm_field_by_short_name(const std::string& short_name);

}  // namespace ptr
