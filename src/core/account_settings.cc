#include "eddy/core/account_settings.h"

#include <algorithm>
#include <mutex>
#include <nlohmann/json.hpp>

#include "eddy/storage/key_codec.h"

namespace eddy::core {
namespace {

using nlohmann::json;

// One per process: UpdateAccountSettings is rare, and this keeps two of them from interleaving.
std::mutex update_mu;

json optional_ms(const std::optional<int64_t>& v) {
  return v ? json(*v) : json(nullptr);
}

std::optional<int64_t> ms_from(const json& j, const char* name) {
  if (!j.contains(name) || j.at(name).is_null()) return std::nullopt;
  return j.at(name).get<int64_t>();
}

result<account_settings> read_stored(storage::log_store& store, const stream_scope& scope) {
  auto raw = store.meta_get(storage::keys::account_settings(scope.account, scope.region));
  if (!raw)
    return make_error(errc::internal, "cannot read account settings: " + raw.error().detail);
  if (!*raw) return account_settings{};
  auto decoded = decode_account_settings(**raw);
  if (!decoded)
    return make_error(errc::internal, "unreadable account settings for account " + scope.account);
  return *decoded;
}

}  // namespace

const char* to_string(commitment_status s) {
  switch (s) {
    case commitment_status::disabled:
      return "DISABLED";
    case commitment_status::enabled:
      return "ENABLED";
    case commitment_status::enabled_until_earliest_allowed_end:
      return "ENABLED_UNTIL_EARLIEST_ALLOWED_END";
  }
  return "DISABLED";
}

account_settings settle(account_settings s, int64_t now) {
  if (s.commitment == commitment_status::enabled_until_earliest_allowed_end && s.ended_ms &&
      now >= *s.ended_ms) {
    s.commitment = commitment_status::disabled;
  }
  return s;
}

account_settings request_commitment(account_settings s, bool enable, int64_t now) {
  s = settle(std::move(s), now);
  switch (s.commitment) {
    case commitment_status::disabled:
      if (enable) {
        s.commitment = commitment_status::enabled;
        s.started_ms = now;
        s.ended_ms.reset();
        s.earliest_end_ms = now + commitment_minimum_ms;
      }
      break;
    case commitment_status::enabled:
      if (!enable) {
        const int64_t end = std::max(now, s.earliest_end_ms.value_or(now));
        s.ended_ms = end;
        s.commitment = end > now ? commitment_status::enabled_until_earliest_allowed_end
                                 : commitment_status::disabled;
      }
      break;
    case commitment_status::enabled_until_earliest_allowed_end:
      if (enable) {  // cancels the pending end
        s.commitment = commitment_status::enabled;
        s.ended_ms.reset();
      }
      break;
  }
  return s;
}

std::string encode_account_settings(const account_settings& s) {
  return json{{"commitment", to_string(s.commitment)},
              {"started_ms", optional_ms(s.started_ms)},
              {"ended_ms", optional_ms(s.ended_ms)},
              {"earliest_end_ms", optional_ms(s.earliest_end_ms)}}
      .dump();
}

std::optional<account_settings> decode_account_settings(const std::string& text) {
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  try {
    account_settings s;
    const std::string c = j.value("commitment", std::string("DISABLED"));
    s.commitment = c == "ENABLED" ? commitment_status::enabled
                   : c == "ENABLED_UNTIL_EARLIEST_ALLOWED_END"
                       ? commitment_status::enabled_until_earliest_allowed_end
                       : commitment_status::disabled;
    s.started_ms = ms_from(j, "started_ms");
    s.ended_ms = ms_from(j, "ended_ms");
    s.earliest_end_ms = ms_from(j, "earliest_end_ms");
    return s;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

result<account_settings> load_account_settings(storage::log_store& store, const stream_scope& scope,
                                               int64_t now) {
  auto s = read_stored(store, scope);
  if (!s) return s;
  return settle(std::move(*s), now);
}

result<account_settings> update_commitment(storage::log_store& store, const stream_scope& scope,
                                           bool enable, int64_t now) {
  std::lock_guard lock(update_mu);
  auto s = read_stored(store, scope);
  if (!s) return s;
  account_settings next = request_commitment(std::move(*s), enable, now);
  if (auto r = store.meta_put(storage::keys::account_settings(scope.account, scope.region),
                              encode_account_settings(next));
      !r) {
    return make_error(errc::internal, "cannot persist account settings: " + r.error().detail);
  }
  return next;
}

}  // namespace eddy::core
