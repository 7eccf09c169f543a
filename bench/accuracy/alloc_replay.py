#!/usr/bin/env python3
"""Replay a CUDA0 allocator trace through ggml-alloc's best-fit allocator at other contexts.

Bench tool (bench/accuracy/offload.md, section 7), Python 3 stdlib only. Reads one log of
logs/alloc-trace/trace-logs.tar.xz (llama-server built with alloc-trace/ggml-alloc-trace.patch),
takes the CUDA0 allocator's allocations and frees of the first pp reserve in their order, and runs
them again through a re-implementation of ggml_dyn_tallocr (ggml/src/ggml-alloc.c@de3ff815: best
fit over the free blocks but the last at :211-224, `<=` so a tie takes the later block; else the
last block, which grows the buffer, :227-247; a freed block merges with its neighbours, :312-349;
sizes rounded up to CUDA's 128-byte alignment, ggml-cuda.cu:902-906), with each K/V copy and KQ mask resized to another
context. Everything else in the graph keeps its traced size and order, which do not depend on the
context. Prints the resulting CUDA0 compute buffer (its peak), MiB.

    tar -xJf bench/accuracy/logs/alloc-trace/trace-logs.tar.xz -C /tmp/at
    python3 bench/accuracy/alloc_replay.py /tmp/at/gemma2-16k-ngl0.log gemma2 12288 18432 32768
    python3 bench/accuracy/alloc_replay.py /tmp/at/llama8b-32k-ngl0.log llama 24576
    python3 bench/accuracy/alloc_replay.py /tmp/at/gemma2-16k-ngl0.log gemma2 32768 --slots 2 --split

Models (the traced files' shapes, data/models/): gemma2 = Gemma-2-9B (K/V 8 heads x 256, a
sliding window of 4096 on even layers), llama = Llama-3.1-8B (8 x 128, one cache). f16 K/V and
flash attention (f16 masks), n_ubatch 512, as the traces ran.
"""

import argparse
import re

MIB = 1024 * 1024
ALIGN = 128
UBATCH = 512
MODELS = {  # K (= V) bytes per cell of one layer, sliding window (0: none)
    "gemma2": {"kv_cell": 8 * 256 * 2, "swa": 4096},
    "llama": {"kv_cell": 8 * 128 * 2, "swa": 0},
}


def events(path):
    """[('A', id, name, size) | ('F', id)] of the CUDA0 allocator in the first graph reserve."""
    cuda, reserves, out, live, n = None, 0, [], {}, 0
    for line in open(path, encoding="utf-8", errors="replace"):
        m = re.match(r"gallocr_new: buffer 0 buft CUDA0 talloc (0x[0-9a-f]+)", line)
        if m:
            cuda = m.group(1)
        if line.startswith("gallocr_reserve"):
            reserves += 1
            if reserves == 2:
                break
            continue
        if not reserves:
            continue
        m = re.match(r"ggml_dyn_tallocr_alloc: \[(\S+)\] allocating (.*) \((\d+) bytes\) - block \d+, offset (\d+)", line)
        if m and m.group(1) == cuda:
            out.append(("A", n, m.group(2), int(m.group(3))))
            live[int(m.group(4))] = n  # an in-place child is freed at its parent's offset
            n += 1
        m = re.match(r"ggml_gallocr_free_node: \[(\S+)\] freeing .* at \{chunk=\d+, offset=(\d+)\}", line)
        if m and m.group(1) == cuda:
            out.append(("F", live.pop(int(m.group(2)))))
    return out


class DynTallocr:
    """ggml_dyn_tallocr of one chunk: free blocks sorted by offset, the last one unbounded."""

    def __init__(self):
        self.blocks = [[0, 1 << 62]]
        self.max_size = 0

    def alloc(self, size):
        size = -(-size // ALIGN) * ALIGN
        best, best_size = -1, None
        for i, (_, bsize) in enumerate(self.blocks[:-1]):
            if bsize >= size and (best_size is None or bsize <= best_size):
                best, best_size = i, bsize
        if best < 0:
            best = len(self.blocks) - 1
        block = self.blocks[best]
        offset = block[0]
        block[0] += size
        block[1] -= size
        if block[1] == 0:
            self.blocks.pop(best)
        self.max_size = max(self.max_size, offset + size)
        return offset

    def free(self, offset, size):
        size = -(-size // ALIGN) * ALIGN
        for i, block in enumerate(self.blocks):
            if block[0] + block[1] == offset:
                block[1] += size
                if i + 1 < len(self.blocks) and block[0] + block[1] == self.blocks[i + 1][0]:
                    block[1] += self.blocks.pop(i + 1)[1]
                return
            if offset + size == block[0]:
                block[0] = offset
                block[1] += size
                if i > 0 and self.blocks[i - 1][0] + self.blocks[i - 1][1] == block[0]:
                    self.blocks[i - 1][1] += self.blocks.pop(i)[1]
                return
        self.blocks.append([offset, size])
        self.blocks.sort()


def sizes_for(model, context, slots, unified):
    """The resize: K/V copies of layer l (all streams) and the masks in allocation order."""
    spec = MODELS[model]
    pad = lambda x: -(-x // 256) * 256  # noqa: E731
    if unified:
        cells, streams = context, 1
        swa_cells = min(cells, pad(spec["swa"] * slots + UBATCH)) if spec["swa"] else cells
    else:  # llama-kv-cache-iswa.cpp: one window per stream
        cells, streams = context // slots, slots
        swa_cells = min(cells, pad(spec["swa"] + UBATCH)) if spec["swa"] else cells
    masks = [swa_cells, cells] if spec["swa"] else [cells]
    seen = [0]

    def size(name, traced):
        m = re.match(r"CUDA0#cache_[kv]_l(\d+) \(view\)", name)
        if m:
            layer_cells = swa_cells if spec["swa"] and int(m.group(1)) % 2 == 0 else cells
            return streams * layer_cells * spec["kv_cell"]
        if name.startswith("CUDA0#attn_inp_kq_mask"):
            c = masks[min(seen[0], len(masks) - 1)]
            seen[0] += 1
            return c * UBATCH * 2
        return traced

    return size


def replay(evs, size=lambda name, traced: traced):
    a, where = DynTallocr(), {}
    for e in evs:
        if e[0] == "A":
            s = size(e[2], e[3])
            where[e[1]] = (a.alloc(s), s)
        else:
            a.free(*where[e[1]])
    return a.max_size


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("trace")
    ap.add_argument("model", choices=sorted(MODELS))
    ap.add_argument("contexts", type=int, nargs="*")
    ap.add_argument("--slots", type=int, default=4, help="llama-server's -np (default 4, as without -np)")
    ap.add_argument("--split", action="store_true", help="-np without -kvu: each slot its own cells")
    ap.add_argument("--weight-copy", metavar="NAME=BYTES", action="append", default=[],
                    help="give every layer's copy of host weight NAME (e.g. ffn_down) this size, as if the "
                    "file had one type for it (offload.md section 7: what the 18K case depends on)")
    args = ap.parse_args()
    evs = events(args.trace)
    copies = dict((k, int(v)) for k, v in (a.split("=", 1) for a in args.weight_copy))
    print(f"as traced: {replay(evs) / MIB:.2f} MiB")
    for c in args.contexts:
        resize = sizes_for(args.model, c, args.slots, not args.split)

        def size(name, traced, resize=resize):
            m = re.match(r"CUDA0#blk\.\d+\.(\w+)\.weight#0$", name)
            return copies[m.group(1)] if m and m.group(1) in copies else resize(name, traced)

        print(f"{c}: {replay(evs, size) / MIB:.2f} MiB")


if __name__ == "__main__":
    main()
