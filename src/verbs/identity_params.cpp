#include "verbs/identity_params.hpp"

#include "model/fields.hpp"

namespace ptr {

std::vector<ParamSpec> identity_params(const std::set<std::string>& skip) {
  std::vector<ParamSpec> params;
  for (const auto& f : cell_fields()) {
    if (f.config == ConfigUse::none || skip.count(f.name)) continue;
    ParamSpec p;
    p.name = f.flag ? f.flag : f.name;
    p.help = std::string(f.doc) + " For a cell not in the config" + (f.config == ConfigUse::required ? " (required then)." : ".");
    p.type = std::visit([](auto m) {
      using M = std::decay_t<decltype(std::declval<AtlasCell>().*m)>;
      if constexpr (std::is_same_v<M, std::optional<long>>) return ParamType::integer;
      else if constexpr (std::is_same_v<M, std::optional<double>>) return ParamType::number;
      else if constexpr (std::is_same_v<M, std::optional<bool>>) return ParamType::boolean;
      else return ParamType::string;
    }, f.member);
    params.push_back(p);
  }
  return params;
}

json identity_from_params(const Params& p, const std::set<std::string>& skip) {
  json identity = json::object();
  for (const auto& f : cell_fields()) {
    std::string flag = f.flag ? f.flag : f.name;
    if (f.config != ConfigUse::none && !skip.count(f.name) && p.has(flag)) identity[f.name] = p.raw()[flag];
  }
  return identity;
}

}  // namespace ptr
