#pragma once
// connection_probe: the listener's connection metrics, by protocol ("http1" or "h2", decided per
// connection by ALPN or by sniffing the HTTP/2 preface; TLS or not):
//
//   eddy_connections_open{protocol}            connections being served now
//   eddy_connections_accepted_total{protocol}  connections handed to a session since start
//   eddy_frontend_limit_hits_total{limit}       requests or connections stopped by a resource limit
//
// Both children of each protocol are resolved here, once; a session start and end are two atomic
// updates.
//
// Thread safety: every method may be called from any thread (sessions run on their connections'
// strands). Lifecycle: shared by the listener's state and its sessions; /metrics holds it weakly.
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <array>
#include <memory>

namespace eddy::frontend {

class connection_probe {
 public:
  enum class protocol { http1, h2 };
  // The bounds of docs/limits.md's "Resource limits", each a `limit` label.
  enum class limit {
    connections, body_bytes, header_bytes, header_count, h2_streams, idle_timeout, request_timeout,
    open_files,  // accept() found no file descriptor left (the process's open-file limit)
  };

  connection_probe();

  // Counts one session of `p` as open until the returned guard goes.
  class session {
   public:
    session(std::shared_ptr<connection_probe> probe, protocol p);
    ~session();
    session(const session&) = delete;
    session& operator=(const session&) = delete;

   private:
    std::shared_ptr<connection_probe>
        probe_;  // the gauge must outlive the session, which may outlive the listener
    prometheus::Gauge* open_;
  };

  void hit(limit l) { limit_hits_[static_cast<size_t>(l)]->Increment(); }

  std::shared_ptr<prometheus::Collectable> collectable() const { return registry_; }

 private:
  struct children {
    prometheus::Gauge* open;
    prometheus::Counter* accepted;
  };
  const children& of(protocol p) const { return p == protocol::h2 ? h2_ : http1_; }

  std::shared_ptr<prometheus::Registry> registry_;
  children http1_;
  children h2_;
  std::array<prometheus::Counter*, 8> limit_hits_{};
};

}  // namespace eddy::frontend
