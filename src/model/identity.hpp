#pragma once
// One identity for every grouping: the full-context descriptor of a cell,
// field by field from the field table (model, hardware, quant, parallelism,
// serving knobs, engine and version, mbt, workload, cache mode, delivery).
// Variants, TPM rows, heatmap rows, labels and (later) lake keys all use it;
// the cell id breaks ties between cells that agree on everything (an A/B).
#include <set>
#include <string>
#include <vector>

#include "model/atlas_cell.hpp"
#include "model/fields.hpp"

namespace ptr {

// The fields that identify a cell (every field with a role), in table order.
const std::vector<const FieldSpec<AtlasCell>*>& identity_fields();

// A field's value as text: "TP8", "MTP", "ISL 1024"; "" when unknown.
std::string field_label(const AtlasCell& c, const FieldSpec<AtlasCell>& f);
std::string field_value(const AtlasCell& c, const FieldSpec<AtlasCell>& f);  // raw, "?" when unknown

// The full descriptor as a key, leaving out the named fields.
std::string identity_key(const AtlasCell& c, const std::set<std::string>& exclude = {});
// For matching across campaigns: the same configuration without the stack
// (engine version, delivery), the cell id and dates; a re-run after an
// engine upgrade matches its predecessor.
std::string comparison_key(const AtlasCell& c);
// The keys as the lake stores them: the first 32 hex digits of their SHA-256.
std::string identity_digest(const AtlasCell& c);
std::string comparison_digest(const AtlasCell& c);
// Stack fields (shown beside a cross-campaign match).
std::vector<std::pair<std::string, std::string>> stack_fields(const AtlasCell& c);

// Labels that show what varies: the fields whose values differ among `cells`
// (besides `exclude`), the model always when there are several; a tie
// between cells that agree on everything is broken by the cell id.
class IdentityLabeler {
 public:
  IdentityLabeler(const std::vector<AtlasCell>& cells, std::set<std::string> exclude = {});
  std::string label(const AtlasCell& c) const;
  // The key a grouping uses: identity minus `exclude`, plus the cell id on ties.
  std::string key(const AtlasCell& c) const;
  const std::vector<const FieldSpec<AtlasCell>*>& varying() const { return varying_; }
  bool varies(const std::string& field) const;

 private:
  std::set<std::string> exclude_;
  std::vector<const FieldSpec<AtlasCell>*> varying_;
  std::set<std::string> tied_;  // full identity keys that several cells share
};

}  // namespace ptr
