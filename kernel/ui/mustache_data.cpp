#include "kernel/ui/mustache_data.hpp"

namespace tribe::kernel::ui {

kainjow::mustache::data to_mustache(const sdk::Json& value) {
  using kainjow::mustache::data;
  switch (value.type()) {
    case sdk::Json::value_t::object: {
      data object{data::type::object};
      for (const auto& [key, item] : value.items()) object.set(key, to_mustache(item));
      return object;
    }
    case sdk::Json::value_t::array: {
      data list{data::type::list};
      for (const auto& item : value) list.push_back(to_mustache(item));
      return list;
    }
    case sdk::Json::value_t::string:
      return data{value.get<std::string>()};
    case sdk::Json::value_t::boolean:
      return data{value.get<bool>()};
    case sdk::Json::value_t::null:
    case sdk::Json::value_t::discarded:
      // Mustache treats false as absent; so does Tribe's null.
      return data{false};
    default:
      return data{value.dump()};  // numbers, as JSON prints them
  }
}

}  // namespace tribe::kernel::ui
