#!/usr/bin/env python3
"""Print the GPU tables of bench/accuracy/README.md from tests/data/llama-cpp-gpu-ground-truth.json.

Bench tool, Python 3 stdlib only. The second table runs planner (PLANNER_BIN, default build/planner)
on one config per measured case, whose route keys (parallel, kv_unified, gpu_layers, cpu_moe_layers,
flash_attention, kv_cache_type_k / _v) say what the case's flags say, and sets `plan --format json`'s
memory_by_device beside nvidia-smi and llama.cpp's host buffers.

    PLANNER_BIN=build/planner python3 bench/accuracy/gpu_table.py
"""

import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MIB = 1 << 20


def fmt(x, nd=2):
    return "–" if x is None else (f"{x:.{nd}f}" if isinstance(x, float) else str(x))


def main():
    data = json.load(open(os.path.join(ROOT, "tests/data/llama-cpp-gpu-ground-truth.json"), encoding="utf-8"))
    cases = data["cases"]
    print("| case | flags | nvidia-smi MiB | VmRSS MiB | layers on GPU | CUDA0 model | CUDA0 KV | CUDA0 compute |"
          " unattributed | host buffers (MiB) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for c in cases:
        host = c.get("host_buffers_mib")
        host_s = ", ".join(f"{k} {v:.2f}" for k, v in host.items()) if host else "–"
        layers = f"{c['layers_on_gpu']}/{c['layers_total']}" if "layers_on_gpu" in c else "–"
        print(f"| {c['case']} | `{' '.join(c['flags']) or '(none)'}` | {c.get('nvidia_smi_used_mib')} |"
              f" {c['host_vmrss_kib'] / 1024:.0f} | {layers} | {fmt(c.get('cuda0_model_mib'))} |"
              f" {fmt(c.get('cuda0_kv_mib'))} | {fmt(c.get('cuda0_compute_mib'))} | {fmt(c.get('unattributed_mib'))} |"
              f" {host_s} |")
    print()
    planner = os.environ.get("PLANNER_BIN", os.path.join(ROOT, "build", "planner"))
    print("| case | route keys | planner gpu0 MiB | nvidia-smi MiB | planner − smi | planner host MiB |"
          " llama.cpp host buffers MiB |")
    print("|---|---|---|---|---|---|---|")
    within = 0
    with tempfile.TemporaryDirectory() as tmp:
        for c in cases:
            keys = route_keys(c)
            cfg = os.path.join(tmp, c["case"] + ".yaml")
            with open(cfg, "w", encoding="utf-8") as f:
                f.write(CONFIG.format(model=c["model"], case=c["case"],
                                      keys="".join(f"\n    {k}: {v}" for k, v in keys.items())))
            out = subprocess.run([planner, "plan", "--format", "json", cfg], capture_output=True, text=True,
                                 check=True).stdout
            devices = {d["device"]: d for d in json.loads(out)["routes"][0]["memory_by_device"]}
            gpu = devices["gpu0"]["total_bytes"] / MIB
            host = (devices["host"]["total_bytes"] - devices["host"]["runtime_bytes"]) / MIB
            smi = c["nvidia_smi_used_mib"]
            err = (gpu - smi) / smi * 100
            within += abs(err) <= 3
            own = sum(c["host_buffers_mib"].values()) if "host_buffers_mib" in c else None
            shown = ", ".join(f"{k}: {v}" for k, v in keys.items() if k != "max_context_tokens")
            print(f"| {c['case']} | {shown or '(defaults)'} | {gpu:.1f} | {smi} | {gpu - smi:+.1f} ({err:+.2f} %) |"
                  f" {host:.1f} | {fmt(own, 1)} |")
    print(f"\n{within} of {len(cases)} cases within 3 % of nvidia-smi")


# One route per measured case, at the H200's VRAM (data/hardware.yaml does not list the H200; the
# chip sets only the bandwidth, not the memory plan).
CONFIG = """# planner's side of the measured case {case} (bench/accuracy/gpu_table.py)
hardware:
  total_ram_gb: 128
  architecture: linux_nvidia
  chip: H100 SXM
  gpu_vram_gb: 139.8
inference:
  preferred_format: GGUF
  quantization: Q4_K_M
  max_context_tokens: 4096
routing:
  chat:
    model: {model}{keys}
"""


def route_keys(c):
    """The route keys that say what the case's llama-server flags say. -np N without -kvu splits -c among
    the slots, so a request's context is -c / N."""
    flags, keys = c["flags"], {}
    value = {f: flags[i + 1] for i, f in enumerate(flags[:-1])}
    np = int(value.get("-np", 0))
    unified = "-kvu" in flags or np == 0
    keys["max_context_tokens"] = c["context"] if unified else c["context"] // np
    if np:
        keys["parallel"] = np
        if unified:
            keys["kv_unified"] = "true"
    if "-ngl" in value:
        keys["gpu_layers"] = value["-ngl"]
    if "--cpu-moe" in flags:
        keys["cpu_moe_layers"] = "all"
    if "--n-cpu-moe" in value:
        keys["cpu_moe_layers"] = value["--n-cpu-moe"]
    if "-fa" in value:
        keys["flash_attention"] = value["-fa"]
    if "-ctk" in value:
        keys["kv_cache_type_k"] = value["-ctk"]
    if "-ctv" in value:
        keys["kv_cache_type_v"] = value["-ctv"]
    return keys

if __name__ == "__main__":
    main()
