#pragma once
// Everything a plugin needs, in one include.
#include "tribe/sdk/abi.hpp"
#include "tribe/sdk/bundle.hpp"
#include "tribe/sdk/context.hpp"
#include "tribe/sdk/http.hpp"
#include "tribe/sdk/json.hpp"
#include "tribe/sdk/log.hpp"
#include "tribe/sdk/manifest.hpp"
#include "tribe/sdk/plugin.hpp"
#include "tribe/sdk/registry.hpp"
#include "tribe/sdk/schema.hpp"
#include "tribe/sdk/site.hpp"
#include "tribe/sdk/store.hpp"
