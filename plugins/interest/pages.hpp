#pragma once
// The interest plugin's pages and their JSON twins, by what they show: posts (post_pages.cpp),
// KOLs (kol_pages.cpp), books and merchandise (shop_pages.cpp); groups, the membership and the
// check-ins are in plugin.cpp.
#include <optional>
#include <string>
#include <tribe/sdk/sdk.hpp>

#include "kols.hpp"

namespace tribe::interest {

// Paragraphs of a text (blank lines separate them) for a template, which escapes each one.
sdk::Json paragraphs(const std::string& text);

// A post as every page and the JSON show it: its `url`; `author`, the KOL's name when the post
// names a KOL and no author; `kol` ({id, name, url}, or null); `sponsor` ({name, label, link when
// it is an http(s) address}, or null). `label` is the catalogue's "Sponsored" (赞助): a sponsored
// post is labelled wherever it appears.
sdk::Json post_view(sdk::Json post, const sdk::Request& request, sdk::Context& context,
                    const std::vector<Kol>& kols);

// The section's group `id`, or nullopt.
std::optional<sdk::Json> find_group(sdk::Context& context, const std::string& id);

sdk::Response home(const sdk::Request& request, sdk::Context& context);
sdk::Response post_page(const sdk::Request& request, sdk::Context& context);
sdk::Response api_posts(const sdk::Request& request, sdk::Context& context);
sdk::Response api_post(const sdk::Request& request, sdk::Context& context);

sdk::Response kols_page(const sdk::Request& request, sdk::Context& context);
sdk::Response kol_page(const sdk::Request& request, sdk::Context& context);
sdk::Response api_kols(const sdk::Request& request, sdk::Context& context);
sdk::Response api_kol(const sdk::Request& request, sdk::Context& context);

sdk::Response shop_page(const sdk::Request& request, sdk::Context& context);
sdk::Response api_shop(const sdk::Request& request, sdk::Context& context);
sdk::Response buy_product(const sdk::Request& request, sdk::Context& context);

}  // namespace tribe::interest
