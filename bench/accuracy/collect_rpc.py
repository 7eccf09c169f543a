#!/usr/bin/env python3
"""Turn rpc_loopback.sh's logs (bench/accuracy/logs/rpc-loopback/) into tests/data/llama-cpp-rpc-loopback.json.

Bench tool, Python 3 stdlib only. Per case: each rpc-server's buffers as llama-server's log names them
(`RPC0[127.0.0.1:PORT] model / KV / compute buffer size`, MiB with 2 decimals; the KV lines of an
iSWA model's two caches are summed), the process's VmRSS idle (before the head connected) and after
the load, and the head's host buffers (CPU_Mapped, CPU compute, output) and VmRSS. The servers are
named rpc0 and rpc1 in --rpc order, which is llama.cpp's device order (src/llama.cpp).

    python3 bench/accuracy/collect_rpc.py > tests/data/llama-cpp-rpc-loopback.json
"""

import glob
import json
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
LOGS = os.path.join(ROOT, "bench", "accuracy", "logs", "rpc-loopback")


def parse(path):
    text = open(path, encoding="utf-8").read()
    head = re.search(r"^### case (\S+) model=(\S+) ctx=(\d+) flags=(.*)$", text, re.M)
    ports = re.search(r"^### rpc0 127\.0\.0\.1:(\d+) pid \d+, rpc1 127\.0\.0\.1:(\d+)", text, re.M)
    if not head or not ports or "### done" not in text or "### llama-server exit rc 0" not in text:
        raise SystemExit(f"{path}: not a complete case log")
    c = {"case": head[1], "model": head[2], "context": int(head[3]), "flags": head[4].split(),
         "command": re.search(r"^### command: (.*)$", text, re.M)[1].strip()}
    c["flash_attn"] = "resolve_fused_ops: Flash Attention enabled" in text
    servers = {}
    for name, port in (("rpc0", ports[1]), ("rpc1", ports[2])):
        addr = re.escape(f"[127.0.0.1:{port}]")
        def mib(what):
            vals = [float(v) for v in re.findall(rf"RPC\d+{addr} {what} buffer size =\s+([\d.]+) MiB", text)]
            return round(sum(vals), 2) if vals else 0.0
        def kib(label):
            m = re.search(rf"^### proc {label} VmRSS:\s+(\d+) kB", text, re.M)
            return int(m[1]) if m else None
        servers[name] = {"port": int(port), "model_mib": mib("model"), "kv_mib": mib("KV"),
                         "compute_mib": mib("compute"), "vmrss_idle_kib": kib(name + " idle"),
                         "vmrss_kib": kib(name)}
    c["rpc"] = servers
    def host(pattern):
        m = re.search(pattern, text, re.M)
        return float(m[1]) if m else 0.0
    c["head"] = {"cpu_mapped_mib": host(r"CPU_Mapped model buffer size =\s+([\d.]+) MiB"),
                 "cpu_compute_mib": host(r"\s+CPU compute buffer size =\s+([\d.]+) MiB"),
                 "output_mib": host(r"CPU\s+output buffer size =\s+([\d.]+) MiB"),
                 "vmrss_kib": int(re.search(r"^### proc head VmRSS:\s+(\d+) kB", text, re.M)[1])}
    return c


def main():
    paths = sorted(p for p in glob.glob(os.path.join(LOGS, "rpc-*.log")) if not re.search(r"\.rpc\d\.log$", p))
    if not paths:
        sys.exit(f"no logs in {LOGS}")
    machine = open(os.path.join(LOGS, "machine.txt"), encoding="utf-8").read()
    data = {
        "llama_cpp": {"commit": "de3ff815ea7d559ee917f063901b8986f038abc6",
                      "source": "node-llama-cpp 3.22.1 llama/gitRelease.bundle (release tag v0.5.0), built "
                                "-DGGML_RPC=ON, CPU backend only (bench/accuracy/logs/rpc-loopback/build.txt)"},
        "machine": {"ram_bytes": 135128870912,  # each rpc-server's get_device_memory reply (the .rpc0.log files)
                    "cpus": int(re.search(r"^(\d+)$", machine, re.M)[1])},
        "cases": [parse(p) for p in paths],
    }
    json.dump(data, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
