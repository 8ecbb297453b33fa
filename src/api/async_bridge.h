#pragma once
// Bridges from callback-style work on other executors back into the calling coroutine. The completion is
// always posted to the coroutine's own executor (an HTTP/2 connection's strand, say), never run on the
// thread that finished the work.
//
// GCC 12 destroys objects passed by value through async_initiate into a use_awaitable initiation one
// time too many (seen as a shard actor freed while still in use). So the state lives in a named local of
// the calling coroutine, and the initiation receives nothing but a raw pointer to it.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "eddy/core/shard_actor.h"

namespace eddy::api {

// Work to run on another executor, and its result. Declare it as a local, then co_await run(job).
template <class R>
struct offload_job {
  boost::asio::any_io_executor executor;
  std::function<R()> fn;
  std::optional<R> result;
};

template <class R>
boost::asio::awaitable<void> run(offload_job<R>& job) {
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void()>(
      [p = &job](auto handler) {
        boost::asio::post(p->executor, [p, h = std::move(handler)]() mutable {
          p->result.emplace(p->fn());
          auto hex = boost::asio::get_associated_executor(h);
          boost::asio::post(hex, std::move(h));
        });
      },
      boost::asio::use_awaitable);
}

using append_outcome = std::optional<storage::result<core::append_ack>>;

struct append_group {
  std::shared_ptr<core::shard_actor> actor;
  std::vector<core::append_record> records;
};

// Appends every group to its actor at once (each actor group-commits independently). Declare it as a
// local, fill groups, then co_await run(job): outcomes[i] answers groups[i]; a group a sealed actor
// turned away gets its records back in returned[i], to be routed again.
struct append_job {
  std::vector<append_group> groups;
  std::vector<append_outcome> outcomes;
  std::vector<std::vector<core::append_record>> returned;
  std::mutex mu;
  size_t remaining = 0;
  std::function<void()> resume;
};

inline boost::asio::awaitable<void> run(append_job& job) {
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void()>(
      [p = &job](auto handler) {
        auto hex = boost::asio::get_associated_executor(handler);
        auto shared_handler = std::make_shared<decltype(handler)>(std::move(handler));
        p->resume = [hex, shared_handler] { boost::asio::post(hex, std::move(*shared_handler)); };
        p->outcomes.resize(p->groups.size());
        p->returned.resize(p->groups.size());
        p->remaining = p->groups.size();
        for (size_t i = 0; i < p->groups.size(); ++i) {
          p->groups[i].actor->append(
              std::move(p->groups[i].records),
              [p, i](storage::result<core::append_ack> r) {
                std::unique_lock lock(p->mu);
                p->outcomes[i].emplace(std::move(r));
                if (--p->remaining == 0) {
                  lock.unlock();
                  p->resume();
                }
              },
              &p->returned[i]);
        }
      },
      boost::asio::use_awaitable);
}

}  // namespace eddy::api
