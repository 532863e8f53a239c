#pragma once
// The identity flags of a cell not in the config: one per config field of the
// field table (model/fields.cpp), shared by the import verbs.
#include <set>
#include <string>
#include <vector>

#include "verbs/registry.hpp"

namespace ptr {

// Flags for every config field except those in `skip` (declared by the verb itself).
std::vector<ParamSpec> identity_params(const std::set<std::string>& skip);
// field name -> value of the identity flags given.
json identity_from_params(const Params& p, const std::set<std::string>& skip);

}  // namespace ptr
