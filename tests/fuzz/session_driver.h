#pragma once
// Runs one HTTP/1.1 or HTTP/2 session (src/frontend/sessions.h) over bytes in memory against a fresh
// fuzz_broker, the way a client that sends everything and then waits would: the session reads the bytes
// and answers what it can; once nothing more happens the client ends its side, and the session and
// everything it started run to their end.
#include <boost/asio/co_spawn.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz/fuzz_broker.h"
#include "sessions.h"

namespace eddy::fuzz {

// What a session run left behind, for the targets' checks.
struct session_result {
  std::string output;  // every byte the session wrote
};

// `run`: frontend::run_http1_session or run_http2_session (their memory_stream overloads).
template <class Run>
session_result drive_session(Run run, std::string_view bytes, std::string prefix) {
  fuzz_broker broker;
  auto& ioc = broker.ioc();
  frontend::limits lim;  // the broker's defaults (app/broker.cc builds them from the same settings)
  auto st = std::make_shared<frontend::shared_state>(broker.pipeline(), lim);
  frontend::memory_stream conn(ioc.get_executor());
  std::string input(bytes);
  broker.substitute(input);  // placeholders keep their length: framing stays as the input has it
  conn.feed(input);

  bool done = false;
  std::exception_ptr failure;
  boost::asio::co_spawn(ioc, run(conn, std::move(prefix), st), [&](std::exception_ptr e) {
    done = true;
    failure = e;
  });
  ioc.restart();
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (!done && std::chrono::steady_clock::now() < give_up) {
    if (ioc.poll() != 0) continue;
    if (conn.input_read() && st->in_flight.load() == 0) break;
    ioc.run_one_for(std::chrono::milliseconds(1));
  }
  conn.end_input();
  ioc.run();
  if (!done) {
    std::fprintf(stderr, "fuzz: the session did not end after its input ended\n");
    std::abort();
  }
  if (failure) {
    // The listener would log it and drop the connection; sessions turn bad input into answers, so an
    // exception that escapes one is a bug.
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "fuzz: the session threw: %s\n", e.what());
    }
    std::abort();
  }
  if (st->in_flight.load() != 0) {
    std::fprintf(stderr, "fuzz: a request is still counted in flight after the session ended\n");
    std::abort();
  }
  // EDDY_FUZZ_SHOW=1 prints what the session wrote (to look at one input: run the target on it).
  if (std::getenv("EDDY_FUZZ_SHOW")) std::fwrite(conn.output().data(), 1, conn.output().size(), stderr);
  return {conn.output()};
}

}  // namespace eddy::fuzz
