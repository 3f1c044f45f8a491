#pragma once
// The section schema of the `interest` plugin as the corpus in tests/data/config assumes it.
#include "kernel/config/site_config.hpp"

namespace tribe::kernel::config {

inline sdk::Schema interest_section() {
  using sdk::optional;
  using sdk::required;
  using sdk::Schema;
  return Schema::object(
      {optional("tagline", Schema::string()),
       optional("posts",
                Schema::list_of(Schema::object(
                    {required("slug", Schema::string()), required("title", Schema::string()),
                     optional("author", Schema::string()), optional("published", Schema::string()),
                     required("body", Schema::string()),
                     optional("tags", Schema::list_of(Schema::string()))})))});
}

inline SiteSchemaInputs interest_inputs() {
  SiteSchemaInputs inputs;
  inputs.community_types = {"interest"};
  inputs.plugin_sections.emplace("interest", interest_section());
  return inputs;
}

}  // namespace tribe::kernel::config
