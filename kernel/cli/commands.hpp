#pragma once
#include <string>
#include <vector>

namespace tribe::kernel::cli {

// Each command takes its own arguments (after the command name) and returns the exit code.
int serve(const std::vector<std::string>& args);
int validate(const std::vector<std::string>& args);
int plugins(const std::vector<std::string>& args);
int migrate(const std::vector<std::string>& args);
int ledger(const std::vector<std::string>& args);
int version(const std::vector<std::string>& args);

}  // namespace tribe::kernel::cli
