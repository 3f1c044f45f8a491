#include "seed_programme.hpp"

#include <cctype>

namespace tribe::product {
namespace {

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

std::string match_code(const std::string& typed, const std::vector<std::string>& codes) {
  const std::string wanted = upper(trimmed(typed));
  if (wanted.empty()) return "";
  for (const auto& code : codes) {
    if (upper(trimmed(code)) == wanted) return code;
  }
  return "";
}

std::string normalized_email(const std::string& typed) {
  std::string email = trimmed(typed);
  for (char& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto at = email.find('@');
  if (email.size() > 254 || at == std::string::npos || at == 0 || at + 1 == email.size() ||
      email.find('@', at + 1) != std::string::npos ||
      email.find_first_of(" \t\r\n") != std::string::npos) {
    return "";
  }
  return email;
}

std::size_t characters(const std::string& text) {
  std::size_t count = 0;
  for (char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

bool SeedProgramme::is_seed(const sdk::Member& member) {
  if (store_.find_one("product_seed_members", {{"member_id", member.id}})) return true;
  const std::string email = normalized_email(member.email);
  return !email.empty() && store_.find_one("product_seed_invites", {{"email", email}});
}

SeedProgramme::Joined SeedProgramme::redeem(const sdk::Member& member, const std::string& typed,
                                            const std::vector<std::string>& codes,
                                            const std::string& now) {
  const std::string code = match_code(typed, codes);
  if (code.empty()) return Joined::UnknownCode;
  Joined joined = Joined::Joined;
  try {
    store_.transaction([&](sdk::TenantStore& store) {
      if (store.find_one("product_seed_members", {{"member_id", member.id}})) {
        joined = Joined::AlreadySeed;
      } else if (store.find_one("product_seed_members", {{"code", code}})) {
        joined = Joined::CodeTaken;
      } else {
        store.insert("product_seed_members",
                     {{"member_id", member.id}, {"code", code}, {"joined_at", now}});
      }
    });
  } catch (const sdk::StoreError&) {
    // Another request took the code (or joined this member) between the look-up and the insert:
    // the table's keys refused the second row.
    return store_.find_one("product_seed_members", {{"member_id", member.id}}) ? Joined::AlreadySeed
                                                                               : Joined::CodeTaken;
  }
  return joined;
}

bool SeedProgramme::invite(const std::string& email, const std::string& admin_id,
                           const std::string& now) {
  bool added = false;
  try {
    store_.transaction([&](sdk::TenantStore& store) {
      if (store.find_one("product_seed_invites", {{"email", email}})) return;
      store.insert("product_seed_invites",
                   {{"email", email}, {"invited_by", admin_id}, {"invited_at", now}});
      added = true;
    });
  } catch (const sdk::StoreError&) {
    return false;  // invited at the same moment by another request
  }
  return added;
}

std::vector<sdk::Json> SeedProgramme::invites() {
  sdk::Query query;
  query.table = "product_seed_invites";
  query.order_by = "email";
  return store_.select(query);
}

void SeedProgramme::add_feedback(const std::string& offer_id, const sdk::Member& member, int rating,
                                 const std::string& body, const std::string& now) {
  store_.insert("product_feedback", {{"feedback_id", sdk::flows::fresh_idempotency_key()},
                                     {"offer_id", offer_id},
                                     {"member_id", member.id},
                                     {"author", member.display_name.empty()
                                                    ? member.email.substr(0, member.email.find('@'))
                                                    : member.display_name},
                                     {"rating", rating},
                                     {"body", body},
                                     {"created_at", now}});
}

std::vector<sdk::Json> SeedProgramme::feedback(const std::string& offer_id) {
  sdk::Query query;
  query.table = "product_feedback";
  query.where = {{"offer_id", offer_id}};
  query.order_by = "created_at";
  query.descending = true;
  query.limit = 200;
  return store_.select(query);
}

std::int64_t SeedProgramme::feedback_between(const std::string& from_day,
                                             const std::string& to_day) {
  // The store filters by equality only: the rows are read once and their day compared here.
  std::int64_t total = 0;
  sdk::Query query;
  query.table = "product_feedback";
  for (const auto& row : store_.select(query)) {
    const std::string day = row.at("created_at").get<std::string>().substr(0, 10);
    total += day >= from_day && day <= to_day;
  }
  return total;
}

}  // namespace tribe::product
