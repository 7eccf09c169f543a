// Detection parsers on the recorded outputs in tests/data/detect/ (see its README for where each
// came from) and on broken ones: garbage, empty and truncated output must give an error, never a
// crash or a made-up value.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <vector>

#include "detect/collect.h"
#include "detect/detect.h"
#include "detect/meminfo.h"
#include "detect/nvidia_smi.h"
#include "detect/sysctl.h"
#include "detect/vm_stat.h"

using namespace planner;
using namespace planner::detect;

namespace {
const std::string kDir = std::string(PLANNER_SOURCE_DIR) + "/tests/data/detect/";

std::string recorded(const std::string& rel) {
  std::ifstream in(kDir + rel, std::ios::binary);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST_CASE("meminfo: recorded Raspberry Pi 3 lines", "[detect]") {
  auto m = parse_meminfo(recorded("linux-cpu-rpi3/proc-meminfo"));
  REQUIRE(m);
  CHECK(m.value->total_bytes == 929956ULL * 1024);
  REQUIRE(m.value->available_bytes);
  CHECK(*m.value->available_bytes == 676936ULL * 1024);
}

TEST_CASE("meminfo: a full recorded file (this build machine)", "[detect]") {
  const std::string text = recorded("linux-nvidia-rtx4090/proc-meminfo");
  auto m = parse_meminfo(text);
  REQUIRE(m);
  // The first line is MemTotal; read it independently of the parser.
  const auto digits = text.substr(text.find_first_of("0123456789"));
  CHECK(m.value->total_bytes == std::stoull(digits) * 1024);
  CHECK(m.value->available_bytes.has_value());
}

TEST_CASE("meminfo: bad outputs are errors", "[detect]") {
  CHECK_FALSE(parse_meminfo(""));
  CHECK(parse_meminfo("").error.find("empty") != std::string::npos);
  CHECK_FALSE(parse_meminfo("MemFree: 83420 kB\n"));  // MemTotal cut off
  CHECK(parse_meminfo("MemFree: 83420 kB\n").error.find("no MemTotal") != std::string::npos);
  auto bad = parse_meminfo("MemTotal:  lots kB\n");
  CHECK_FALSE(bad);
  CHECK(bad.error.find("/proc/meminfo:1: MemTotal") != std::string::npos);
  CHECK_FALSE(parse_meminfo("MemTotal:  929956\n"));      // no unit
  CHECK_FALSE(parse_meminfo("MemTotal:  -929956 kB\n"));  // sign
  CHECK_FALSE(parse_meminfo("MemTotal:  99999999999999999999999 kB\n"));  // overflow
  CHECK_FALSE(parse_meminfo("MemTotal:  0 kB\n"));
  CHECK_FALSE(parse_meminfo(std::string("\x7f\x45\x4c\x46\0\0", 6)));
  // Without MemAvailable (Linux before 3.14) the total still parses.
  auto old = parse_meminfo("MemTotal:  1024 kB\nMemFree: 10 kB\n");
  REQUIRE(old);
  CHECK_FALSE(old.value->available_bytes);
}

TEST_CASE("nvidia-smi: recorded single and multi-GPU outputs", "[detect]") {
  auto one = parse_nvidia_smi(recorded("linux-nvidia-rtx4090/nvidia-smi"));
  REQUIRE(one);
  REQUIRE(one.value->size() == 1);
  CHECK(one.value->at(0).name == "NVIDIA GeForce RTX 4090");
  CHECK(one.value->at(0).total_mib == 24564ULL);
  CHECK(one.value->at(0).used_mib == 1234ULL);

  auto many = parse_nvidia_smi(recorded("linux-nvidia-multi/nvidia-smi"));
  REQUIRE(many);
  REQUIRE(many.value->size() == 5);
  CHECK(many.value->at(2).name == "NVIDIA H100 80GB HBM3");
  CHECK(many.value->at(2).total_mib == 81559ULL);
  CHECK(many.value->at(4).name == "NVIDIA GB10");
  CHECK_FALSE(many.value->at(4).total_mib);  // [N/A] on unified memory
  CHECK_FALSE(many.value->at(4).used_mib);
}

TEST_CASE("nvidia-smi: units, garbage and truncation", "[detect]") {
  auto units = parse_nvidia_smi("NVIDIA GeForce RTX 4090, 24564 MiB, 1234 MiB\n");  // without nounits
  REQUIRE(units);
  CHECK(units.value->at(0).total_mib == 24564ULL);
  CHECK_FALSE(parse_nvidia_smi(""));
  auto cut = parse_nvidia_smi(recorded("bad-nvidia/nvidia-smi"));
  CHECK_FALSE(cut);
  CHECK(cut.error.find("nvidia-smi:1: expected 'name, memory.total, memory.used'") != std::string::npos);
  auto err = parse_nvidia_smi("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n");
  CHECK_FALSE(err);
  auto nan = parse_nvidia_smi("NVIDIA GeForce RTX 4090, lots, 1\n");
  CHECK_FALSE(nan);
  CHECK(nan.error.find("nvidia-smi:1: memory sizes") != std::string::npos);
  CHECK_FALSE(parse_nvidia_smi(", 24564, 1\n"));
  CHECK_FALSE(parse_nvidia_smi("NVIDIA GeForce RTX 4090, 9999999999999999999, 1\n"));  // would overflow bytes
  auto second = parse_nvidia_smi("NVIDIA GeForce RTX 4090, 24564, 1\nNVIDIA GeForce RTX 3060, 12288\n");
  CHECK_FALSE(second);
  CHECK(second.error.find("nvidia-smi:2:") != std::string::npos);
}

TEST_CASE("sysctl: recorded values in -n and name forms", "[detect]") {
  auto mem = parse_hw_memsize(recorded("macos-m4pro-24gb/sysctl-hw.memsize"));
  REQUIRE(mem);
  CHECK(*mem.value == 25769803776ULL);
  CHECK(*parse_hw_memsize("hw.memsize: 25769803776\n").value == 25769803776ULL);
  auto brand = parse_brand_string(recorded("macos-m4pro-24gb/sysctl-machdep.cpu.brand_string"));
  REQUIRE(brand);
  CHECK(*brand.value == "Apple M4 Pro");
  CHECK(*parse_brand_string("Apple M1 Pro   \n").value == "Apple M1 Pro");  // trailing spaces trimmed
  CHECK(*parse_brand_string("Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz\n").value ==
        "Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz");
  auto wired = parse_wired_limit_mb(recorded("macos-m4pro-24gb/sysctl-iogpu.wired_limit_mb"));
  REQUIRE(wired);
  CHECK(*wired.value == 0);
  auto raised = parse_wired_limit_mb(recorded("macos-m3-16gb-raised/sysctl-iogpu.wired_limit_mb"));
  REQUIRE(raised);
  CHECK(*raised.value == 14000);  // "0 -> 14000": the value now in force
}

TEST_CASE("sysctl: bad outputs are errors", "[detect]") {
  auto oid = parse_hw_memsize(recorded("bad-macos/sysctl-hw.memsize"));
  CHECK_FALSE(oid);
  CHECK(oid.error.find("sysctl hw.memsize: expected a byte count") != std::string::npos);
  CHECK_FALSE(parse_hw_memsize(""));
  CHECK_FALSE(parse_hw_memsize("16"));  // a GB figure is not hw.memsize's byte count
  CHECK_FALSE(parse_hw_memsize("17179869184\n17179869184\n"));
  CHECK_FALSE(parse_hw_memsize("1717986918x"));
  CHECK_FALSE(parse_hw_memsize("9999999999999999999"));
  CHECK_FALSE(parse_wired_limit_mb("iogpu.wired_limit_mb:\n"));
  CHECK_FALSE(parse_wired_limit_mb("-1"));
  CHECK_FALSE(parse_brand_string("   \n"));
}

TEST_CASE("vm_stat: the recorded 24 GiB capture", "[detect]") {
  auto v = parse_vm_stat(recorded("macos-m4pro-24gb/vm_stat"));
  REQUIRE(v);
  CHECK(v.value->page_bytes == 16384);
  CHECK(v.value->free == 39656);
  CHECK(v.value->active == 591525);
  CHECK(v.value->inactive == 590748);
  CHECK(v.value->speculative == 5060);
  CHECK(v.value->wired == 212530);
  CHECK(v.value->purgeable == 11333);
  CHECK(v.value->compressor == 90849);
  CHECK(v.value->bytes(v.value->wired) == 212530ULL * 16384);
}

TEST_CASE("vm_stat: bad outputs are errors", "[detect]") {
  CHECK_FALSE(parse_vm_stat(""));
  auto cut = parse_vm_stat(recorded("bad-macos/vm_stat"));
  CHECK_FALSE(cut);
  CHECK(cut.error.find("no 'Pages wired down' line") != std::string::npos);
  auto header = parse_vm_stat("Pages free: 39656.\nPages active: 1.\nPages wired down: 2.\n");
  CHECK_FALSE(header);
  CHECK(header.error.find("vm_stat:1:") != std::string::npos);
  CHECK_FALSE(parse_vm_stat("Mach Virtual Memory Statistics: (page size of 12345 bytes)\n"));  // not a power of two
  CHECK_FALSE(parse_vm_stat("Mach Virtual Memory Statistics: (page size of 4096 bytes)\nPages free: 9999999999999999999.\n"));
  auto nan = parse_vm_stat("Mach Virtual Memory Statistics: (page size of 4096 bytes)\nPages free: many.\n");
  CHECK_FALSE(nan);
  CHECK(nan.error.find("vm_stat:2: Pages free") != std::string::npos);
  // An unknown trailing key (newer macOS) is skipped.
  auto extra = parse_vm_stat(
      "Mach Virtual Memory Statistics: (page size of 4096 bytes)\nPages free: 1.\nPages active: 2.\n"
      "Pages wired down: 3.\nPages tagged something: 7.\n");
  REQUIRE(extra);
  CHECK(extra.value->page_bytes == 4096);
}

TEST_CASE("detect_hardware: recorded Mac, default and raised wired limit", "[detect]") {
  Detection d = detect_hardware(directory_reader(kDir + "macos-m4pro-24gb"));
  CHECK(d.errors.empty());
  CHECK(d.os == "macos");
  CHECK(d.architecture == "apple_silicon");
  CHECK(d.ram_bytes == 25769803776ULL);
  REQUIRE(d.chip);
  CHECK(d.chip->name == "M4 Pro");
  REQUIRE(d.default_wired_limit_bytes);
  // hardware.yaml regime_a observed value for 24 GB.
  CHECK(*d.default_wired_limit_bytes == 17179885568.0);
  CHECK(d.wired_limit_bytes() == d.default_wired_limit_bytes);
  REQUIRE(d.available_bytes);
  CHECK(*d.available_bytes == (39656ULL + 590748 + 5060) * 16384);

  Detection r = detect_hardware(directory_reader(kDir + "macos-m3-16gb-raised"));
  CHECK(r.errors.empty());
  CHECK(r.ram_bytes == 17179869184ULL);
  REQUIRE(r.chip);
  CHECK(r.chip->name == "M3");
  REQUIRE(r.wired_limit_bytes());
  CHECK(*r.wired_limit_bytes() == 14000.0 * 1024 * 1024);
  CHECK_FALSE(r.vm);  // no vm_stat recorded: absent, not an error
}

TEST_CASE("detect_hardware: recorded Linux boxes", "[detect]") {
  Detection one = detect_hardware(directory_reader(kDir + "linux-nvidia-rtx4090"));
  CHECK(one.errors.empty());
  CHECK(one.architecture == "linux_nvidia");
  REQUIRE(one.chip);
  CHECK(one.chip->name == "RTX 4090");
  CHECK(one.total_vram_mib() == 24564);

  Detection many = detect_hardware(directory_reader(kDir + "linux-nvidia-multi"));
  CHECK(many.gpus.size() == 5);
  CHECK(many.total_vram_mib() == 24564ULL + 12288 + 81559 + 81920);  // GB10 reports none

  Detection cpu = detect_hardware(directory_reader(kDir + "linux-cpu-rpi3"));
  CHECK(cpu.errors.empty());
  CHECK(cpu.architecture == "cpu");
  CHECK(cpu.gpus.empty());
}

TEST_CASE("detect_hardware: broken and missing sources", "[detect]") {
  Detection bad = detect_hardware(directory_reader(kDir + "bad-macos"));
  CHECK(bad.errors.size() == 2);  // hw.memsize and vm_stat
  CHECK(bad.ram_bytes == 0);
  Detection nv = detect_hardware(directory_reader(kDir + "bad-nvidia"));
  REQUIRE(nv.errors.size() == 1);
  CHECK(nv.errors[0].find("nvidia-smi:1:") != std::string::npos);
  Detection none = detect_hardware(directory_reader(kDir + "no-such-dir"));
  CHECK(none.os.empty());
  CHECK(none.errors.empty());
}

TEST_CASE("run_command: missing, failing, slow and chatty commands", "[detect]") {
  CHECK_FALSE(run_command({"planner-no-such-command-xyz"}).present);
  Collected ok = run_command({"printf", "%s", "42"});
  CHECK(ok.present);
  CHECK(ok.problem.empty());
  CHECK(ok.text == "42");
  Collected fail = run_command({"false"});
  CHECK(fail.present);
  CHECK(fail.problem.find("exit status 1") != std::string::npos);
  RunLimits quick;
  quick.timeout = std::chrono::milliseconds(200);
  Collected slow = run_command({"sleep", "5"}, quick);
  CHECK(slow.problem.find("no answer within 200 ms") != std::string::npos);
  RunLimits small;
  small.max_bytes = 1000;
  Collected chatty = run_command({"yes"}, small);
  CHECK(chatty.problem.find("more than 1000 bytes") != std::string::npos);
  CHECK(chatty.text.empty());
}

TEST_CASE("Parsers on random bytes and cut recordings: an error or a value, never a throw", "[detect]") {
  unsigned state = 12345;
  auto next = [&state] { return state = state * 1103515245u + 12345u; };
  std::vector<std::string> inputs;
  for (int i = 0; i < 300; ++i) {
    std::string s(next() % 200, '\0');
    for (char& c : s) c = static_cast<char>(next() >> 16);
    inputs.push_back(s);
  }
  for (const char* rec : {"macos-m4pro-24gb/vm_stat", "linux-nvidia-multi/nvidia-smi", "linux-nvidia-multi/proc-meminfo"}) {
    const std::string full = recorded(rec);
    for (std::size_t cut = 0; cut < full.size(); cut += 7) inputs.push_back(full.substr(0, cut));
  }
  for (const auto& in : inputs) {
    CHECK_NOTHROW(parse_meminfo(in));
    CHECK_NOTHROW(parse_nvidia_smi(in));
    CHECK_NOTHROW(parse_hw_memsize(in));
    CHECK_NOTHROW(parse_brand_string(in));
    CHECK_NOTHROW(parse_wired_limit_mb(in));
    CHECK_NOTHROW(parse_vm_stat(in));
    auto v = parse_vm_stat(in);
    CHECK(v.value.has_value() != !v.error.empty());
  }
}
