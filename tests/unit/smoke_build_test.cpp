#include <gtest/gtest.h>
#include "verbs/registry.hpp"
TEST(Registry, HasVerbs) { EXPECT_GE(ptr::verb_registry().size(), 3u); }
