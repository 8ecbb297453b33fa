// ready: how long a freshly started server takes to answer its first ListStreams. bench/compare.sh notes
// the wall-clock time (date +%s%N) just before it starts a server and passes it as --since-ns; this polls
// ListStreams every millisecond (a refused connection fails at once) until one succeeds, for at most
// --duration seconds. The figure includes the server's start-up, not this process's.
#include "workloads.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace eddy::bench {

asio::awaitable<void> run_ready(bench_run& run) {
  using namespace std::chrono_literals;
  const auto wall_start = run.opt.since_ns > 0 ? std::chrono::system_clock::time_point(
                                                     std::chrono::nanoseconds(run.opt.since_ns))
                                               : std::chrono::system_clock::now();
  const auto deadline = clock_type::now() + std::chrono::duration_cast<clock_type::duration>(
                                                std::chrono::duration<double>(run.opt.duration > 0 ? run.opt.duration : 60));
  asio::steady_timer pause(run.ex);
  int64_t attempts = 0;
  std::string last;
  run.phase = "wait";
  run.begin_measuring(clock_type::now());
  for (;;) {
    ++attempts;
    auto r = co_await run.api.call("ListStreams", codec::document::object());
    if (r.ok()) break;
    last = r.describe();
    if (clock_type::now() >= deadline) {
      run.fatal = "no successful ListStreams before the deadline; last: " + last;
      co_return;
    }
    pause.expires_after(1ms);
    co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  run.end_measuring(clock_type::now());
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::system_clock::now() - wall_start).count();
  run.extra["ready_ms"] = std::round(ms * 10) / 10;
  run.extra["attempts"] = attempts;
}

}  // namespace eddy::bench
