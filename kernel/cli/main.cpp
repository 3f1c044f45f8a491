#include <exception>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "kernel/cli/commands.hpp"

namespace {

struct Command {
  std::function<int(const std::vector<std::string>&)> run;
  const char* summary;
};

const std::map<std::string, Command>& commands() {
  using namespace tribe::kernel::cli;
  static const std::map<std::string, Command> table = {
      {"serve", {serve, "serve every site in --sites over HTTP"}},
      {"validate", {validate, "check site YAML files and report every problem"}},
      {"plugins", {plugins, "list loaded plugins with their manifests, and refused ones"}},
      {"migrate", {migrate, "apply pending database migrations of the kernel and plugins"}},
      {"ledger", {ledger, "check that the ledger balances: debits equal credits"}},
      {"version", {version, "print the version of Tribe and its SDK ABI"}},
  };
  return table;
}

void usage(std::ostream& out) {
  out << "usage: tribe <command> [options]\n\ncommands:\n";
  for (const auto& [name, command] : commands()) {
    out << "  " << name << std::string(10 - name.size(), ' ') << command.summary << '\n';
  }
  out << "\nRun 'tribe <command> --help' for the options of a command.\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    usage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") args[0] = "version";
  auto command = commands().find(args[0]);
  if (command == commands().end()) {
    std::cerr << "tribe: unknown command '" << args[0] << "'\n\n";
    usage(std::cerr);
    return 2;
  }
  try {
    return command->second.run(std::vector<std::string>(args.begin() + 1, args.end()));
  } catch (const std::exception& e) {
    std::cerr << "tribe " << args[0] << ": " << e.what() << '\n';
    return 1;
  }
}
