// A shared library that is not a Tribe plugin: no manifest at all.
#include <boost/config.hpp>

extern "C" BOOST_SYMBOL_EXPORT int fixture_not_a_plugin_answer() {
  return 42;
}
