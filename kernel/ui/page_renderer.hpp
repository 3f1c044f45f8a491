#pragma once
#include <string>

#include "kernel/ui/message_catalogue.hpp"
#include "tribe/sdk/json.hpp"

namespace tribe::kernel::ui {

// What the layout shell shows around every page of a site.
struct PageFrame {
  sdk::Json site = sdk::Json::object();   // id, name, description, locale
  sdk::Json theme = sdk::Json::object();  // accent, background, text, logo (defaults filled in)
  std::string base;                       // "" or "/s/<site>"
  const MessageCatalogue* messages = nullptr;
  sdk::Json member = nullptr;  // {display_name, admin} of the logged-in member, or null
  std::string csrf_token;      // for the hidden `csrf_token` field of every POST form
};

// Renders mustache templates into the layout shell. Values are HTML-escaped unless a template
// uses triple braces; template errors throw std::runtime_error naming the template.
class PageRenderer {
 public:
  PageRenderer();

  // The kernel's own catalogue (layout and error pages); plugins' catalogues fall back to it.
  const MessageCatalogue& kernel_messages() const { return kernel_messages_; }

  // The theme with every key the layout uses, defaults where the site says nothing.
  static sdk::Json complete_theme(const sdk::Json& theme);

  std::string render_page(const std::string& template_name, const std::string& template_text,
                          sdk::Json data, const PageFrame& frame) const;
  std::string render_error_page(int status, const std::string& message,
                                const std::string& request_id, const PageFrame& frame) const;

  // One template with `data`, no layout.
  static std::string render(const std::string& template_name, const std::string& template_text,
                            const sdk::Json& data);

 private:
  sdk::Json frame_data(sdk::Json data, const PageFrame& frame) const;

  std::string layout_;
  std::string error_template_;
  MessageCatalogue kernel_messages_;
};

}  // namespace tribe::kernel::ui
