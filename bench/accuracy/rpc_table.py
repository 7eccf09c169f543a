#!/usr/bin/env python3
"""planner's per-host figures against llama.cpp RPC on loopback (tests/data/llama-cpp-rpc-loopback.json).

Bench tool, Python 3 stdlib only. For each measured case it writes the cluster config the case ran
(a CPU head and two CPU rpc-servers on one machine of the measured RAM; -ts as tensor_split; the
route at the case's context, one slot, flash attention as the log resolved it), runs
`planner plan --format json` (PLANNER_BIN, default build/planner) and prints, per rpc-server, planner's
host total against the measured one: llama.cpp's buffers on that RPC device (model + KV + compute,
from llama-server's log) plus the rpc-server process's own VmRSS before the head connected.

    PLANNER_BIN=build/planner python3 bench/accuracy/rpc_table.py
"""

import json
import os
import subprocess
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MIB = 1 << 20

CONFIG = """# planner's side of the measured case {case} (bench/accuracy/rpc_table.py)
hardware: &box
  total_ram_gb: {ram_gb}
  architecture: cpu
inference:
  preferred_format: GGUF
  quantization: Q4_K_M
  max_context_tokens: {context}
routing:
  chat:
    model: {model}
    parallel: 1
    flash_attention: {fa}
cluster:
  hosts:
    - {{name: head, address: 127.0.0.1, hardware: *box}}
    - {{name: rpc0, address: 127.0.0.1, port: {p0}, hardware: *box}}
    - {{name: rpc1, address: 127.0.0.1, port: {p1}, hardware: *box}}
  link: 100gbe
  routes:
    chat: {{engine: llama.cpp-rpc{ts}}}
"""


def config(c, ram_bytes):
    flags = c["flags"]
    ts = ""
    if "-ts" in flags:
        ts = ", tensor_split: [" + ", ".join(flags[flags.index("-ts") + 1].split(",")) + "]"
    return CONFIG.format(case=c["case"], ram_gb=f"{ram_bytes / 1e9:.6f}", context=c["context"], model=c["model"],
                         fa="on" if c["flash_attn"] else "off", p0=c["rpc"]["rpc0"]["port"],
                         p1=c["rpc"]["rpc1"]["port"], ts=ts)


def measured(s):
    return s["model_mib"] + s["kv_mib"] + s["compute_mib"] + s["vmrss_idle_kib"] / 1024


def main():
    data = json.load(open(os.path.join(ROOT, "tests/data/llama-cpp-rpc-loopback.json"), encoding="utf-8"))
    planner = os.environ.get("PLANNER_BIN", os.path.join(ROOT, "build", "planner"))
    print("| case | host | layers | planner MiB (weights + KV + compute + process) | measured MiB (model + KV + compute"
          " + idle VmRSS) | err | VmRSS after load MiB |")
    print("|---|---|---|---|---|---|---|")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for c in data["cases"]:
            path = os.path.join(tmp, c["case"] + ".yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(config(c, data["machine"]["ram_bytes"]))
            out = json.loads(subprocess.run([planner, "plan", "--format", "json", path], capture_output=True,
                                            text=True, check=True).stdout)
            hosts = {h["host"]: h for h in out["cluster"]["routes"][0]["hosts"]}
            for name in ("rpc0", "rpc1"):
                h, s = hosts[name], c["rpc"][name]
                part = lambda k: sum(d[k] for d in h["devices"]) / MIB  # noqa: E731
                plan = h["total_bytes"] / MIB
                meas = measured(s)
                err = (plan - meas) / meas * 100
                worst = max(worst, abs(err))
                layers = f"{h['first_layer']}-{h['first_layer'] + h['layers'] - 1}" + (" + output" if h["output"] else "")
                print(f"| {c['case']} | {name} | {layers} | {plan:.1f} ({part('weights_bytes'):.1f} +"
                      f" {part('kv_cache_bytes'):.1f} + {part('compute_bytes'):.1f} + {part('runtime_bytes'):.1f}) |"
                      f" {meas:.1f} ({s['model_mib']:.2f} + {s['kv_mib']:.2f} + {s['compute_mib']:.2f} +"
                      f" {s['vmrss_idle_kib'] / 1024:.1f}) | {err:+.2f} % | {s['vmrss_kib'] / 1024:.1f} |")
    print(f"\nworst per-host error: {worst:.2f} % (goal 5 %)")


if __name__ == "__main__":
    main()
