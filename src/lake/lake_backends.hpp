#pragma once
// The two backends behind open_lake (lake_db.hpp); nothing else includes them.
#include <memory>

#include "lake/lake_db.hpp"

namespace ptr {

std::unique_ptr<LakeDb> open_sqlite_lake(const LakeUrl& url);
std::unique_ptr<LakeDb> open_postgres_lake(const LakeUrl& url);

}  // namespace ptr
