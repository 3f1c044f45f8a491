// Not built: tests/fixture-plugins/expect_kernel_include_refused.cmake feeds it to the SDK's
// include check, which must refuse line 3 (plugins see only the SDK).
#include "kernel/http/server.hpp"
#include "tribe/sdk/plugin.hpp"
