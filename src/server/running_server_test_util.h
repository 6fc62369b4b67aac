// For black-box server tests: the real server on an ephemeral loopback port, listening on its own
// thread until the object is destroyed.
#ifndef MGADVISOR_SERVER_RUNNING_SERVER_TEST_UTIL_H_
#define MGADVISOR_SERVER_RUNNING_SERVER_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <memory>
#include <thread>
#include <utility>

#include "server/server.h"

namespace mg::server {

class RunningServer {
 public:
  // Creates and binds a server for `options` (the port is forced to 0: any free one), starts
  // listening, and waits until /api/health answers. Failures are test failures; nullptr then.
  static std::unique_ptr<RunningServer> Start(ServerOptions options) {
    options.port = 0;
    auto server = Server::Create(options);
    EXPECT_TRUE(server.ok()) << server.error().message;
    if (!server.ok()) return nullptr;
    auto out = std::unique_ptr<RunningServer>(new RunningServer);
    out->server_ = std::move(*server);
    auto port = out->server_->Bind();
    EXPECT_TRUE(port.ok()) << port.error().message;
    if (!port.ok()) return nullptr;
    out->port_ = *port;
    out->thread_ = std::thread([s = out->server_.get()] { (void)s->Listen(); });
    httplib::Client client("127.0.0.1", out->port_);
    for (int i = 0; i < 500; ++i) {  // Up to 5 s: loading is slow under sanitizers.
      if (auto res = client.Get("/api/health"); res && res->status == 200) return out;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "server did not start";
    return nullptr;
  }
  ~RunningServer() {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  int port() const { return port_; }

 private:
  RunningServer() = default;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace mg::server

#endif  // MGADVISOR_SERVER_RUNNING_SERVER_TEST_UTIL_H_
