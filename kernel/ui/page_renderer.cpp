#include "kernel/ui/page_renderer.hpp"

#include <kainjow/mustache.hpp>
#include <stdexcept>
#include <string_view>

#include "kernel/ui/builtin_files.hpp"
#include "kernel/ui/mustache_data.hpp"

namespace tribe::kernel::ui {
namespace {

std::string builtin(std::string_view path) {
  for (const auto& file : builtin_files()) {
    if (path == file.path) return std::string(file.data, file.size);
  }
  throw std::logic_error("built-in UI file missing: " + std::string(path));
}

}  // namespace

PageRenderer::PageRenderer()
    : layout_(builtin("templates/layout.mustache")),
      error_template_(builtin("templates/error.mustache")) {
  for (const auto& file : builtin_files()) {
    std::string_view path(file.path);
    constexpr std::string_view prefix = "messages/";
    if (path.starts_with(prefix) && path.ends_with(".yaml")) {
      std::string locale(path.substr(prefix.size(), path.size() - prefix.size() - 5));
      kernel_messages_.add(locale, std::string(file.data, file.size),
                           "kernel/ui/" + std::string(path));
    }
  }
}

sdk::Json PageRenderer::complete_theme(const sdk::Json& theme) {
  sdk::Json complete = {
      {"accent", "#b4462b"}, {"background", "#fbf8f3"}, {"text", "#2b2118"}, {"logo", ""}};
  if (theme.is_object()) {
    for (const auto& [key, value] : theme.items()) complete[key] = value;
  }
  return complete;
}

std::string PageRenderer::render(const std::string& template_name, const std::string& template_text,
                                 const sdk::Json& data) {
  kainjow::mustache::mustache compiled(template_text);
  if (!compiled.is_valid()) {
    throw std::runtime_error("template '" + template_name + "': " + compiled.error_message());
  }
  std::string out = compiled.render(to_mustache(data));
  if (!compiled.is_valid()) {
    throw std::runtime_error("template '" + template_name + "': " + compiled.error_message());
  }
  return out;
}

sdk::Json PageRenderer::frame_data(sdk::Json data, const PageFrame& frame) const {
  if (!data.is_object()) data = sdk::Json{{"value", std::move(data)}};
  data["site"] = frame.site;
  data["theme"] = complete_theme(frame.theme);
  data["base"] = frame.base;
  data["member"] = frame.member;
  data["csrf_token"] = frame.csrf_token;
  const MessageCatalogue& messages = frame.messages ? *frame.messages : kernel_messages_;
  data["t"] =
      messages.table(frame.site.value("locale", std::string(MessageCatalogue::kFallbackLocale)));
  return data;
}

std::string PageRenderer::render_page(const std::string& template_name,
                                      const std::string& template_text, sdk::Json data,
                                      const PageFrame& frame) const {
  sdk::Json framed = frame_data(std::move(data), frame);
  framed["body"] = render(template_name, template_text, framed);
  return render("layout", layout_, framed);
}

std::string PageRenderer::render_error_page(int status, const std::string& message,
                                            const std::string& request_id,
                                            const PageFrame& frame) const {
  sdk::Json data = {{"title", std::to_string(status)},
                    {"status", status},
                    {"message", message},
                    {"request_id", request_id}};
  return render_page("error", error_template_, std::move(data), frame);
}

}  // namespace tribe::kernel::ui
