#include "eddy/api/request_pipeline.h"

#include <algorithm>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "aws_error.h"
#include "console_route.h"
#include "fault_injector.h"
#include "throughput_limits.h"
#include "eddy/auth/sigv4_presence.h"
#include "eddy/base/base64.h"
#include "eddy/base/clock.h"
#include "eddy/base/log.h"
#include "eddy/base/random.h"
#include "eddy/codec/cbor_codec.h"
#include "eddy/codec/json_codec.h"
#include "eddy/core/shard_id.h"
#include "eddy/core/consumer_metrics.h"
#include "eddy/core/shard_metrics.h"
#include "eddy/metrics/process_collector.h"
#include "eddy/metrics/request_probe.h"
#include "model/validator.h"
#include "operation.h"

namespace eddy::api {
namespace {

constexpr std::string_view kService = "Kinesis_20131202";
constexpr std::string_view kJson = "application/x-amz-json-1.1";
constexpr std::string_view kCbor = "application/x-amz-cbor-1.1";
constexpr std::string_view kLegacyJson = "application/json";
constexpr std::string_view kRpcV2Cbor = "application/cbor";
constexpr std::string_view kRpcV2Path = "/service/Kinesis_20131202/operation/";

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

// The wire a response goes out in: the request's own protocol.
enum class wire { json, cbor, rpcv2_cbor };

// Builds one response, stamping the headers every Kinesis response carries.
class responder {
 public:
  explicit responder(const http_request& req) {
    resp_.headers.emplace_back("x-amzn-RequestId", random_uuid());
    std::string id2(72, '\0');
    for (auto& c : id2) c = static_cast<char>(random_u64());
    resp_.headers.emplace_back("x-amz-id-2", base64::encode(id2));
    if (auto origin = req.header("origin")) {
      resp_.headers.emplace_back("Access-Control-Allow-Origin", "*");
      if (req.method != "OPTIONS") {
        resp_.headers.emplace_back(
            "Access-Control-Expose-Headers",
            "x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date");
      }
    }
  }

  void use(wire w) { wire_ = w; }

  // What the metrics sample and the debug log line need, noted while the request is routed.
  const operation* op = nullptr;  // once the request names an operation Eddy serves
  bool observed = true;           // false for probes and CORS preflights: they are not Kinesis calls
  std::string error_type;         // the AWS error type answered, if any
  std::string stream_name;        // the stream named, filled only while debug logging is on

  http_response raw(unsigned status, std::string body, std::string_view content_type = {}) {
    resp_.status = status;
    if (!content_type.empty()) resp_.headers.emplace_back("Content-Type", std::string(content_type));
    resp_.body = std::move(body);
    return std::move(resp_);
  }

  http_response document(const codec::document& d, unsigned status = 200) {
    switch (wire_) {
      case wire::json: return raw(status, codec::json::encode(d), kJson);
      case wire::cbor: return raw(status, codec::cbor::encode(d), kCbor);
      case wire::rpcv2_cbor:
        resp_.headers.emplace_back("smithy-protocol", "rpc-v2-cbor");
        return raw(status, codec::cbor::encode(d, codec::cbor::timestamp_style::epoch_seconds), kRpcV2Cbor);
    }
    return raw(status, codec::json::encode(d), kJson);
  }

  http_response error(const aws_error& e) {
    codec::document d = {{"__type", e.type}};
    if (!e.message.empty()) d[e.capital_message ? "Message" : "message"] = e.message;
    error_type = e.type;
    resp_.headers.emplace_back("x-amzn-ErrorType", e.type);
    return document(d, e.status);
  }

  // An error with no message member, as AWS sends before it has parsed the request.
  http_response bare_error(std::string_view type) {
    error_type = type;
    resp_.headers.emplace_back("x-amzn-ErrorType", std::string(type));
    return document({{"__type", type}}, 400);
  }

  // An empty body that is not JSON gets AWS's exact CBOR bytes: {"__type": <type>} as an indefinite map.
  http_response cbor_type_only(std::string_view type) {
    std::string body = "\xbf\x66__type";
    if (type.size() < 24) {
      body.push_back(static_cast<char>(0x60 + type.size()));
    } else {
      body.push_back('\x78');  // text string, one-byte length
      body.push_back(static_cast<char>(type.size()));
    }
    body.append(type);
    body.push_back('\xff');
    error_type = type;
    resp_.headers.emplace_back("x-amzn-ErrorType", std::string(type));
    return raw(400, std::move(body), kCbor);
  }

  // AWS answers requests it cannot attribute to an operation with XML-ish bodies.
  http_response xml_error(unsigned status, std::string_view type, std::string_view message) {
    error_type = type;
    std::string body;
    body.append("<").append(type);
    if (message.empty()) {
      body.append("/>\n");
    } else {
      body.append(">\n  <Message>").append(message).append("</Message>\n</").append(type).append(">\n");
    }
    return raw(status, std::move(body));
  }

  // An event-stream body (SubscribeToShard); its events carry their own content types.
  http_response stream(std::shared_ptr<body_stream> body) {
    resp_.status = 200;
    resp_.headers.emplace_back("Content-Type", "application/vnd.amazon.eventstream");
    resp_.stream = std::move(body);
    return std::move(resp_);
  }

  void add_header(std::string name, std::string value) { resp_.headers.emplace_back(std::move(name), std::move(value)); }

 private:
  http_response resp_;
  wire wire_ = wire::json;
};

namespace {

core::stream_scope scope_of(const auth::credential_scope& cred, const config::settings& settings) {
  core::stream_scope scope{settings.account_id, settings.region};
  if (cred.access_key_id.size() == 12 && cred.access_key_id.find_first_not_of("0123456789") == std::string::npos) {
    scope.account = cred.access_key_id;
  }
  if (!cred.region.empty() && cred.region.find('/') == std::string::npos) scope.region = cred.region;
  return scope;
}

// The stream a validated request is about, for the debug log: its StreamName, the name inside its StreamARN
// or ConsumerARN, or the one sealed in its ShardIterator; "-" when it names none.
std::string stream_of(const codec::document& in, const core::iterator_codec& iterators) {
  const auto text = [&](const char* member) -> std::string_view {
    const auto it = in.find(member);
    return it != in.end() && it->is_string() ? std::string_view(it->get_ref<const std::string&>()) : std::string_view();
  };
  if (const auto name = text("StreamName"); !name.empty()) return std::string(name);
  for (const char* member : {"StreamARN", "ConsumerARN"}) {
    const auto arn = text(member);
    const auto at = arn.find(":stream/");
    if (at == std::string_view::npos) continue;
    const auto name = arn.substr(at + 8);
    return std::string(name.substr(0, name.find('/')));
  }
  if (const auto iterator = text("ShardIterator"); !iterator.empty()) {
    if (const auto state = iterators.decode(iterator)) return state->stream_name;
  }
  return "-";
}

// The error an injected fault answers a call with. A throttle names what AWS's would: the shard for
// GetRecords and GetShardIterator, else the stream (or the account, for calls that name no stream).
aws_error injected_error(fault_injector::kind k, const codec::document& in, const std::string& account,
                         const core::iterator_codec& iterators) {
  if (k == fault_injector::kind::internal) return internal_failure();
  if (k == fault_injector::kind::unavailable) return service_unavailable();
  const std::string stream = stream_of(in, iterators);
  if (const auto it = in.find("ShardIterator"); it != in.end() && it->is_string()) {
    if (const auto state = iterators.decode(it->get_ref<const std::string&>())) {
      return shard_throttled(core::format_shard_id(state->shard), stream, account);
    }
  }
  if (const auto shard = in.find("ShardId"); shard != in.end() && shard->is_string() && !in.contains("ConsumerARN")) {
    return shard_throttled(shard->get_ref<const std::string&>(), stream, account);
  }
  return rate_exceeded(stream, account);
}

// A streamed response (SubscribeToShard) whose pieces count as its operation's response bytes as they go.
class counted_body_stream final : public body_stream {
 public:
  counted_body_stream(std::shared_ptr<body_stream> inner, std::shared_ptr<metrics::request_probe> probe, size_t op)
      : inner_(std::move(inner)), probe_(std::move(probe)), op_(op) {}

  boost::asio::awaitable<std::optional<std::string>> next() override {
    std::optional<std::string> piece = co_await inner_->next();
    if (piece) probe_->add_response_bytes(op_, piece->size());
    co_return piece;
  }
  void cancel() override { inner_->cancel(); }

 private:
  std::shared_ptr<body_stream> inner_;
  std::shared_ptr<metrics::request_probe> probe_;
  size_t op_;
};

}  // namespace

request_pipeline::request_pipeline(core::stream_registry& registry, core::shard_directory& shards,
                                   const core::iterator_codec& iterators, const config::settings& settings,
                                   const auth::credential_store* credentials)
    : registry_(registry),
      shards_(shards),
      iterators_(iterators),
      settings_(settings),
      credentials_(credentials),
      probe_(std::make_shared<metrics::request_probe>(operation_names())),
      shard_metrics_(std::make_shared<core::shard_metrics>(registry, shards)),
      consumer_metrics_(std::make_shared<core::consumer_metrics>(leases_)),
      process_(std::make_shared<metrics::process_collector>()),
      console_(std::make_unique<console_route>(settings.console)),
      log_(log::get("api")) {
  if (auto faults = fault_injector::make(settings, operation_names()); faults) faults_ = std::move(faults).value();
  if (faults_) {
    exposition_.add(faults_->collectable());
    // A warning: a broker that fails on purpose should say so where its operator looks.
    std::string ops;
    for (const auto& o : settings.fault_ops) ops += (ops.empty() ? "" : ",") + o;
    log_->warn("fault injection on: rate {}, latency {}-{} ms, seed {}, operations {}", settings.fault_rate,
               settings.latency_min_ms, settings.latency_max_ms, faults_->seed(), ops.empty() ? "all" : ops);
  }
  if (settings.enforce_limits) {
    limits_ = std::make_unique<throughput_limits>();
    exposition_.add(limits_->collectable());
    log_->info("AWS rate limits enforced (--enforce-limits)");
  }
  exposition_.add(probe_->collectable());
  exposition_.add(shards.store().probe());
  exposition_.add(shard_metrics_);
  exposition_.add(consumer_metrics_);
  exposition_.add(process_);
}

request_pipeline::~request_pipeline() = default;

result<void, std::string> request_pipeline::check_settings(const config::settings& settings) {
  auto faults = fault_injector::make(settings, operation_names());
  if (!faults) return fail(std::move(faults).error());
  return {};
}

boost::asio::awaitable<http_response> request_pipeline::handle(http_request req) {
  const auto started = std::chrono::steady_clock::now();
  responder r(req);
  http_response resp = co_await route(r, req);
  if (r.observed) observe(r, req, resp, started);
  co_return resp;
}

void request_pipeline::observe(const responder& r, const http_request& req, http_response& resp,
                               std::chrono::steady_clock::time_point started) {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const size_t op = r.op ? operation_index(*r.op) : probe_->unknown_index();
  probe_->record(op, seconds, req.body.size(), resp.body.size(), r.error_type);
  if (resp.stream) resp.stream = std::make_shared<counted_body_stream>(std::move(resp.stream), probe_, op);
  if (log_->should_log(spdlog::level::debug)) {
    const std::string_view name = r.op ? r.op->name : metrics::request_probe::unknown_operation;
    log_->debug("{} stream={} status={} error={} {:.3f} ms", name, r.stream_name.empty() ? "-" : r.stream_name,
                resp.status, r.error_type.empty() ? "-" : r.error_type, seconds * 1e3);
  }
}

boost::asio::awaitable<http_response> request_pipeline::route(responder& r, const http_request& req) {
  // The web console is files, not Kinesis calls: answered before any Kinesis check, and not counted.
  if (console_route::matches(std::string_view(req.target).substr(0, req.target.find('?')))) {
    r.observed = false;
    co_return console_->serve(req);
  }
  if (req.method == "OPTIONS" && req.header("origin")) {
    r.observed = false;
    if (auto h = req.header("access-control-request-headers")) r.add_header("Access-Control-Allow-Headers", std::string(*h));
    if (auto m = req.header("access-control-request-method")) r.add_header("Access-Control-Allow-Methods", std::string(*m));
    r.add_header("Access-Control-Max-Age", "172800");
    co_return r.raw(200, "");
  }
  if (req.method == "GET") {
    // Probes for orchestrators and fixtures, on the Kinesis port: no Kinesis call is a GET.
    const std::string_view probe = std::string_view(req.target).substr(0, req.target.find('?'));
    r.observed = probe != "/health" && probe != "/ready" && probe != "/metrics";
    if (probe == "/health") co_return r.raw(200, "{\"status\":\"ok\"}", "application/json");
    if (probe == "/metrics") co_return r.raw(200, exposition_.render(), metrics::exposition::content_type);
    if (probe == "/ready") {
      const bool ready = ready_.load(std::memory_order_acquire);
      co_return r.raw(ready ? 200 : 503, ready ? "{\"status\":\"ready\"}" : "{\"status\":\"starting\"}",
                      "application/json");
    }
  }
  if (req.method != "POST") {
    co_return r.xml_error(403, "AccessDeniedException", "Unable to determine service/operation name to be authorized");
  }

  const std::string content_type = lower(trim(req.header("content-type").value_or("").substr(
      0, req.header("content-type").value_or("").find(';'))));
  const std::string_view path = std::string_view(req.target).substr(0, req.target.find('?'));

  // Smithy RPC v2 CBOR names the operation in the path; no shipped SDK uses it for Kinesis yet, but a
  // future one may, so the same handlers serve it.
  const auto rpc = path.find(kRpcV2Path);
  if (rpc != std::string_view::npos && req.header("smithy-protocol") == std::optional<std::string_view>("rpc-v2-cbor")) {
    r.use(wire::rpcv2_cbor);
    const operation* op = find_operation(path.substr(rpc + kRpcV2Path.size()));
    r.op = op;
    if (!op) co_return r.bare_error("UnknownOperationException");
    std::optional<codec::document> parsed = codec::document::object();
    if (!req.body.empty()) parsed = codec::cbor::decode(req.body);
    if (!parsed || !parsed->is_object()) co_return r.bare_error("SerializationException");
    auto resp = co_await call(r, req, *op, std::move(*parsed), model::protocol::rpcv2_cbor);
    co_return resp;
  }

  const std::string_view target = req.header("x-amz-target").value_or("");
  const auto dot = target.find('.');
  const std::string_view service = target.substr(0, dot);
  const std::string_view op_name = dot == std::string_view::npos ? std::string_view() : target.substr(dot + 1);
  const operation* op = service == kService ? find_operation(op_name) : nullptr;
  r.op = op;

  if (req.body.empty()) {
    const std::string_view type = op ? "SerializationException" : "UnknownOperationException";
    if (content_type == kJson) co_return r.bare_error(type);
    co_return r.cbor_type_only(type);
  }
  const bool json = content_type == kJson;
  const bool cbor = content_type == kCbor;
  const bool legacy = content_type == kLegacyJson;
  if (!json && !cbor && !legacy) {
    if (service.empty() || op_name.empty()) {
      co_return r.xml_error(403, "AccessDeniedException", "Unable to determine service/operation name to be authorized");
    }
    co_return r.xml_error(404, "UnknownOperationException", "");
  }
  r.use(cbor ? wire::cbor : wire::json);

  auto parsed = cbor ? codec::cbor::decode(req.body) : codec::json::decode(req.body);
  if (legacy) {
    // No SDK sends plain application/json; AWS answers it in the old Coral envelope and goes no further.
    const char* type = (parsed && parsed->is_object()) ? "com.amazon.coral.service#UnknownOperationException"
                                                       : "com.amazon.coral.service#SerializationException";
    r.error_type = std::string_view(type).substr(std::string_view(type).find('#') + 1);
    co_return r.document({{"Output", {{"__type", type}, {"message", nullptr}}}, {"Version", "1.0"}}, 200);
  }
  if (!parsed || !parsed->is_object()) co_return r.bare_error("SerializationException");
  if (!op) co_return r.bare_error("UnknownOperationException");
  auto resp = co_await call(r, req, *op, std::move(*parsed), cbor ? model::protocol::cbor : model::protocol::json);
  co_return resp;
}

boost::asio::awaitable<http_response> request_pipeline::call(responder& r, const http_request& req, const operation& op,
                                                             codec::document input, model::protocol protocol) {
  auth::auth_inputs auth_in{req.header("authorization"), req.header("x-amz-date"), req.header("date"), {}};
  if (const auto q = req.target.find('?'); q != std::string::npos) auth_in.query = std::string_view(req.target).substr(q + 1);
  auto cred = auth::check_presence(auth_in);
  if (!cred) {
    const auto& e = cred.error();
    const char* type = e.code == auth::auth_errc::missing_authentication_token ? "MissingAuthenticationTokenException"
                       : e.code == auth::auth_errc::incomplete_signature   ? "IncompleteSignatureException"
                                                                            : "InvalidSignatureException";
    co_return r.error({type, 400, e.message});
  }

  core::stream_scope scope = scope_of(*cred, settings_);
  if (credentials_) {
    auto who = auth::verify(*credentials_, {req.method, req.target, &req.headers, req.body}, now_ms());
    if (!who) {
      const auto& e = who.error();
      co_return r.error({e.code == auth::verify_errc::unrecognized_client ? "UnrecognizedClientException"
                                                                            : "InvalidSignatureException",
                         400, e.message});
    }
    // A verified key speaks for its own account only.
    scope.account = who->who->account_id;
  }

  auto valid = model::validate(op.input(), std::move(input), protocol);
  if (!valid) co_return r.error(valid.error());
  if (log_->should_log(spdlog::level::debug)) r.stream_name = stream_of(*valid, iterators_);
  // The data-plane operations' DryRun checks that the request would pass; past validation and auth it would.
  if (valid->is_object() && valid->value("DryRun", false) == true) {
    const auto& members = op.input().members;
    if (std::any_of(members.begin(), members.end(), [](const model::member& m) { return m.name == "DryRun"; })) {
      co_return r.error({"DryRunOperationException", 400,
                         "The request was rejected because the DryRun parameter was specified."});
    }
  }

  op_context ctx{registry_, shards_, iterators_, std::move(scope), settings_, leases_};
  if (faults_) {
    const size_t ix = operation_index(op);
    const auto wait = faults_->latency(ix);
    if (wait.count() > 0) {
      boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, wait);
      co_await timer.async_wait(boost::asio::use_awaitable);
    }
    const auto fault = faults_->draw_call(ix);
    if (fault != fault_injector::kind::none) {
      const auto e = injected_error(fault, *valid, ctx.scope.account, iterators_);
      co_return r.error(e);
    }
    if (faults_->throttles_records(ix)) {
      ctx.record_faults = faults_.get();
      ctx.op_index = ix;
    }
  }
  if (limits_) {
    const std::string stream = stream_of(*valid, iterators_);
    if (!limits_->admit_call(op.name, ctx.scope.account, stream)) co_return r.error(rate_exceeded(stream, ctx.scope.account));
    ctx.limits = limits_.get();
  }
  auto out = co_await op.handle(ctx, std::move(valid).value());
  if (!out) {
    if (out.error().status >= 500) log_->error("{} failed: {}", op.name, out.error().message);
    co_return r.error(out.error());
  }
  if (ctx.stream) co_return r.stream(std::move(ctx.stream));
  co_return r.document(*out);
}

}  // namespace eddy::api
