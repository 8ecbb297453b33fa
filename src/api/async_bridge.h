#pragma once
// Bridges from callback-style work on other executors back into the calling coroutine. The completion is
// always posted to the coroutine's own executor (an HTTP/2 connection's strand, say), never run on the
// thread that finished the work.
#include <boost/asio/async_result.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "eddy/core/shard_actor.h"

namespace eddy::api {

// Runs f() on `ex` (the storage executor) and resumes the caller with its result.
template <class R, class F>
boost::asio::awaitable<R> run_on(boost::asio::any_io_executor ex, F f) {
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(R)>(
      [ex](auto handler, F fn) {
        boost::asio::post(ex, [h = std::move(handler), fn = std::move(fn)]() mutable {
          R r = fn();
          auto hex = boost::asio::get_associated_executor(h);
          boost::asio::post(hex, [h = std::move(h), r = std::move(r)]() mutable { std::move(h)(std::move(r)); });
        });
      },
      boost::asio::use_awaitable, std::move(f));
}

using append_outcome = std::optional<storage::result<core::append_ack>>;

struct append_group {
  std::shared_ptr<core::shard_actor> actor;
  std::vector<core::append_record> records;
};

// Appends every group to its actor at once (each actor group-commits independently) and resumes when all
// have answered, with one outcome per group in the same order.
inline boost::asio::awaitable<std::vector<append_outcome>> append_all(std::vector<append_group> groups) {
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(std::vector<append_outcome>)>(
      [](auto handler, std::vector<append_group> gs) {
        using handler_t = decltype(handler);
        struct state {
          std::mutex mu;
          std::vector<append_outcome> results;
          size_t remaining;
          std::optional<handler_t> h;
        };
        auto st = std::make_shared<state>();
        st->results.resize(gs.size());
        st->remaining = gs.size();
        st->h.emplace(std::move(handler));
        for (size_t i = 0; i < gs.size(); ++i) {
          gs[i].actor->append(std::move(gs[i].records), [st, i](storage::result<core::append_ack> r) {
            std::unique_lock lock(st->mu);
            st->results[i].emplace(std::move(r));
            if (--st->remaining != 0) return;
            lock.unlock();
            auto hex = boost::asio::get_associated_executor(*st->h);
            boost::asio::post(hex, [st]() mutable { std::move (*st->h)(std::move(st->results)); });
          });
        }
      },
      boost::asio::use_awaitable, std::move(groups));
}

}  // namespace eddy::api
