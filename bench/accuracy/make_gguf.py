#!/usr/bin/env python3
"""Write GGUF files with real model shapes and zero weights, as sparse files.

Bench tool for the accuracy benchmark (bench/accuracy/README.md), not a test. Python 3 stdlib only.

Each file has the metadata and tensor list llama.cpp needs to load the architecture, a dummy
tokenizer of the model's real vocabulary size, and no tensor data: the header is written and the
file is then truncated to its full size, so the data section is a hole (zero bytes, no disk used).
Load it with use_mmap so the weights are never read into RAM.

Shapes come from planner's catalog (data/models/ORG/NAME/config.json): layers, hidden_size, attention_heads,
kv_heads, head_dim, vocab, context_trained, tied_embeddings, sliding_window, moe. The catalog has
no FFN width, norm epsilon or rope base; those few values are in EXTRA below, each with the source
it was read from (/work/shared/docs/models.md cites the config.json copies).

Tensor names, shapes and metadata keys follow llama.cpp's loader (src/models/<arch>.cpp,
src/llama-arch.cpp, gguf-py/gguf/constants.py) at the commit named in the README. Tensor types
follow llama-quantize's Q4_K_M recipe (src/llama-quant.cpp, llama_tensor_get_type), see
q4_k_m_type(); --types f16 writes every 2-D tensor as F16 instead.

Usage:
    python3 bench/accuracy/make_gguf.py --out DIR [--types q4_k_m|f16] [MODEL_ID ...]
    (no MODEL_ID: all models in MODELS). Prints one line per file and writes DIR/<id>.tensors.tsv.
"""

import argparse
import json
import math
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOG = os.path.join(HERE, "..", "..", "data", "models")

# ggml types: id, elements per block, bytes per block (ggml/include/ggml.h, ggml/src/ggml-common.h)
GGML = {
    "F32": (0, 1, 4),
    "F16": (1, 1, 2),
    "Q8_0": (8, 32, 34),
    "Q4_K": (12, 256, 144),
    "Q5_K": (13, 256, 176),
    "Q6_K": (14, 256, 210),
}
FTYPE = {"q4_k_m": 15, "f16": 1}  # llama_ftype: LLAMA_FTYPE_MOSTLY_Q4_K_M = 15, MOSTLY_F16 = 1

# Values the catalog does not carry. Source: /work/shared/docs/models.md rows (config.json copies).
EXTRA = {
    "llama-3.1-8b-instruct": {
        "arch": "llama", "ffn": 14336, "rms_eps": 1e-5, "rope_base": 500000.0,
        "rope_freqs": True,  # llama3 rope scaling is stored as a rope_freqs.weight tensor
        "tokenizer": ("gpt2", "llama-bpe"), "bos": 128000, "eos": 128009,
        "specials": {128000: "<|begin_of_text|>", 128001: "<|end_of_text|>", 128009: "<|eot_id|>"},
        "source": "models.md Llama row: mlc llama3_1_8b (intermediate 14336, theta 500000, llama3 rope)",
    },
    "qwen2.5-7b-instruct": {
        "arch": "qwen2", "ffn": 18944, "rms_eps": 1e-6, "rope_base": 1000000.0, "qkv_bias": True,
        "tokenizer": ("gpt2", "qwen2"), "bos": 151643, "eos": 151645,
        "specials": {151643: "<|endoftext|>", 151644: "<|im_start|>", 151645: "<|im_end|>"},
        "source": "models.md Qwen2.5 row: maxtext qwen2.5-7b, thunder-qwen25 (intermediate 18944, theta 1e6, qkv bias)",
    },
    "gemma-2-9b-it": {
        "arch": "gemma2", "ffn": 14336, "rms_eps": 1e-6, "rope_base": 10000.0,
        "softcap": (50.0, 30.0),
        # Tied, though the catalog's config.json copy has no tie_word_embeddings key: llama.cpp's
        # gemma2 loader has no output.weight of its own (src/models/gemma2.cpp:37 at de3ff81
        # duplicates token_embd), and an untied file fails to load ("wrong number of tensors;
        # expected 465, got 464", measured 2026-12-01 on the GPU machine).
        "tied": True,
        "tokenizer": ("llama", "default"), "bos": 2, "eos": 1,
        "specials": {0: "<pad>", 1: "<eos>", 2: "<bos>", 3: "<unk>"},
        "source": "models.md Gemma row: mlc gemma2_9b, thunder-gemma2 (intermediate 14336, soft-caps 50/30)",
    },
    "gemma-2-2b-it": {
        "arch": "gemma2", "ffn": 9216, "rms_eps": 1e-6, "rope_base": 10000.0,
        "softcap": (50.0, 30.0),
        "tied": True,  # as gemma-2-9b-it: the gemma2 loader duplicates token_embd for the output
        "tokenizer": ("llama", "default"), "bos": 2, "eos": 1,
        "specials": {0: "<pad>", 1: "<eos>", 2: "<bos>", 3: "<unk>"},
        "source": "data/models/google/gemma-2-2b-it/config.json (intermediate_size 9216, rms_norm_eps 1e-6, "
                  "rope_theta 10000, soft-caps 50/30)",
    },
    "phi-3-mini-4k-instruct": {
        "arch": "phi3", "ffn": 8192, "rms_eps": 1e-5, "rope_base": 10000.0, "fused_qkv": True,
        "tokenizer": ("llama", "default"), "bos": 1, "eos": 32000,
        # llama-vocab.cpp looks these four up by name when general.name contains "phi-3"
        "specials": {0: "<unk>", 1: "<s>", 2: "</s>", 32000: "<|endoftext|>"},
        "source": "models.md Phi-3 row: trt-phi3 (intermediate 8192, theta 1e4, sliding_window 2047)",
    },
    "qwen3-30b-a3b": {
        "arch": "qwen3moe", "ffn": 6144, "ffn_expert": 768, "rms_eps": 1e-6, "rope_base": 1000000.0,
        "qk_norm": True,
        "tokenizer": ("gpt2", "qwen2"), "bos": 151643, "eos": 151645,
        "specials": {151643: "<|endoftext|>", 151644: "<|im_start|>", 151645: "<|im_end|>"},
        "source": "models.md Qwen3 row: infersim qwen3-30B-A3B (moe_intermediate 768, dense 6144 unused, theta 1e6)",
    },
}
MODELS = list(EXTRA)


def read_catalog_entry(model_id):
    """The scalar fields of one catalog model, from its config.json (data/models/ORG/NAME/)."""
    for org in sorted(os.listdir(CATALOG)):
        for name in sorted(os.listdir(os.path.join(CATALOG, org))):
            if name.lower() == model_id:
                with open(os.path.join(CATALOG, org, name, "config.json"), encoding="utf-8") as f:
                    cfg = json.load(f)
                break
        else:
            continue
        break
    else:
        sys.exit(f"{model_id}: not found in {CATALOG}")
    text = cfg.get("text_config") or cfg

    def num(key, default=None):
        val = text.get(key, cfg.get(key))
        if val is None:
            if default is None:
                sys.exit(f"{model_id}: config.json has no {key}")
            return default
        return int(val)

    heads = num("num_attention_heads")
    families = {"qwen3_moe": "qwen3moe", "gemma3_text": "gemma3", "deepseek_v2": "deepseek2", "gpt_oss": "gpt-oss"}
    model_type = text.get("model_type", cfg.get("model_type"))
    return {
        "layers": num("num_hidden_layers"), "hidden": num("hidden_size"), "heads": heads,
        "kv_heads": num("num_key_value_heads", heads), "head_dim": num("head_dim", num("hidden_size") // heads),
        "vocab": num("vocab_size"), "ctx": num("max_position_embeddings"),
        "tied": bool(text.get("tie_word_embeddings", cfg.get("tie_word_embeddings", False))),
        "sliding_window": num("sliding_window", 0),
        "experts": num("num_local_experts", num("num_experts", 0)), "experts_used": num("num_experts_per_tok", 0),
        "family": families.get(model_type, model_type),
    }


# ---------------------------------------------------------------------------- tensor list


def tensors_for(model_id, c, x):
    """[(name, shape ne0-first as ggml stores it, role)] in llama.cpp's naming."""
    H, L, V = c["hidden"], c["layers"], c["vocab"]
    q_dim = c["heads"] * c["head_dim"]
    kv_dim = c["kv_heads"] * c["head_dim"]
    out = [("token_embd.weight", (H, V), "token_embd")]
    if x.get("rope_freqs"):
        out.append(("rope_freqs.weight", (c["head_dim"] // 2,), "f32"))
    out.append(("output_norm.weight", (H,), "f32"))
    if not c["tied"]:
        out.append(("output.weight", (H, V), "output"))
    for i in range(L):
        b = f"blk.{i}."
        out.append((b + "attn_norm.weight", (H,), "f32"))
        if x.get("fused_qkv"):
            out.append((b + "attn_qkv.weight", (H, q_dim + 2 * kv_dim), "attn_qkv"))
        else:
            out.append((b + "attn_q.weight", (H, q_dim), "attn_q"))
            out.append((b + "attn_k.weight", (H, kv_dim), "attn_k"))
            out.append((b + "attn_v.weight", (H, kv_dim), "attn_v"))
            if x.get("qkv_bias"):
                out += [(b + "attn_q.bias", (q_dim,), "f32"), (b + "attn_k.bias", (kv_dim,), "f32"),
                        (b + "attn_v.bias", (kv_dim,), "f32")]
        if x.get("qk_norm"):
            out += [(b + "attn_q_norm.weight", (c["head_dim"],), "f32"),
                    (b + "attn_k_norm.weight", (c["head_dim"],), "f32")]
        out.append((b + "attn_output.weight", (q_dim, H), "attn_output"))
        if x["arch"] == "gemma2":
            out.append((b + "post_attention_norm.weight", (H,), "f32"))
        out.append((b + "ffn_norm.weight", (H,), "f32"))
        if c["experts"]:
            E, F = c["experts"], x["ffn_expert"]
            out += [(b + "ffn_gate_inp.weight", (H, E), "f32"),
                    (b + "ffn_gate_exps.weight", (H, F, E), "ffn_gate"),
                    (b + "ffn_down_exps.weight", (F, H, E), "ffn_down"),
                    (b + "ffn_up_exps.weight", (H, F, E), "ffn_up")]
        elif x["arch"] == "phi3":  # gate and up fused: ffn_up is {n_embd, 2*n_ff}
            out += [(b + "ffn_down.weight", (x["ffn"], H), "ffn_down"),
                    (b + "ffn_up.weight", (H, 2 * x["ffn"]), "ffn_up")]
        else:
            out += [(b + "ffn_gate.weight", (H, x["ffn"]), "ffn_gate"),
                    (b + "ffn_down.weight", (x["ffn"], H), "ffn_down"),
                    (b + "ffn_up.weight", (H, x["ffn"]), "ffn_up")]
        if x["arch"] == "gemma2":
            out.append((b + "post_ffw_norm.weight", (H,), "f32"))
    return out


def use_more_bits(i, n):  # src/llama-quant.cpp
    return i < n // 8 or i >= 7 * n // 8 or (i - n // 8) % 3 == 2


def q4_k_m_type(name, role, c):
    """llama_tensor_get_type() for LLAMA_FTYPE_MOSTLY_Q4_K_M, restricted to the roles used here."""
    if role == "f32":
        return "F32"
    layer = int(name.split(".")[1]) if name.startswith("blk.") else -1
    eight = c["experts"] == 8
    if role == "output" or (role == "token_embd" and c["tied"]):
        return "Q6_K"
    if role == "attn_v":
        return "Q8_0" if eight else ("Q6_K" if use_more_bits(layer, c["layers"]) else "Q4_K")
    if role == "attn_k":
        return "Q8_0" if eight else "Q4_K"
    if role == "attn_qkv":
        return "Q5_K"
    if role == "ffn_down":
        return "Q6_K" if use_more_bits(layer, c["layers"]) else "Q4_K"
    if role == "attn_output" and eight:
        return "Q5_K"
    return "Q4_K"


def nbytes(shape, t):
    _, blk, size = GGML[t]
    n = 1
    for d in shape:
        n *= d
    assert shape[0] % blk == 0, (shape, t)
    return n // blk * size


# ---------------------------------------------------------------------------- GGUF writer

T_U32, T_I32, T_F32, T_BOOL, T_STR, T_ARR = 4, 5, 6, 7, 8, 9


def s(v):
    b = v.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


def kv(key, typ, val):
    head = s(key) + struct.pack("<I", typ)
    if typ == T_U32:
        return head + struct.pack("<I", val)
    if typ == T_F32:
        return head + struct.pack("<f", val)
    if typ == T_BOOL:
        return head + struct.pack("<?", val)
    if typ == T_STR:
        return head + s(val)
    raise ValueError(typ)


def kv_arr(key, elem, vals):
    head = s(key) + struct.pack("<IIQ", T_ARR, elem, len(vals))
    if elem == T_STR:
        return head + b"".join(s(v) for v in vals)
    if elem == T_I32:
        return head + struct.pack(f"<{len(vals)}i", *vals)
    if elem == T_F32:
        return head + struct.pack(f"<{len(vals)}f", *vals)
    raise ValueError(elem)


def gpt2_byte_chars():
    """GPT-2's bytes_to_unicode(): the 256 byte-level BPE symbols."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return [chr(ch) for _, ch in sorted(zip(bs, cs))]


def tokenizer_kvs(c, x):
    """A dummy vocabulary of the real size: n_vocab comes from the tokens array."""
    model, pre = x["tokenizer"]
    V = c["vocab"]
    specials = x["specials"]
    if model == "gpt2":  # byte-level BPE: the 256 byte symbols first, so "\n" tokenizes
        tokens = gpt2_byte_chars() + [f"tok{i}" for i in range(256, V)]
        types = [1] * V
        for t, text in specials.items():
            tokens[t], types[t] = text, 3
        out = [kv("tokenizer.ggml.model", T_STR, model), kv("tokenizer.ggml.pre", T_STR, pre),
               kv_arr("tokenizer.ggml.tokens", T_STR, tokens), kv_arr("tokenizer.ggml.token_type", T_I32, types),
               kv_arr("tokenizer.ggml.merges", T_STR, [])]
    else:  # SentencePiece ("llama"): special tokens, then the <0xXX> byte tokens, then fillers
        tokens = [f"tok{i}" for i in range(V)]
        types = [1] * V
        for t, text in specials.items():
            tokens[t], types[t] = text, (2 if text == "<unk>" else 3)
        first_byte = 1 + max(t for t in specials if t < 16)
        for b in range(256):
            tokens[first_byte + b], types[first_byte + b] = f"<0x{b:02X}>", 6
        out = [kv("tokenizer.ggml.model", T_STR, model), kv("tokenizer.ggml.pre", T_STR, pre),
               kv_arr("tokenizer.ggml.tokens", T_STR, tokens), kv_arr("tokenizer.ggml.scores", T_F32, [0.0] * V),
               kv_arr("tokenizer.ggml.token_type", T_I32, types)]
    assert len(set(tokens)) == V, "token strings must be unique (llama-vocab.cpp asserts it)"
    out += [kv("tokenizer.ggml.bos_token_id", T_U32, x["bos"]), kv("tokenizer.ggml.eos_token_id", T_U32, x["eos"])]
    return out


def metadata(model_id, c, x, types):
    a = x["arch"]
    m = [kv("general.architecture", T_STR, a),
         kv("general.name", T_STR, f"{model_id} (zero weights, planner bench)"),
         kv("general.file_type", T_U32, FTYPE[types]),
         kv("general.quantization_version", T_U32, 2),
         kv("general.alignment", T_U32, 32),
         kv(f"{a}.context_length", T_U32, c["ctx"]),
         kv(f"{a}.embedding_length", T_U32, c["hidden"]),
         kv(f"{a}.block_count", T_U32, c["layers"]),
         kv(f"{a}.feed_forward_length", T_U32, x["ffn"]),
         kv(f"{a}.attention.head_count", T_U32, c["heads"]),
         kv(f"{a}.attention.head_count_kv", T_U32, c["kv_heads"]),
         kv(f"{a}.attention.layer_norm_rms_epsilon", T_F32, x["rms_eps"]),
         kv(f"{a}.rope.freq_base", T_F32, x["rope_base"])]
    if c["head_dim"] != c["hidden"] // c["heads"]:
        m += [kv(f"{a}.attention.key_length", T_U32, c["head_dim"]),
              kv(f"{a}.attention.value_length", T_U32, c["head_dim"])]
    if a in ("llama", "phi3"):
        m.append(kv(f"{a}.rope.dimension_count", T_U32, c["head_dim"]))
    if a == "llama":
        m.append(kv(f"{a}.vocab_size", T_U32, c["vocab"]))
    if c["sliding_window"]:
        m.append(kv(f"{a}.attention.sliding_window", T_U32, c["sliding_window"]))
    if "softcap" in x:
        m += [kv(f"{a}.attn_logit_softcapping", T_F32, x["softcap"][0]),
              kv(f"{a}.final_logit_softcapping", T_F32, x["softcap"][1])]
    if c["experts"]:
        m += [kv(f"{a}.expert_count", T_U32, c["experts"]),
              kv(f"{a}.expert_used_count", T_U32, c["experts_used"]),
              kv(f"{a}.expert_feed_forward_length", T_U32, x["ffn_expert"])]
    return m + tokenizer_kvs(c, x)


def write(model_id, out_dir, types):
    c, x = read_catalog_entry(model_id), EXTRA[model_id]
    c["tied"] = x.get("tied", c["tied"])
    align = 32
    tensors = []
    offset = 0
    for name, shape, role in tensors_for(model_id, c, x):
        t = "F32" if role == "f32" else (q4_k_m_type(name, role, c) if types == "q4_k_m" else "F16")
        n = nbytes(shape, t)
        tensors.append((name, shape, t, offset, n))
        offset += (n + align - 1) // align * align
    kvs = metadata(model_id, c, x, types)
    header = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(kvs)) + b"".join(kvs)
    for name, shape, t, off, _ in tensors:
        header += s(name) + struct.pack(f"<I{len(shape)}QIQ", len(shape), *shape, GGML[t][0], off)
    data_start = (len(header) + align - 1) // align * align
    total = data_start + offset
    path = os.path.join(out_dir, f"{model_id}.{types}.gguf")
    with open(path, "wb") as f:
        f.write(header)
        f.truncate(total)  # the tensor data is a hole: zero bytes that take no disk space
    by_type = {}
    with open(os.path.join(out_dir, f"{model_id}.{types}.tensors.tsv"), "w", encoding="utf-8") as f:
        f.write("name\tshape\ttype\tbytes\n")
        for name, shape, t, _, n in tensors:
            f.write(f"{name}\t{'x'.join(map(str, shape))}\t{t}\t{n}\n")
            e = by_type.setdefault(t, [0, 0])
            e[0] += 1
            e[1] += n
    weights = sum(n for *_, n in tensors)
    params = sum(math.prod(sh) for _, sh, *_ in tensors)
    summary = ", ".join(f"{t}: {k} tensors {b} B" for t, (k, b) in sorted(by_type.items()))
    print(f"{path}\tfile {total} B\ttensor data {weights} B\tparams {params}\theader {data_start} B\t{summary}")
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="directory for the .gguf files (not the repo)")
    ap.add_argument("--types", choices=sorted(FTYPE), default="q4_k_m")
    ap.add_argument("models", nargs="*", default=MODELS)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for m in a.models:
        if m not in EXTRA:
            sys.exit(f"{m}: no EXTRA entry (known: {', '.join(MODELS)})")
        write(m, a.out, a.types)


if __name__ == "__main__":
    main()
