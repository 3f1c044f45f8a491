#include "kernel/cli/commands.hpp"

#include <signal.h>

#include <boost/algorithm/string/join.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>

#include "kernel/cli/common_options.hpp"
#include "kernel/http/server.hpp"
#include "kernel/instance/instance.hpp"
#include "kernel/money/ledger.hpp"
#include "kernel/money/term.hpp"
#include "tribe/sdk/abi.hpp"

namespace tribe::kernel::cli {
namespace {

// Parses `args` against `description`; prints the help and returns nullopt-exit-code 0 for
// --help, throws po::error (caught by main) for bad options.
std::optional<int> parse(const std::string& command, const std::vector<std::string>& args,
                         po::options_description& description, po::variables_map& values,
                         const po::positional_options_description* positional = nullptr,
                         const char* synopsis = "") {
  description.add_options()("help,h", "show this help");
  auto parser = po::command_line_parser(args).options(description);
  if (positional) parser.positional(*positional);
  po::store(parser.run(), values);
  if (values.count("help")) {
    std::cout << "usage: tribe " << command << " [options]" << synopsis << "\n\n" << description;
    return 0;
  }
  po::notify(values);
  return std::nullopt;
}

void print_refusals(const instance::Instance& instance, std::ostream& out) {
  for (const auto& refusal : instance.plugin_host().refused()) out << refusal.to_string() << '\n';
}

void print_diagnostics(config::Diagnostics diagnostics, std::ostream& out) {
  config::sort_by_position(diagnostics);
  for (const auto& diagnostic : diagnostics) out << diagnostic.to_string() << '\n';
}

std::pair<std::string, std::uint16_t> parse_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    throw std::invalid_argument("--listen '" + listen + "' must be HOST:PORT, e.g. 127.0.0.1:8080");
  }
  std::string host = listen.substr(0, colon);
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) {
    throw std::invalid_argument("--listen '" + listen + "': the port must be 0 to 65535");
  }
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return {host, static_cast<std::uint16_t>(port)};
}

void print_site_urls(const instance::Instance& instance, const std::string& host,
                     std::uint16_t port) {
  std::string shown = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host;
  std::string suffix = ":" + std::to_string(port);
  std::cout << "Tribe " << TRIBE_VERSION << " serving " << instance.site_configs().size()
            << " site(s) on http://" << shown << suffix << "\n";
  for (const auto& site : instance.site_configs()) {
    std::cout << "  " << site.name << " (" << site.id << ", " << site.type << ")\n"
              << "    http://" << shown << suffix << "/s/" << site.id << "/\n";
    for (const auto& site_host : site.hosts)
      std::cout << "    http://" << site_host << suffix << "/\n";
  }
  std::cout << "Press Ctrl-C to stop." << std::endl;
}

// Blocks until SIGINT or SIGTERM. The signals are blocked before any thread starts, so they are
// delivered here and nowhere else.
int wait_for_termination(const sigset_t& signals) {
  int received = 0;
  sigwait(&signals, &received);
  return received;
}

// `--clock-offset`: the time from now to now plus the ISO 8601 duration.
std::chrono::system_clock::duration parse_clock_offset(const std::string& text) {
  auto term = money::parse_term(text);
  if (!term) {
    throw std::invalid_argument("--clock-offset '" + text +
                                "' is not an ISO 8601 duration of years, months, weeks and days "
                                "(e.g. P8D)");
  }
  const auto now = std::chrono::system_clock::now();
  return money::add_term(now, *term) - now;
}

}  // namespace

int serve(const std::vector<std::string>& args) {
  CommonOptions common;
  std::string listen = "127.0.0.1:8080";
  bool dry_run = false;
  std::string access_log;
  std::vector<std::string> trusted_proxies;
  std::string clock_offset;
  po::options_description description("serve options");
  common.add_sites(description);
  common.add_database(description);
  common.add_plugins(description);
  description.add_options()("listen", po::value(&listen)->default_value(listen),
                            "address to listen on, HOST:PORT")(
      "dry-run", po::bool_switch(&dry_run), "load and validate everything, then exit")(
      "access-log", po::value(&access_log),
      "write one line per request to this file ('-': stdout)")(
      "trusted-proxy", po::value(&trusted_proxies)->composing(),
      "address of a reverse proxy whose X-Forwarded-For/-Proto are believed (repeatable)")(
      "clock-offset", po::value(&clock_offset),
      "rehearsals and tests only: run as if it were this much later, an ISO 8601 duration "
      "(P8D, P1M); terms end and refund windows close as they would then");
  po::variables_map values;
  if (auto done = parse("serve", args, description, values)) return *done;
  auto [host, port] = parse_listen(listen);
  std::optional<instance::OffsetClock> offset_clock;
  if (!clock_offset.empty()) offset_clock.emplace(parse_clock_offset(clock_offset));

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  instance::InstanceOptions instance_options = common.instance_options();
  if (offset_clock) {
    instance_options.clock = &*offset_clock;
    std::cout << "Clock: " << clock_offset << " ahead of this machine's (--clock-offset)"
              << std::endl;
  }
  instance::Instance instance(instance_options);
  instance.load_plugins();
  instance.load_sites();
  print_refusals(instance, std::cerr);
  print_diagnostics(instance.diagnostics(), std::cerr);
  if (dry_run) {
    bool ok = instance.plugin_host().refused().empty() && instance.diagnostics().empty();
    std::cout << (ok ? "ok: " : "problems found: ") << instance.plugin_host().loaded().size()
              << " plugin(s), " << instance.site_configs().size() << " valid site(s)\n";
    return ok ? 0 : 1;
  }
  if (instance.site_configs().empty()) {
    std::cerr << "tribe serve: no valid site in " << common.sites_dir << "; nothing to serve\n";
    return 1;
  }
  instance.prepare_storage();
  instance.mount_routes();

  std::ofstream access_file;
  http::ServerOptions options;
  options.host = host;
  options.port = port;
  options.trusted_proxies = trusted_proxies;
  if (access_log == "-") {
    options.access_log = &std::cout;
  } else if (!access_log.empty()) {
    access_file.open(access_log, std::ios::app);
    if (!access_file) throw std::runtime_error("cannot open --access-log file " + access_log);
    options.access_log = &access_file;
  }
  http::Server server(options, instance);
  server.start();
  instance.listening_on(server.port());
  instance.start_jobs();
  print_site_urls(instance, host, server.port());
  int signal = wait_for_termination(signals);
  std::cout << "Received " << (signal == SIGTERM ? "SIGTERM" : "SIGINT")
            << "; finishing requests in flight..." << std::endl;
  server.stop();
  instance.stop_jobs();
  std::cout << "Stopped." << std::endl;
  return 0;
}

int validate(const std::vector<std::string>& args) {
  CommonOptions common;
  std::vector<std::string> files;
  po::options_description description("validate options");
  common.add_sites(description);
  common.add_plugins(description);
  description.add_options()("file", po::value(&files),
                            "site YAML file (default: every file in --sites)");
  po::positional_options_description positional;
  positional.add("file", -1);
  po::variables_map values;
  if (auto done = parse("validate", args, description, values, &positional, " [FILE...]"))
    return *done;

  instance::Instance instance(common.instance_options());
  instance.load_plugins();
  print_refusals(instance, std::cerr);
  config::SiteLoader loader(instance.schema_inputs());
  config::Diagnostics diagnostics;
  std::size_t checked = 0;
  if (files.empty()) {
    checked = loader.load_directory(common.sites_dir, diagnostics).size();
  } else {
    for (const auto& file : files) {
      if (loader.load(file, diagnostics)) ++checked;
    }
  }
  print_diagnostics(diagnostics, std::cout);
  if (!diagnostics.empty()) {
    std::cerr << diagnostics.size() << " problem(s) found\n";
    return 1;
  }
  std::cerr << "ok: " << checked << " site file(s) valid\n";
  return 0;
}

int plugins(const std::vector<std::string>& args) {
  CommonOptions common;
  po::options_description description("plugins options");
  common.add_plugins(description);
  po::variables_map values;
  if (auto done = parse("plugins", args, description, values)) return *done;

  instance::Instance instance(common.instance_options());
  instance.load_plugins();
  const auto& host = instance.plugin_host();
  std::cout << "Loaded plugins (" << host.loaded().size() << "):\n";
  for (const auto& plugin : host.loaded()) {
    const auto& info = plugin->info();
    std::cout << "  " << info.name << " " << info.version << "\n"
              << "    " << info.description << "\n"
              << "    community types: "
              << (info.community_types.empty() ? "-"
                                               : boost::algorithm::join(info.community_types, ", "))
              << "\n    SDK ABI " << info.abi_major << "." << info.abi_minor << ", " << info.abi_tag
              << "\n    file: " << info.file.string() << "\n";
  }
  std::cout << "Refused plugins (" << host.refused().size() << "):\n";
  for (const auto& refusal : host.refused()) std::cout << "  " << refusal.to_string() << "\n";
  return 0;
}

int migrate(const std::vector<std::string>& args) {
  CommonOptions common;
  po::options_description description("migrate options");
  common.add_database(description);
  common.add_plugins(description);
  common.add_sites(description);
  po::variables_map values;
  if (auto done = parse("migrate", args, description, values)) return *done;

  instance::Instance instance(common.instance_options());
  instance.load_plugins();
  instance.load_sites();
  print_refusals(instance, std::cerr);
  print_diagnostics(instance.diagnostics(), std::cerr);
  int applied = instance.migrate_storage();
  std::cout << "Applied " << applied << " migration(s); database "
            << instance.database()->display_url() << " is up to date.\n";
  return 0;
}

int ledger(const std::vector<std::string>& args) {
  CommonOptions common;
  std::string action;
  po::options_description description("ledger options");
  common.add_database(description);
  description.add_options()("action", po::value(&action)->required(),
                            "what to do; 'check' proves debits equal credits per tenant and "
                            "currency (creates the ledger tables if missing)");
  po::positional_options_description positional;
  positional.add("action", 1);
  po::variables_map values;
  if (auto done = parse("ledger", args, description, values, &positional, " check")) return *done;
  if (action != "check") {
    throw std::invalid_argument("unknown action '" + action + "'; try 'tribe ledger check'");
  }

  auto database = store::Database::open(common.database_url, 1);
  money::Ledger ledger(*database);
  ledger.migrate();
  money::LedgerCheck check = ledger.check();
  for (const auto& problem : check.problems) std::cout << problem.to_string() << '\n';
  if (!check.balanced()) {
    std::cerr << check.problems.size() << " problem(s) found in the ledger of "
              << database->display_url() << '\n';
    return 1;
  }
  std::cout << "ledger balanced: " << check.transfers << " transfers in " << check.tenants
            << " tenants\n";
  return 0;
}

int version(const std::vector<std::string>& args) {
  po::options_description description("version options");
  po::variables_map values;
  if (auto done = parse("version", args, description, values)) return *done;
  std::cout << "tribe " << TRIBE_VERSION << " (SDK ABI " << sdk::kAbiMajor << "." << sdk::kAbiMinor
            << ", " << TRIBE_SDK_ABI_TAG << ")\n";
  return 0;
}

}  // namespace tribe::kernel::cli
