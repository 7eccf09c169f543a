#!/usr/bin/env python3
"""Turn the llama-server logs of gpu_measure.sh into tests/data/llama-cpp-gpu-ground-truth.json.

Bench tool (bench/accuracy/README.md, section "llama-server on an NVIDIA GPU"), Python 3 stdlib only.

    python3 bench/accuracy/collect_gpu.py bench/accuracy/logs/gpu bench/accuracy/logs/gpu-offload \
        > tests/data/llama-cpp-gpu-ground-truth.json

DIR/*.log ran with -lv 4 and carry llama.cpp's buffer lines and its memory breakdown table;
DIR/pass1/*.log ran at the default verbosity (no buffer lines) and carry only what gpu_measure.sh
read itself: nvidia-smi, /proc/PID/status, the slot line. A case in both keeps its buffers from
DIR and lists every nvidia-smi reading in nvidia_smi_used_mib_runs.
llama.cpp prints buffer sizes in MiB with 2 decimals (kept as printed, _mib) and the breakdown
table in whole MiB (truncated by integer division, common/fit.cpp).
"""

import json
import os
import re
import sys

LLAMA_CPP = {
    "source": "npm node-llama-cpp 3.22.1, llama/gitRelease.bundle (one squashed commit de3ff815, release tag v0.5.0)",
    "ggml": "0.25.1 (commit de3ff81, cmake's report)",
    "build": "cmake -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 -DLLAMA_CURL=OFF -DLLAMA_USE_PREBUILT_UI=OFF "
             "-DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release; --target llama-server; "
             "CUDA 13.0.88, GNU 13.3.0; FlashAttention K-V types compiled: f16-f16, q4_0-q4_0, q8_0-q8_0, bf16-bf16",
    "run": "llama-server -m MODEL -c CONTEXT --fit off --no-warmup [-lv 4] FLAGS; read idle 1-2 s after /health "
           "answered 200, before any request; SIGINT then prints the memory breakdown table",
}
GPU = {"name": "NVIDIA H200", "memory_total_mib_nvidia_smi": 143771, "memory_total_mib_cuda": 143155,
       "driver": "580.159.04", "host": "16 cores, 128868 MiB RAM (free -m)", "date": "2026-12-01"}
NOTE = (
    "nvidia_smi_used_mib is `nvidia-smi --query-gpu=memory.used` with only this server on the GPU (it read 0 "
    "before every case). cuda0_*_mib are llama.cpp's own buffer lines for CUDA0 (2 decimals). "
    "cuda0_buffers_mib = model + KV (all caches) + compute; unattributed_mib = nvidia_smi_used_mib - "
    "cuda0_buffers_mib (the CUDA context, cuBLAS workspace and the like, which llama.cpp cannot name); "
    "breakdown.* is llama.cpp's memory breakdown table (whole MiB). host_* are /proc/PID/status of the server (kB "
    "as the kernel prints them, 1024 B) and llama.cpp's host buffers (CPU_Mapped = mmap range of the weights left "
    "in host memory, CPU KV, CUDA_Host pinned output and compute buffers)."
)
CASE = re.compile(r"^### case (\S+) model=(\S+) ctx=(\d+) flags=(.*)$")
BUF = re.compile(r"(load_tensors|llama_context|llama_kv_cache|sched_reserve):\s+(\S+)\s+(model|output|KV|compute) "
                 r"buffer size =\s+([\d.]+) MiB")
KVSIZE = re.compile(r"llama_kv_cache: size =\s+([\d.]+) MiB \(\s*(\d+) cells,\s+(\d+) layers,\s+(\d+)/(\d+) seqs\), "
                    r"K \((\w+)\):\s+([\d.]+) MiB, V \((\w+)\):\s+([\d.]+) MiB")
BD_GPU = re.compile(r"\|\s+- CUDA0 \([^)]*\)\s+\|\s+(\d+) =\s+(\d+) \+ \(\s*(\d+) =\s+(\d+) \+\s+(\d+) \+\s+(\d+)\) \+\s+(-?\d+) \|")
BD_HOST = re.compile(r"\|\s+- Host\s+\|\s+(\d+) =\s+(\d+) \+\s+(\d+) \+\s+(\d+)\s+\|")


def mib(x):
    return round(float(x), 2)


def parse(path):
    c = {"log": os.path.relpath(path, os.path.join(os.path.dirname(__file__), "..", ".."))}
    bufs, kvs = {}, []
    for ln in open(path, encoding="utf-8", errors="replace").read().splitlines():
        m = CASE.match(ln)
        if m:
            c.update(case=m[1], model=m[2], context=int(m[3]), flags=m[4].split())
            continue
        if ln.startswith("### nvidia-smi memory.used MiB before: "):
            c["nvidia_smi_before_mib"] = int(ln.rsplit(" ", 1)[1])
        elif ln.startswith("### nvidia-smi memory.used MiB: "):
            c["nvidia_smi_used_mib"] = int(ln.rsplit(" ", 1)[1])
        elif ln.startswith("### nvidia-smi compute-apps"):
            apps = [a for a in ln.split(": ", 1)[1].split(";") if a.strip()]
            c["nvidia_smi_process_mib"] = int(apps[0].split(",")[1]) if len(apps) == 1 else None
        elif ln.startswith("### proc "):
            key, val = ln[len("### proc "):].split(":", 1)
            c["host_" + key.lower() + "_kib"] = int(val.split()[0])
        elif ln.startswith("### server exited before /health"):
            c["loaded"] = False
        elif "initializing, n_slots = " in ln:
            m = re.search(r"n_slots = (\d+), n_ctx_slot = (\d+), kv_unified = '(\w+)'", ln)
            c.update(n_slots=int(m[1]), n_ctx_slot=int(m[2]), kv_unified=m[3] == "true")
        elif "exceeds the training context of the model" in ln:  # the server caps the slot, not the cache
            c["slot_capped_to_n_ctx_train"] = int(re.search(r"of the model \((\d+)\)", ln)[1])
        elif "offloaded " in ln and "layers to GPU" in ln:
            m = re.search(r"offloaded (\d+)/(\d+) layers", ln)
            c.update(layers_on_gpu=int(m[1]), layers_total=int(m[2]))
        elif "llama_context: flash_attn " in ln:
            c["flash_attn_setting"] = ln.rsplit("= ", 1)[1].strip()
        elif "resolve_fused_ops: Flash Attention" in ln:
            c["flash_attn"] = ln.rsplit(" ", 1)[1].strip() == "enabled"
        elif "no FlashAttention vector kernel compiled" in ln:
            c["flash_attn_note"] = ln.split("W ", 1)[1].strip()
        elif " E " in ln and "error" in ln:
            c.setdefault("errors", []).append(ln.split(" E ", 1)[1].strip())
        m = BUF.search(ln)
        if m:
            key = f"{m[2]} {m[3]}"
            bufs[key] = round(bufs.get(key, 0.0) + float(m[4]), 2)  # the SWA cache adds a second KV line
        m = KVSIZE.search(ln)
        if m:
            kvs.append({"mib": mib(m[1]), "cells": int(m[2]), "layers": int(m[3]), "seqs": int(m[4]),
                        "seqs_max": int(m[5]), "type_k": m[6], "k_mib": mib(m[7]), "type_v": m[8],
                        "v_mib": mib(m[9])})
        m = BD_GPU.search(ln)
        if m:
            c["breakdown_cuda0"] = dict(zip(("total", "free", "self", "model", "context", "compute", "unaccounted"),
                                            map(int, m.groups())))
        m = BD_HOST.search(ln)
        if m:
            c["breakdown_host"] = dict(zip(("self", "model", "context", "compute"), map(int, m.groups())))
    c.setdefault("loaded", "nvidia_smi_used_mib" in c)
    setting = c.get("flash_attn_setting")  # auto / enabled / disabled; auto is resolved on a later line
    if setting in ("enabled", "disabled"):
        c["flash_attn"] = setting == "enabled"
    if bufs:
        c["buffers_mib"] = bufs
        c["kv_caches"] = kvs
        c["cuda0_model_mib"] = bufs.get("CUDA0 model", 0.0)
        c["cuda0_kv_mib"] = bufs.get("CUDA0 KV", 0.0)
        c["cuda0_compute_mib"] = bufs.get("CUDA0 compute", 0.0)
        c["cuda0_buffers_mib"] = round(c["cuda0_model_mib"] + c["cuda0_kv_mib"] + c["cuda0_compute_mib"], 2)
        c["host_buffers_mib"] = {k.split()[0] + " " + k.split()[1]: v for k, v in bufs.items() if not k.startswith("CUDA0")}
        if c.get("nvidia_smi_used_mib") is not None:
            c["unattributed_mib"] = round(c["nvidia_smi_used_mib"] - c["cuda0_buffers_mib"], 2)
    return c


def main():
    full = {}
    pass1 = []
    for root in sys.argv[1:]:
        for f in sorted(os.listdir(root)):
            if f.endswith(".log"):
                c = parse(os.path.join(root, f))
                full[c["case"]] = c
        p1 = os.path.join(root, "pass1")
        if os.path.isdir(p1):
            pass1 += [os.path.join(p1, f) for f in sorted(os.listdir(p1))]
    cases = dict(full)
    for path in pass1:
        f = os.path.basename(path)
        if not f.endswith(".log"):
            continue
        c = parse(path)
        c["verbosity"] = 3
        if c["case"] in full:
            runs = [full[c["case"]].get("nvidia_smi_used_mib"), c.get("nvidia_smi_used_mib")]
            full[c["case"]]["nvidia_smi_used_mib_runs"] = runs
            full[c["case"]]["pass1_log"] = c["log"]
        else:
            cases[c["case"]] = c
    for c in full.values():
        c["verbosity"] = 4
    out = {"llama_cpp": LLAMA_CPP, "gpu": GPU, "note": NOTE,
           "cases": sorted(cases.values(), key=lambda c: (c["model"], c["context"], c["case"]))}
    json.dump(out, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
