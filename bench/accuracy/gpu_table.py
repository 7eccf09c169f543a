#!/usr/bin/env python3
"""Print the GPU tables of bench/accuracy/README.md from tests/data/llama-cpp-gpu-ground-truth.json.

Bench tool, Python 3 stdlib only. The second table runs planner (PLANNER_BIN, default build/planner)
on bench/accuracy/gpu-configs/MODEL-CONTEXT-KV.yaml and sets its `plan --format json` total beside
the measured case of the same model, context and K/V type (llama-server's default slots, flash
attention auto).

    PLANNER_BIN=build/planner python3 bench/accuracy/gpu_table.py
"""

import json
import os
import subprocess
import sys

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
    print("| model | context | K/V | measured case | planner total MiB | nvidia-smi MiB | planner − smi |"
          " llama.cpp buffers, GPU + host MiB |")
    print("|---|---|---|---|---|---|---|---|")
    kv_flag = {"f16": [], "q8_0": ["-ctk", "q8_0", "-ctv", "q8_0"], "q4_0": ["-ctk", "q4_0", "-ctv", "q4_0"]}
    for model in ("llama-3.1-8b-instruct", "qwen3-30b-a3b", "gemma-2-9b-it"):
        for ctx in (8192, 32768):
            for kv, flags in kv_flag.items():
                match = [c for c in cases if c["model"] == model and c["context"] == ctx and c["flags"] == flags]
                if len(match) != 1:
                    sys.exit(f"{model} {ctx} {kv}: {len(match)} measured cases")
                c = match[0]
                cfg = os.path.join(ROOT, "bench/accuracy/gpu-configs", f"{model}-{ctx}-{kv}.yaml")
                out = subprocess.run([planner, "plan", "--format", "json", cfg], capture_output=True, text=True,
                                     check=True).stdout
                total = json.loads(out)["routes"][0]["total_bytes"] / MIB
                smi = c["nvidia_smi_used_mib"]
                own = None
                if "cuda0_buffers_mib" in c:
                    own = c["cuda0_buffers_mib"] + sum(c["host_buffers_mib"].values())
                print(f"| {model} | {ctx} | {kv} | {c['case']} | {total:.1f} | {smi} |"
                      f" {total - smi:+.1f} ({(total - smi) / smi * 100:+.1f} %) | {fmt(own, 1)} |")


if __name__ == "__main__":
    main()
