#include "core/network.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <cstdint>

namespace mg {

std::vector<std::string> NetworkAddresses() {
  std::vector<std::string> private_ones, others;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return {};
  for (const ifaddrs* it = list; it != nullptr; it = it->ifa_next) {
    if (it->ifa_addr == nullptr || it->ifa_addr->sa_family != AF_INET) continue;
    if ((it->ifa_flags & IFF_UP) == 0 || (it->ifa_flags & IFF_LOOPBACK) != 0) continue;
    const in_addr address = reinterpret_cast<const sockaddr_in*>(it->ifa_addr)->sin_addr;
    const uint32_t host = ntohl(address.s_addr);
    char text[INET_ADDRSTRLEN] = {};
    if (inet_ntop(AF_INET, &address, text, sizeof text) == nullptr) continue;
    const bool is_private = (host >> 24) == 10 || (host >> 20) == 0xAC1 || (host >> 16) == 0xC0A8;
    (is_private ? private_ones : others).emplace_back(text);
  }
  freeifaddrs(list);
  private_ones.insert(private_ones.end(), others.begin(), others.end());
  return private_ones;
}

}  // namespace mg
