#pragma once
#include <string>
#include <vector>

namespace tribe::kernel::store {

// Splits a migration's SQL into its statements at the ';' that end them, leaving alone ';' inside
// '...' strings, "..." identifiers, -- line comments and /* */ comments. Statements holding only
// whitespace and comments are dropped. SOCI's SQLite backend runs only the first statement of a
// string, so every statement is run on its own.
std::vector<std::string> split_sql_statements(const std::string& script);

}  // namespace tribe::kernel::store
