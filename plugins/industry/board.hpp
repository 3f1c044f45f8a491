#pragma once
// The job and resource board (招聘与资源对接): verified members post jobs and resources tagged by
// city and role; the board lists them for everyone, filtered by kind and tag, and ranks them for
// a logged-in member by the tags they share (matching); a member's "contact" on a post is
// recorded and its poster sees who asked.
#include <tribe/sdk/sdk.hpp>

namespace tribe::industry {

// GET /board (?kind=job|resource, ?tag=city:上海) and GET /api/board: the posts, ranked.
sdk::Response board_page(const sdk::Request& request, sdk::Context& context);
sdk::Response board_api(const sdk::Request& request, sdk::Context& context);
// POST /board: kind, title, city, role, description; verified members only (403 otherwise).
sdk::Response create_post(const sdk::Request& request, sdk::Context& context);
// POST /board/{id}/contact: message; records (once per member) that the member asked.
sdk::Response contact_post(const sdk::Request& request, sdk::Context& context);
// GET /api/board/mine: the member's own posts with who asked about each.
sdk::Response my_posts_api(const sdk::Request& request, sdk::Context& context);

}  // namespace tribe::industry
