#include "kernel/store/database_url.hpp"

#include <cctype>
#include <sstream>

#include "tribe/sdk/store.hpp"

namespace tribe::kernel::store {
namespace {

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// SOCI's SQLite backend reads a bare string as the file name, but splits on '=' and ' ' once the
// string contains '=': then the file has to be quoted as db="...".
std::string sqlite_connection_string(const std::filesystem::path& file) {
  const std::string name = file.string();
  if (name.find('=') == std::string::npos) return name;
  if (name.find('"') != std::string::npos) {
    throw sdk::StoreError("SQLite file name '" + name +
                          "' contains both '=' and '\"'; rename the file");
  }
  return "db=\"" + name + "\"";
}

std::string percent_decoded(const std::string& text, const std::string& url) {
  std::string decoded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded += text[i];
      continue;
    }
    if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      throw sdk::StoreError("database URL '" + url + "' has a bad %-escape; write %XX");
    }
    decoded += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
    i += 2;
  }
  return decoded;
}

// SOCI's PostgreSQL backend re-reads the connection string as key=value words, so a URI does
// not survive it: each setting goes as key="'value'", which SOCI unwraps to key='value' for
// libpq. SOCI has no way to carry a '"'.
class LibpqSettings {
 public:
  explicit LibpqSettings(std::string display) : display_(std::move(display)) {}

  void add(const std::string& key, const std::string& value) {
    if (value.empty()) return;
    if (value.find('"') != std::string::npos) {
      throw sdk::StoreError("database URL '" + display_ + "': the " + key +
                            " contains '\"', which the database driver cannot pass on");
    }
    std::string escaped;
    for (const char c : value) {
      if (c == '\\' || c == '\'') escaped += '\\';
      escaped += c;
    }
    if (!text_.empty()) text_ += ' ';
    text_ += key + "=\"'" + escaped + "'\"";
  }

  const std::string& text() const { return text_; }

 private:
  std::string display_;
  std::string text_;
};

// postgresql://[user[:password]@][host][:port][/dbname][?key=value&...]
std::string libpq_connection_string(const std::string& url, const std::string& display) {
  const std::string rest = url.substr(url.find("://") + 3);
  const auto query_at = rest.find('?');
  const std::string before_query = rest.substr(0, query_at);
  const auto path_at = before_query.find('/');
  const std::string authority = before_query.substr(0, path_at);
  const std::string dbname = path_at == std::string::npos ? "" : before_query.substr(path_at + 1);

  LibpqSettings settings(display);
  const auto at = authority.rfind('@');
  std::string host_port = authority;
  if (at != std::string::npos) {
    const std::string user_info = authority.substr(0, at);
    host_port = authority.substr(at + 1);
    const auto colon = user_info.find(':');
    settings.add("user", percent_decoded(user_info.substr(0, colon), display));
    if (colon != std::string::npos) {
      settings.add("password", percent_decoded(user_info.substr(colon + 1), display));
    }
  }
  // A bracketed IPv6 address holds colons of its own.
  const auto host_end = host_port.starts_with('[') ? host_port.find(']') : std::string::npos;
  const auto port_colon = host_port.find(':', host_end == std::string::npos ? 0 : host_end);
  std::string host = host_port.substr(0, port_colon);
  if (host.size() > 1 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  settings.add("host", percent_decoded(host, display));
  if (port_colon != std::string::npos) settings.add("port", host_port.substr(port_colon + 1));
  settings.add("dbname", percent_decoded(dbname, display));

  std::stringstream query(query_at == std::string::npos ? "" : rest.substr(query_at + 1));
  for (std::string pair; std::getline(query, pair, '&');) {
    const auto equals = pair.find('=');
    if (equals == std::string::npos) {
      throw sdk::StoreError("database URL '" + display + "': parameter '" + pair +
                            "' has no value; write key=value");
    }
    settings.add(percent_decoded(pair.substr(0, equals), display),
                 percent_decoded(pair.substr(equals + 1), display));
  }
  return settings.text();
}

}  // namespace

std::string mask_password(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  const auto authority_begin = scheme_end + 3;
  const auto at = url.find('@', authority_begin);
  const auto path = url.find('/', authority_begin);
  if (at == std::string::npos || (path != std::string::npos && path < at)) return url;
  const auto colon = url.find(':', authority_begin);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

DatabaseUrl DatabaseUrl::parse(const std::string& url) {
  DatabaseUrl parsed;
  parsed.display = mask_password(url);
  if (starts_with(url, "sqlite:")) {
    parsed.backend = Backend::Sqlite;
    parsed.sqlite_file = url.substr(std::string("sqlite:").size());
    if (parsed.sqlite_file.empty()) {
      throw sdk::StoreError("database URL 'sqlite:' names no file; use sqlite:PATH");
    }
    parsed.connection_string = sqlite_connection_string(parsed.sqlite_file);
    return parsed;
  }
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    parsed.backend = Backend::Postgresql;
    parsed.connection_string = libpq_connection_string(url, parsed.display);
    return parsed;
  }
  throw sdk::StoreError("unsupported database URL '" + parsed.display +
                        "'; use sqlite:PATH or postgresql://user@host:port/dbname");
}

}  // namespace tribe::kernel::store
