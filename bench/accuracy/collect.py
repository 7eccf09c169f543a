#!/usr/bin/env python3
"""Turn the llama.cpp load logs written by measure.mjs into tests/data/llama-cpp-ground-truth.json.

Bench tool (bench/accuracy/README.md), Python 3 stdlib only. Every figure comes from a log line;
llama.cpp prints MiB with two decimals, converted here as round(MiB * 2^20).

    python3 bench/accuracy/collect.py bench/accuracy/logs/*.log > tests/data/llama-cpp-ground-truth.json

It also writes the model-independent lines of each case (the log excerpt) into the JSON, and
reads MODEL.tensors.tsv (make_gguf.py) from --tensors DIR for the per-type weight bytes.
"""

import argparse
import json
import os
import re
import sys

MIB = 1 << 20
LLAMA_CPP = {
    "commit": "0ad4a86",
    "build": 1,
    "release": "v0.5.0",
    "source": "node-llama-cpp 3.22.1 prebuilt CPU (@node-llama-cpp/linux-x64 3.22.1, libggml-cpu-zen4.so picked at run time)",
    "how_read": "llama_commit() / llama_build_number() of the shipped libllama-common.so; the package's "
                "llama/gitRelease.bundle is one squashed commit, so the build number 1 is not upstream's b-number",
}
NOTE = (
    "Every *_bytes figure is a llama.cpp log line converted from MiB: llama.cpp prints MiB with 2 decimals, so each "
    "is exact only to +-0.005 MiB (+-5 KiB); sums (kv_k_bytes over full + SWA caches) add that error per term. "
    "Measured on x86-64 CPU, n_gpu_layers 0, use_mmap, one sequence, n_batch = n_ubatch = 512. "
    "model_buffer_bytes is the CPU_Mapped buffer: the file range from the first to the end of the last tensor that is "
    "NOT repacked, so it is not a sum of tensor sizes; model_repack_buffer_bytes is CPU_REPACK, an anonymous copy of the "
    "Q4_K tensors llama.cpp re-lays out for AVX2/AVX-512 (x86 CPU back end only). tensor_data_bytes is not a llama.cpp "
    "figure: it is the exact sum of tensor sizes written by make_gguf.py (weights_types per ggml type). "
    "kv_k_bytes / kv_v_bytes / kv_total_bytes sum the full-attention and the SWA cache; swa_kv_bytes is the SWA cache alone."
)
ID = {  # log file stem -> (catalog id, arch)
    "llama-3.1-8b-instruct": "llama",
    "qwen2.5-7b-instruct": "qwen2",
    "gemma-2-9b-it": "gemma2",
    "phi-3-mini-4k-instruct": "phi3",
    "qwen3-30b-a3b": "qwen3moe",
}
KEEP = re.compile(
    r"model buffer size|n_ctx |n_ctx_seq |n_batch |n_ubatch |flash_attn |n_outputs_max |"
    r"output buffer size|KV buffer size|llama_kv_cache: size|creating .*KV cache|"
    r"compute buffer size =|overflow|not be utilized|Phi SWA|swa_full|failed|error")


def b(mib):
    return round(float(mib) * MIB)


def parse(path):
    lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
    head, cases, cur = [], [], None
    for ln in lines:
        if ln.startswith("### case "):
            m = re.match(r"### case ctx=(\d+) kv=(\S+) flash_attn=(\w+)", ln)
            cur = {"context": int(m.group(1)), "kv": m.group(2), "flash": m.group(3) == "true", "lines": []}
            cases.append(cur)
        elif ln.startswith("### end case"):
            cur = None
        elif cur is not None:
            cur["lines"].append(ln)
        else:
            head.append(ln)
    return head, cases


def model_buffers(head):
    out = {}
    for ln in head:
        m = re.search(r"load_tensors:\s+(\S+) model buffer size =\s+([\d.]+) MiB", ln)
        if m:
            out[m.group(1)] = b(m.group(2))
    return out, [ln for ln in head if KEEP.search(ln)]


def case_record(model_id, c, bufs, head_excerpt, weights):
    r = {"model": model_id, "arch": ID[model_id], "weights_types": weights, "context": c["context"],
         "kv_type": c["kv"].replace("+fa", ""), "flash_attn": c["flash"]}
    caches, kind = [], "full"
    excerpt = []
    for ln in c["lines"]:
        if KEEP.search(ln):
            excerpt.append(ln)
        m = re.search(r"llama_context: (n_ctx|n_ctx_seq|n_batch|n_ubatch|n_outputs_max)\s+= (\d+)", ln)
        if m:
            r[{"n_ctx": "n_ctx_actual"}.get(m.group(1), m.group(1))] = int(m.group(2))
        m = re.search(r"creating\s+(non-SWA|SWA) KV cache, size = (\d+) cells", ln)
        if m:
            kind = "swa" if m.group(1) == "SWA" else "full"
        m = re.search(r"llama_kv_cache: size =\s+([\d.]+) MiB \(\s*(\d+) cells,\s+(\d+) layers,.*"
                      r"K \((\w+)\):\s+([\d.]+) MiB, V \((\w+)\):\s+([\d.]+) MiB", ln)
        if m:
            caches.append({"kind": kind, "cells": int(m.group(2)), "layers": int(m.group(3)),
                           "k_type": m.group(4), "v_type": m.group(6), "k_bytes": b(m.group(5)),
                           "v_bytes": b(m.group(7)), "total_bytes": b(m.group(1))})
        m = re.search(r"CPU\s+output buffer size =\s+([\d.]+) MiB", ln)
        if m:
            r["output_buffer_bytes"] = b(m.group(1))
        m = re.search(r"sched_reserve:\s+CPU compute buffer size =\s+([\d.]+) MiB", ln)
        if m:
            r["compute_buffer_bytes"] = b(m.group(1))
        if "FAILED" in ln:
            r["error"] = ln
    r["ubatch"] = r.pop("n_ubatch", None)
    r["tensor_data_bytes"] = sum(v["bytes"] for v in weights.values()) if weights else None
    r["model_buffer_bytes"] = bufs.get("CPU_Mapped")
    r["model_repack_buffer_bytes"] = bufs.get("CPU_REPACK")
    r["kv_caches"] = caches
    if caches:
        r["kv_k_bytes"] = sum(k["k_bytes"] for k in caches)
        r["kv_v_bytes"] = sum(k["v_bytes"] for k in caches)
        r["kv_total_bytes"] = sum(k["total_bytes"] for k in caches)
    swa = [k for k in caches if k["kind"] == "swa"]
    r["swa_kv_bytes"] = sum(k["total_bytes"] for k in swa) if swa else None
    r.setdefault("compute_buffer_bytes", None)
    r["log_excerpt"] = "\n".join(head_excerpt + excerpt)
    return r


def weights_from_tsv(path):
    out = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        next(f)
        for ln in f:
            _, _, t, n = ln.rstrip("\n").split("\t")
            e = out.setdefault(t, {"tensors": 0, "bytes": 0})
            e["tensors"] += 1
            e["bytes"] += int(n)
    return dict(sorted(out.items()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("logs", nargs="+")
    ap.add_argument("--tensors", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "logs"))
    a = ap.parse_args()
    cases = {}  # (model, context, kv) -> record; a later log replaces an earlier case (reruns)
    for path in a.logs:
        stem = os.path.basename(path)[: -len(".log")].split("__")[0]  # MODEL.log or MODEL__rerun.log
        if stem not in ID:
            sys.exit(f"{path}: unknown model {stem}")
        head, cs = parse(path)
        bufs, head_excerpt = model_buffers(head)
        weights = weights_from_tsv(os.path.join(a.tensors, f"{stem}.q4_k_m.tensors.tsv"))
        for c in cs:
            r = case_record(stem, c, bufs, head_excerpt, weights)
            r["log_file"] = os.path.basename(path)
            cases[(stem, c["context"], c["kv"])] = r
    order = list(ID)
    kv_order = ["f16", "f16+fa", "q8_0"]
    ordered = [cases[k] for k in sorted(cases, key=lambda k: (order.index(k[0]), k[1], kv_order.index(k[2])))]
    json.dump({"llama_cpp": LLAMA_CPP, "note": NOTE, "cases": ordered}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
