// The good fixture: a plugin that uses every kind of contribution, for the host's unit tests and
// the HTTP tests (a page, a JSON route with a parameter, and a route that throws).
#include <stdexcept>

#include "tribe/sdk/sdk.hpp"

namespace {

using tribe::sdk::Context;
using tribe::sdk::Json;
using tribe::sdk::Request;
using tribe::sdk::Response;
using tribe::sdk::Schema;

class HelloPlugin final : public tribe::sdk::Plugin {
 public:
  void register_with(tribe::sdk::Registry& registry) override {
    registry.add_community_type({"fixture", "A community type for tests"});
    registry.set_config_schema(Schema::object({
        tribe::sdk::required("greeting", Schema::string(), "What /hello says"),
        tribe::sdk::optional("style", Schema::string().one_of({"plain", "loud"})),
    }));
    tribe::sdk::register_bundled_files(registry);
    registry.add_route({tribe::sdk::Method::Get, "/hello", &hello_page});
    registry.add_route({tribe::sdk::Method::Get, "/api/boom", &boom});
    registry.add_route({tribe::sdk::Method::Get, "/api/hello/{name}", &hello_json});
  }

 private:
  static Response hello_page(const Request&, Context& context) {
    return Response::html(context.render_page(
        "hello", Json{{"greeting", context.site().config().value("greeting", "")}}));
  }
  static Response boom(const Request&, Context&) { throw std::runtime_error("boom"); }
  static Response hello_json(const Request& request, Context&) {
    return Response::json(Json{{"hello", request.params.at("name")}});
  }
};

}  // namespace

TRIBE_PLUGIN(HelloPlugin, "fixture_hello", "1.0.0", "fixture", "A good plugin for tests")
