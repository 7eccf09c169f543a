#include "estimate/cluster_link.h"

namespace planner {

namespace {

// Nominal rates: what the link is sold as, not what TCP gets through it (planner's link bound is
// therefore an upper bound on the link's speed, and a lower one on its time).
constexpr LinkInfo kLinks[] = {
    {"thunderbolt-4", 40, "Intel Thunderbolt 4: 40 Gb/s"},
    {"thunderbolt-5", 80, "Intel Thunderbolt 5: 80 Gb/s each way (120 Gb/s Bandwidth Boost one way)"},
    // MLX's jaccl backend: RDMA over Thunderbolt 5 (macOS 26.2+), the same wire as thunderbolt-5.
    {"rdma", 80, "RDMA over Thunderbolt 5 (mlx jaccl backend): Thunderbolt 5's 80 Gb/s"},
    {"1gbe", 1, "IEEE 802.3ab 1000BASE-T: 1 Gb/s"},
    {"10gbe", 10, "IEEE 802.3an 10GBASE-T: 10 Gb/s"},
    {"25gbe", 25, "IEEE 802.3by 25GBASE-R: 25 Gb/s"},
    {"100gbe", 100, "IEEE 802.3ba/bj 100GBASE: 100 Gb/s"},
};

}  // namespace

std::span<const LinkInfo> links() { return kLinks; }

const LinkInfo* find_link(std::string_view id) {
  for (const auto& l : kLinks)
    if (id == l.id) return &l;
  return nullptr;
}

}  // namespace planner
