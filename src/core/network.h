// This computer's addresses on the local network, for `serve --lan` and its tests.
#ifndef MGADVISOR_CORE_NETWORK_H_
#define MGADVISOR_CORE_NETWORK_H_

#include <string>
#include <vector>

namespace mg {

// IPv4 addresses of interfaces that are up, loopback excluded; private ones (RFC 1918: 10/8,
// 172.16/12, 192.168/16 — a home or office network) first, each group in interface order.
// Empty when there is none (or the list cannot be read).
std::vector<std::string> NetworkAddresses();

}  // namespace mg

#endif  // MGADVISOR_CORE_NETWORK_H_
