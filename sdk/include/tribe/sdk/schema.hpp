#pragma once
// A declared shape for a YAML section. The kernel validates every site file against the kernel's
// schema and each plugin's, and reports each problem with its file:line:col.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tribe/sdk/abi.hpp"

namespace tribe::sdk {

struct Field;

class TRIBE_SDK_API Schema {
 public:
  enum class Type { String, Integer, Number, Boolean, List, Object, Map };

  static Schema string() { return Schema(Type::String); }
  static Schema integer() { return Schema(Type::Integer); }
  static Schema number() { return Schema(Type::Number); }
  static Schema boolean() { return Schema(Type::Boolean); }
  // A sequence whose every item has the shape `item`.
  static Schema list_of(Schema item);
  // A mapping with exactly these keys (unknown keys are errors).
  static Schema object(std::vector<Field> fields);
  // A mapping with free keys whose every value has the shape `value`.
  static Schema map_of(Schema value);

  // A string restricted to these values.
  Schema one_of(std::vector<std::string> allowed) && {
    allowed_ = std::move(allowed);
    return std::move(*this);
  }

  Type type() const { return type_; }
  const std::vector<Field>& fields() const { return fields_; }
  // The item schema of a list, or the value schema of a map.
  const Schema& element() const { return *element_; }
  const std::vector<std::string>& allowed() const { return allowed_; }

 private:
  explicit Schema(Type type) : type_(type) {}

  Type type_;
  std::vector<Field> fields_;
  std::shared_ptr<const Schema> element_;
  std::vector<std::string> allowed_;
};

struct TRIBE_SDK_API Field {
  std::string key;
  Schema schema;
  bool required = false;
  std::string description;
};

inline Field required(std::string key, Schema schema, std::string description = {}) {
  return Field{std::move(key), std::move(schema), true, std::move(description)};
}

inline Field optional(std::string key, Schema schema, std::string description = {}) {
  return Field{std::move(key), std::move(schema), false, std::move(description)};
}

inline Schema Schema::list_of(Schema item) {
  Schema schema(Type::List);
  schema.element_ = std::make_shared<const Schema>(std::move(item));
  return schema;
}

inline Schema Schema::object(std::vector<Field> fields) {
  Schema schema(Type::Object);
  schema.fields_ = std::move(fields);
  return schema;
}

inline Schema Schema::map_of(Schema value) {
  Schema schema(Type::Map);
  schema.element_ = std::make_shared<const Schema>(std::move(value));
  return schema;
}

}  // namespace tribe::sdk
