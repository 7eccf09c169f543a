#!/usr/bin/env bash
# Issue 16: what llama-server allocates on each of several CUDA GPUs of one host, for llama.cpp's
# layer split by free memory (the default), -ts 3,1 and --split-mode row (bench/accuracy/README.md,
# "Several GPUs: prepared, not run"). Bench tool for a device with two GPUs or more, not a test.
# It checks the GPUs, then runs gpu_measure.sh (the same build, sparse GGUFs and per-case logs,
# which record nvidia-smi's memory.used of every GPU and llama.cpp's memory breakdown table, one
# row per CUDA device) on multi-gpu-cases.txt.
#
# Usage: multi_gpu.sh SRC_TAR WORK OUT [DEADLINE_S]   (arguments as for gpu_measure.sh)
set -u
if [ $# -lt 3 ]; then
  echo "usage: $0 SRC_TAR WORK OUT [DEADLINE_S]" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
gpus=$(nvidia-smi --query-gpu=index --format=csv,noheader | wc -l)
if [ "$gpus" -lt 2 ]; then
  echo "multi_gpu.sh: $gpus GPU(s) here; the split needs two or more" >&2
  exit 1
fi
mkdir -p "$3"
nvidia-smi --query-gpu=index,name,memory.total,memory.used --format=csv > "$3/gpus.txt" 2>&1
exec bash "$here/gpu_measure.sh" "$1" "$2" "$3" "$here/multi-gpu-cases.txt" "${4:-540}"
