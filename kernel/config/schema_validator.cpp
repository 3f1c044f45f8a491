#include "kernel/config/schema_validator.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <set>

#include "tribe/sdk/did_you_mean.hpp"

namespace tribe::kernel::config {
namespace {

using sdk::Json;
using sdk::Schema;

std::string join_key(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string join_list(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

std::string expected(Schema::Type type) {
  switch (type) {
    case Schema::Type::String:
      return "a string";
    case Schema::Type::Integer:
      return "an integer";
    case Schema::Type::Number:
      return "a number";
    case Schema::Type::Boolean:
      return "true or false";
    case Schema::Type::List:
      return "a list";
    case Schema::Type::Object:
    case Schema::Type::Map:
      return "a mapping";
  }
  return "a value";
}

std::string got(const YAML::Node& node) {
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  if (node.IsNull()) return "null";
  return "a string";
}

// A quoted scalar is a string in YAML even when it reads like a number or a boolean.
bool is_plain(const YAML::Node& scalar) {
  return scalar.Tag() == "?";
}

class Validator {
 public:
  Validator(const std::string& file, Diagnostics& out) : file_(file), out_(out) {}

  // The node as JSON, or nullopt when the node itself has the wrong shape. `key_mark` is where
  // a null value is reported: yaml-cpp marks an empty value at the next token.
  std::optional<Json> value(const YAML::Node& node, const Schema& schema, const std::string& path,
                            const YAML::Mark& key_mark) {
    if (node.IsNull()) return mismatch(key_mark, path, schema, node);
    switch (schema.type()) {
      case Schema::Type::String:
        return string(node, schema, path);
      case Schema::Type::Integer:
        return integer(node, schema, path);
      case Schema::Type::Number:
        return number(node, schema, path);
      case Schema::Type::Boolean:
        return boolean(node, schema, path);
      case Schema::Type::List:
        return list(node, schema, path);
      case Schema::Type::Object:
        return object(node, schema, path);
      case Schema::Type::Map:
        return map(node, schema, path);
    }
    return std::nullopt;
  }

 private:
  std::optional<Json> string(const YAML::Node& node, const Schema& schema,
                             const std::string& path) {
    if (!node.IsScalar()) return mismatch(node.Mark(), path, schema, node);
    const std::string& text = node.Scalar();
    const auto& allowed = schema.allowed();
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), text) == allowed.end()) {
      report(node.Mark(), path, "'" + text + "' is not one of: " + join_list(allowed));
      return std::nullopt;
    }
    return Json(text);
  }

  std::optional<Json> integer(const YAML::Node& node, const Schema& schema,
                              const std::string& path) {
    if (!node.IsScalar() || !is_plain(node)) return mismatch(node.Mark(), path, schema, node);
    const std::string& text = node.Scalar();
    std::int64_t parsed = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (error == std::errc::result_out_of_range) {
      report(node.Mark(), path, "'" + text + "' does not fit in a 64-bit integer");
      return std::nullopt;
    }
    if (error != std::errc() || end != text.data() + text.size()) {
      return mismatch(node.Mark(), path, schema, node);
    }
    return Json(parsed);
  }

  std::optional<Json> number(const YAML::Node& node, const Schema& schema,
                             const std::string& path) {
    if (!node.IsScalar() || !is_plain(node)) return mismatch(node.Mark(), path, schema, node);
    const std::string& text = node.Scalar();
    double parsed = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(parsed)) {
      return mismatch(node.Mark(), path, schema, node);
    }
    return Json(parsed);
  }

  // YAML 1.2: only true and false; yes/no/on/off are the YAML 1.1 trap.
  std::optional<Json> boolean(const YAML::Node& node, const Schema& schema,
                              const std::string& path) {
    if (node.IsScalar() && is_plain(node)) {
      if (node.Scalar() == "true") return Json(true);
      if (node.Scalar() == "false") return Json(false);
    }
    return mismatch(node.Mark(), path, schema, node);
  }

  std::optional<Json> list(const YAML::Node& node, const Schema& schema, const std::string& path) {
    if (!node.IsSequence()) return mismatch(node.Mark(), path, schema, node);
    Json items = Json::array();
    for (std::size_t i = 0; i < node.size(); ++i) {
      const YAML::Node item = node[i];
      const std::string item_path = path + "[" + std::to_string(i) + "]";
      if (auto converted = value(item, schema.element(), item_path, item.Mark())) {
        items.push_back(std::move(*converted));
      }
    }
    return items;
  }

  std::optional<Json> object(const YAML::Node& node, const Schema& schema,
                             const std::string& path) {
    if (!node.IsMap()) return mismatch(node.Mark(), path, schema, node);
    Json result = Json::object();
    std::set<std::string> present;
    for (const auto& entry : node) {
      const YAML::Node& key = entry.first;
      if (!key.IsScalar()) {
        report(key.Mark(), path, "a key must be a name, got " + got(key));
        continue;
      }
      const std::string& name = key.Scalar();
      const std::string key_path = join_key(path, name);
      const sdk::Field* field = find_field(schema, name);
      if (!field) {
        report(key.Mark(), key_path, unknown_key(name, schema));
        continue;
      }
      present.insert(name);
      if (auto converted = value(entry.second, field->schema, key_path, key.Mark())) {
        result[name] = std::move(*converted);
      }
    }
    for (const auto& field : schema.fields()) {
      if (field.required && !present.contains(field.key)) {
        report(node.Mark(), join_key(path, field.key), "missing required key '" + field.key + "'");
      }
    }
    return result;
  }

  std::optional<Json> map(const YAML::Node& node, const Schema& schema, const std::string& path) {
    if (!node.IsMap()) return mismatch(node.Mark(), path, schema, node);
    Json result = Json::object();
    for (const auto& entry : node) {
      const YAML::Node& key = entry.first;
      if (!key.IsScalar()) {
        report(key.Mark(), path, "a key must be a name, got " + got(key));
        continue;
      }
      const std::string key_path = join_key(path, key.Scalar());
      if (auto converted = value(entry.second, schema.element(), key_path, key.Mark())) {
        result[key.Scalar()] = std::move(*converted);
      }
    }
    return result;
  }

  static const sdk::Field* find_field(const Schema& schema, const std::string& key) {
    for (const auto& field : schema.fields()) {
      if (field.key == key) return &field;
    }
    return nullptr;
  }

  static std::string unknown_key(const std::string& key, const Schema& schema) {
    std::vector<std::string> known;
    for (const auto& field : schema.fields()) known.push_back(field.key);
    if (auto close = sdk::did_you_mean(key, known)) {
      return "unknown key '" + key + "'; did you mean '" + *close + "'?";
    }
    if (known.empty()) return "unknown key '" + key + "'; no keys are allowed here";
    return "unknown key '" + key + "'; expected one of: " + join_list(known);
  }

  std::nullopt_t mismatch(const YAML::Mark& mark, const std::string& path, const Schema& schema,
                          const YAML::Node& node) {
    report(mark, path, "expected " + expected(schema.type()) + ", got " + got(node));
    return std::nullopt;
  }

  void report(const YAML::Mark& mark, const std::string& path, std::string message) {
    // An empty document's node has no position; the start of the file stands for it.
    const int line = mark.is_null() ? 1 : mark.line + 1;
    const int column = mark.is_null() ? 1 : mark.column + 1;
    out_.push_back({file_, line, column, path, std::move(message)});
  }

  const std::string& file_;
  Diagnostics& out_;
};

}  // namespace

sdk::Json validate(const YAML::Node& node, const sdk::Schema& schema, const std::string& file,
                   const std::string& path, Diagnostics& out) {
  Validator validator(file, out);
  return validator.value(node, schema, path, node.Mark()).value_or(sdk::Json());
}

}  // namespace tribe::kernel::config
