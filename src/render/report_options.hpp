#pragma once
// The options of one render. Each page declares the parameters it reads
// (pages.cpp); report_render and report_smoke turn the declarations into
// verb parameters, so a page parameter is written once.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ptr {

enum class PageParamKind { text, int_list, choice };

struct PageParam {
  const char* name;  // snake_case; the CLI shows --kebab-case
  PageParamKind kind;
  const char* default_value;  // nullptr = absent unless given
  const char* doc;
  const char* choices = nullptr;  // '|'-separated for choice
  // For choices computed at run time (field names): the allowed values.
  std::vector<std::string> (*dynamic_choices)() = nullptr;
};

// Every parameter the report's pages declare (shared ones once), in page order.
const std::vector<PageParam>& report_params();
const PageParam* find_report_param(const std::string& name);
std::vector<std::string> allowed_values(const PageParam& p);

struct ReportOptions {
  std::map<std::string, std::string> values;  // as given, checked by set()
  bool synthetic = false;                     // the smoke fixture: every footer says SYNTHETIC

  // Raises a usage error naming the flag when the value does not fit.
  void set(const std::string& name, const std::string& value);
  // The value given, else the declared default ("" when neither).
  std::string text(const std::string& name) const;
  std::optional<std::string> given(const std::string& name) const;
  std::vector<long> longs(const std::string& name) const;
};

}  // namespace ptr
