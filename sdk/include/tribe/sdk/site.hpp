#pragma once
#include <string>
#include <vector>

#include "tribe/sdk/abi.hpp"
#include "tribe/sdk/json.hpp"
#include "tribe/sdk/offer.hpp"

namespace tribe::sdk {

// A read-only view of one site (tenant) as one plugin sees it.
class TRIBE_SDK_API SiteView {
 public:
  virtual ~SiteView() = default;
  virtual const std::string& id() const = 0;
  virtual const std::string& name() const = 0;
  virtual const std::string& community_type() const = 0;
  virtual const std::string& locale() const = 0;  // "zh-CN" or "en"
  virtual const std::vector<std::string>& hosts() const = 0;
  // This plugin's section of the site YAML, validated against its schema; {} when absent.
  virtual const Json& config() const = 0;
  // What the site sells (its `offers`), in file order.
  virtual const std::vector<Offer>& offers() const = 0;
};

}  // namespace tribe::sdk
