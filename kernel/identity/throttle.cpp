#include "kernel/identity/throttle.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "kernel/identity/token.hpp"
#include "kernel/store/store_error_translation.hpp"
#include "kernel/store/timestamp.hpp"
#include "kernel/store/write_transaction.hpp"

namespace tribe::kernel::identity {
namespace {

constexpr const char* kFailures = "tribe_login_failures";

std::string account_subject(const std::string& email) {
  return "account:" + email;
}

std::string address_subject(const std::string& address) {
  return "address:" + address;
}

// The address is left out when unknown: one shared "address:" would throttle every such client.
std::vector<std::string> counted_subjects(const std::string& email, const std::string& address) {
  std::vector<std::string> subjects{account_subject(email)};
  if (!address.empty()) subjects.push_back(address_subject(address));
  return subjects;
}

std::string in_minutes(std::chrono::seconds wait) {
  const long long minutes = std::max<long long>(1, (wait.count() + 59) / 60);
  return std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes");
}

void insert_failure(soci::session& session, const std::string& tenant, const std::string& subject,
                    long long failed_at) {
  const std::string id = random_token(12);
  session << "INSERT INTO tribe_login_failures (tenant_id, subject, failure_id, failed_at)"
             " VALUES (:tenant, :subject, :id, :failed_at)",
      soci::use(tenant), soci::use(subject), soci::use(id), soci::use(failed_at);
}

void forget_before(soci::session& session, const std::string& tenant, const std::string& subject,
                   long long oldest_kept) {
  session << "DELETE FROM tribe_login_failures"
             " WHERE tenant_id = :tenant AND subject = :subject AND failed_at < :oldest",
      soci::use(tenant), soci::use(subject), soci::use(oldest_kept);
}

}  // namespace

LoginThrottle::LoginThrottle(store::Database& database, int max_account_failures,
                             int max_address_failures, std::chrono::seconds window)
    : database_(database),
      max_account_failures_(max_account_failures),
      max_address_failures_(max_address_failures),
      window_(window) {
  if (max_account_failures < 1 || max_address_failures < 1 || window.count() < 1) {
    throw std::invalid_argument(
        "LoginThrottle needs limits of at least 1 failure and a window of at least 1 second");
  }
}

std::optional<ThrottleRefusal> LoginThrottle::refusal(
    const std::string& tenant, const std::string& email, const std::string& client_address,
    std::chrono::system_clock::time_point now) const {
  const auto account_wait = retry_after(tenant, account_subject(email), max_account_failures_, now);
  const auto address_wait =
      client_address.empty()
          ? std::nullopt
          : retry_after(tenant, address_subject(client_address), max_address_failures_, now);
  if (address_wait && (!account_wait || *address_wait > *account_wait)) {
    return ThrottleRefusal{*address_wait,
                           "too many failed log-ins from your network address; try again in " +
                               in_minutes(*address_wait)};
  }
  if (account_wait) {
    return ThrottleRefusal{
        *account_wait,
        "too many failed log-ins for this account; try again in " + in_minutes(*account_wait)};
  }
  return std::nullopt;
}

void LoginThrottle::record_failure(const std::string& tenant, const std::string& email,
                                   const std::string& client_address,
                                   std::chrono::system_clock::time_point now) {
  const long long failed_at = store::unix_seconds(now);
  const long long oldest_kept = failed_at - window_.count() + 1;
  soci::session session(database_.pool());
  try {
    store::WriteTransaction transaction(database_, session);
    for (const auto& subject : counted_subjects(email, client_address)) {
      forget_before(session, tenant, subject, oldest_kept);
      insert_failure(session, tenant, subject, failed_at);
    }
    transaction.commit();
  } catch (...) {
    store::rethrow_as_store_error(kFailures);
  }
}

void LoginThrottle::clear_account(const std::string& tenant, const std::string& email) {
  const std::string subject = account_subject(email);
  soci::session session(database_.pool());
  session << "DELETE FROM tribe_login_failures WHERE tenant_id = :tenant AND subject = :subject",
      soci::use(tenant), soci::use(subject);
}

// A failure at second t counts while now < t + window. With `limit` or more counted, the
// limit-th newest is the one whose leaving brings the count under the limit.
std::optional<std::chrono::seconds> LoginThrottle::retry_after(
    const std::string& tenant, const std::string& subject, int limit,
    std::chrono::system_clock::time_point now) const {
  const long long now_seconds = store::unix_seconds(now);
  const long long oldest_counted = now_seconds - window_.count() + 1;
  const int skipped = limit - 1;
  long long failed_at = 0;
  soci::session session(database_.pool());
  session << "SELECT failed_at FROM tribe_login_failures"
             " WHERE tenant_id = :tenant AND subject = :subject AND failed_at >= :oldest"
             " ORDER BY failed_at DESC LIMIT 1 OFFSET :skipped",
      soci::into(failed_at), soci::use(tenant), soci::use(subject), soci::use(oldest_counted),
      soci::use(skipped);
  if (!session.got_data()) return std::nullopt;
  return std::chrono::seconds(failed_at + window_.count() - now_seconds);
}

}  // namespace tribe::kernel::identity
