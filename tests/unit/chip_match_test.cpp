// HardwareTables::match: chip and GPU names as people write them, to data/hardware.yaml entries.
#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "resolve/hardware.h"

using namespace planner;
using Status = ChipMatch::Status;

namespace {
struct Case {
  const char* written;
  const char* entry;  // data/hardware.yaml name
  int gpu_cores;      // 0: not checked
};
}  // namespace

TEST_CASE("Every way people write a GPU's name finds its entry", "[chip]") {
  const auto& hw = HardwareTables::builtin();
  const Case cases[] = {
      {"RTX 4090", "RTX 4090", 0},
      {"4090", "RTX 4090", 0},
      {"rtx 4090", "RTX 4090", 0},
      {"  RTX   4090 ", "RTX 4090", 0},
      {"RTX4090", "RTX 4090", 0},
      {"GeForce RTX 4090", "RTX 4090", 0},
      {"NVIDIA GeForce RTX 4090", "RTX 4090", 0},  // nvidia-smi's name
      {"nvidia geforce rtx 4090", "RTX 4090", 0},
      {"RTX 4090 24GB", "RTX 4090", 0},
      {"RTX 4090 24 GB", "RTX 4090", 0},
      {"RTX 4090 (24GB)", "RTX 4090", 0},
      {"RTX 4090 24G", "RTX 4090", 0},
      {"3090", "RTX 3090", 0},
      {"RTX 5090 32GB", "RTX 5090", 0},        // 31.843 GiB as nvidia-smi shows it, 32 as sold
      {"RTX 4060 Ti 16GB", "RTX 4060 Ti 16GB", 0},
      {"rtx 4060ti 16gb", "RTX 4060 Ti 16GB", 0},
      {"4060 Ti 16 GB", "RTX 4060 Ti 16GB", 0},
      {"RTX 3060 12GB", "RTX 3060 12GB", 0},
      {"RTX 3060 12288MiB", "RTX 3060 12GB", 0},
      {"A6000", "RTX A6000", 0},
      {"NVIDIA RTX A4000", "RTX A4000", 0},
      {"NVIDIA L4", "L4", 0},
      {"NVIDIA H100 80GB HBM3", "H100 SXM", 0},  // nvidia-smi's name of the SXM board
      {"H100 SXM5", "H100 SXM", 0},
      {"NVIDIA H100 PCIe", "H100 PCIe", 0},
      {"NVIDIA A100-SXM4-80GB", "A100 80GB SXM", 0},
      {"NVIDIA A100-SXM4-40GB", "A100 40GB", 0},
      {"A100 80GB PCIe", "A100 80GB PCIe", 0},
      {"A100 40GB", "A100 40GB", 0},
  };
  for (const Case& c : cases) {
    INFO(c.written);
    const ChipMatch m = hw.match(c.written);
    CHECK(m.status == Status::known);
    REQUIRE(m.chip != nullptr);
    CHECK(m.chip->name == c.entry);
    CHECK_FALSE(m.chip->apple);
  }
}

TEST_CASE("Every way people write an Apple chip's name finds its entry", "[chip]") {
  const auto& hw = HardwareTables::builtin();
  const Case cases[] = {
      {"M4 Pro", "M4 Pro", 20},
      {"Apple M4 Pro", "M4 Pro", 20},  // sysctl machdep.cpu.brand_string
      {"m4 pro", "M4 Pro", 20},
      {"m4pro", "M4 Pro", 20},
      {"M4 Pro 16-core GPU", "M4 Pro", 20},  // a bin of the one entry (gpu_cores_options)
      {"M4 Max 40", "M4 Max", 40},
      {"M4 Max 40-core", "M4 Max", 40},
      {"M4 Max (40-core GPU)", "M4 Max", 40},
      {"Apple M4 Max 40 GPU cores", "M4 Max", 40},
      {"M4 Max 16-CPU/40-GPU", "M4 Max", 40},
      {"M4 Max 14-CPU/32-GPU", "M4 Max", 32},
      {"m4max 32c", "M4 Max", 32},
      {"M3 Max 30-core GPU", "M3 Max", 30},
      {"M2", "M2", 10},
      {"M3", "M3", 10},
      {"M3 Ultra", "M3 Ultra", 80},
  };
  for (const Case& c : cases) {
    INFO(c.written);
    const ChipMatch m = hw.match(c.written);
    CHECK(m.status == Status::known);
    REQUIRE(m.chip != nullptr);
    CHECK(m.chip->name == c.entry);
    CHECK(m.chip->gpu_cores == c.gpu_cores);
    CHECK(m.chip->apple);
  }
}

TEST_CASE("Words are matched whole: a name is never widened to a neighbour", "[chip]") {
  const auto& hw = HardwareTables::builtin();
  for (const char* other : {"RTX 4060", "RTX 3090 Ti", "RTX 4090 Super", "GTX 1080", "M3 Pro Max", "RTX 4080"}) {
    INFO(other);
    const ChipMatch m = hw.match(other);
    CHECK(m.status == Status::unknown);
    CHECK(m.chip == nullptr);
    CHECK_FALSE(m.closest.empty());
  }
  CHECK(hw.match("M3").chip->name == "M3");  // not M3 Pro / Max / Ultra
  // Nearest by edit distance of the words that name the part, ties in table order.
  CHECK(hw.match("RTX 4080").closest == std::vector<std::string>{"RTX 4090", "RTX 3060 12GB", "RTX 3090"});
  CHECK(hw.match("RTX 4070 Ti SUPER").closest.front() == "RTX 4060 Ti 16GB");
  CHECK(hw.match("M9").closest == std::vector<std::string>{"M1", "M2", "M3"});
  // A VRAM the table has no variant of: unknown, the closest being the part's known variants.
  const ChipMatch m8 = hw.match("RTX 4060 Ti 8GB");
  CHECK(m8.status == Status::unknown);
  CHECK(m8.closest == std::vector<std::string>{"RTX 4060 Ti 16GB"});
  CHECK(hw.match("RTX 4090 48GB").status == Status::unknown);
  const ChipMatch bin = hw.match("M4 Max 38-core");
  CHECK(bin.status == Status::unknown);
  CHECK(bin.closest == std::vector<std::string>{"M4 Max (32-core GPU)", "M4 Max (40-core GPU)"});
  CHECK(hw.match(std::string(300, 'x')).status == Status::unknown);
  CHECK(hw.match("").status == Status::unknown);
  CHECK(hw.match("NVIDIA").status == Status::unknown);
}

TEST_CASE("A name without the VRAM its variants differ by is ambiguous: the smallest is assumed", "[chip]") {
  const auto& hw = HardwareTables::builtin();
  // The table lists the RTX 3060 and 4060 Ti by their VRAM: the bare name does not say which card.
  for (const char* name : {"RTX 3060", "NVIDIA GeForce RTX 3060", "RTX 4060 Ti"}) {
    INFO(name);
    const ChipMatch m = hw.match(name);
    CHECK(m.status == Status::ambiguous);
    CHECK(m.vram_guessed);
    REQUIRE(m.chip != nullptr);
    CHECK(m.variants.size() == 1);
  }
  const ChipMatch a100 = hw.match("A100");
  CHECK(a100.status == Status::ambiguous);
  CHECK(a100.variants.size() == 3);
  CHECK(a100.vram_guessed);
  CHECK(a100.chip->name == "A100 40GB");  // the smallest VRAM
  const ChipMatch a100_80 = hw.match("A100 80GB");
  CHECK(a100_80.status == Status::ambiguous);
  CHECK_FALSE(a100_80.vram_guessed);  // PCIe or SXM, 80 GB both: only the bandwidth differs
  CHECK(a100_80.chip->name == "A100 80GB PCIe");  // the lower bandwidth
  const ChipMatch h100 = hw.match("H100");
  CHECK(h100.status == Status::ambiguous);
  CHECK_FALSE(h100.vram_guessed);
  CHECK(h100.chip->name == "H100 PCIe");
  // A VRAM known otherwise (nvidia-smi's memory.total, hardware.gpu_vram_gb) settles it.
  CHECK(hw.match("NVIDIA GeForce RTX 3060", std::nullopt, 12288.0 / 1024).status == Status::known);
  CHECK(hw.match("A100", std::nullopt, 40.0).chip->name == "A100 40GB");
  CHECK(hw.match("RTX 4060 Ti", std::nullopt, 15.996).status == Status::known);
  CHECK(hw.match("RTX 3060", std::nullopt, 8.0).status == Status::ambiguous);  // not the 12 GB card
  // A VRAM that is the sum over several cards does not unsettle a name that needs none.
  CHECK(hw.match("RTX 3090", std::nullopt, 48.0).status == Status::known);
  // chip() keeps only certain matches.
  CHECK(hw.chip("RTX 3060") == nullptr);
  CHECK(hw.chip("4090") != nullptr);
}

TEST_CASE("An Apple chip without its GPU cores is the variant its RAM is sold with", "[chip]") {
  const auto& hw = HardwareTables::builtin();
  struct RamCase {
    const char* chip;
    double ram;
    int gpu_cores;
  };
  // data/hardware.yaml ram_gb: M4 Max 32-core 36; 40-core 48, 64, 128. M3 Max 30-core 36, 96;
  // 40-core 48, 128 (64 unverified).
  const RamCase cases[] = {{"M4 Max", 36, 32}, {"M4 Max", 48, 40}, {"M4 Max", 64, 40}, {"M4 Max", 128, 40},
                           {"Apple M4 Max", 128, 40}, {"M3 Max", 36, 30}, {"M3 Max", 96, 30},
                           {"M3 Max", 48, 40}, {"M3 Max", 128, 40}};
  for (const RamCase& c : cases) {
    INFO(c.chip << " with " << c.ram << " GB");
    const ChipMatch m = hw.match(c.chip, c.ram);
    CHECK(m.status == Status::known);
    CHECK(m.by_ram);
    CHECK_FALSE(m.ram_unverified);
    REQUIRE(m.chip != nullptr);
    CHECK(m.chip->gpu_cores == c.gpu_cores);
  }
  const ChipMatch m64 = hw.match("M3 Max", 64);
  CHECK(m64.status == Status::known);
  CHECK(m64.ram_unverified);
  CHECK(m64.chip->gpu_cores == 40);
  CHECK(hw.match("M4 Max 36GB").chip->gpu_cores == 32);  // the RAM in the name, when no other is given
  CHECK(hw.match("M4 Max 128GB").chip->gpu_cores == 40);
  CHECK(hw.match("M4 Max").status == Status::ambiguous);  // no RAM: either
  CHECK(hw.match("M4 Max").chip->label == "M4 Max (32-core GPU)");
  CHECK(hw.match("M4 Pro", 48).status == Status::known);
  CHECK_FALSE(hw.match("M4 Pro", 48).by_ram);  // one entry: nothing to choose
}

TEST_CASE("A chip or variant not sold with the RAM is a mismatch", "[chip]") {
  const auto& hw = HardwareTables::builtin();
  const ChipMatch any = hw.match("M4 Max", 96);  // neither variant
  CHECK(any.status == Status::ram_mismatch);
  CHECK(any.variants.size() == 2);
  CHECK(any.chip->gpu_cores == 32);
  const ChipMatch bin = hw.match("M4 Max 32-core", 128);  // the 32-core M4 Max has 36 GB only
  CHECK(bin.status == Status::ram_mismatch);
  CHECK(bin.chip->gpu_cores == 32);
  CHECK(hw.match("M3 Pro", 16).status == Status::ram_mismatch);  // 18 or 36
  CHECK(hw.match("M1 Pro", 64).status == Status::ram_mismatch);  // up to 32
  CHECK(hw.match("M1 Pro", 16).status == Status::known);
  CHECK(hw.match("M3", 8).status == Status::known);  // no RAM sizes known: no check
}
