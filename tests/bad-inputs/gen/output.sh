# shellcheck shell=bash
# shellcheck disable=SC2016  # '$(touch INJECTED)' is meant literally: it must stay inert
# Inputs for output.manifest: values that try to reach the terminal or a shell raw (control
# characters, ESC sequences, invalid UTF-8, 1 MB values, names that look like options or paths).
# Sourced by tests/cli/bad_inputs_test.sh in its work directory ($src: the repository root).
# YAML double-quoted escapes ("\x1b", "\n") carry the control characters: they pass the loader.

# out_config FILE ROUTES [EXTRA]: a config without findings of its own around ROUTES (routing:
# entries, indented two spaces) and EXTRA (more top-level sections).
out_config() {
  {
    printf 'hardware:\n  total_ram_gb: 64\n  os_reserve_percent: 22\n  architecture: linux_nvidia\n  gpu_vram_gb: 24\n'
    printf 'inference:\n  preferred_format: GGUF\n  fallback_format: MLX\n  quantization: Q4_K_M\n'
    printf '  max_context_tokens: 4096\n  kv_cache_reserve_percent: 35\n'
    printf 'monitoring:\n  memory_pressure_threshold: 0.75\n  action_on_threshold: notify\n'
    printf 'routing:\n%s\n' "$2"
    [ -z "${3:-}" ] || printf '%s\n' "$3"
  } > "$1"
}
# A models: entry named NAME (YAML-quoted by the caller) with an hf_repo line.
out_model() { printf 'models:\n  %s:\n    params_b: 7\n    layers: 32\n    kv_heads: 8\n    head_dim: 128\n    hf_repo: %s' "$1" "$2"; }
# out_mb CHAR [BYTES]: a value of BYTES (900,000: a config may be 1 MiB) copies of CHAR.
out_mb() { head -c "${2:-900000}" /dev/zero | tr '\0' "$1"; }

# Control characters in the values rules quote.
out_config out-esc-model.yaml '  chat:
    model: "x\x1b[2J\x1b]0;title\x07\r\ny"'
out_config out-esc-quant.yaml '  chat:
    model: llama-3.1-8b-instruct
    quantization: "Q4\x1b[31m_K_M\n"'
out_config out-c1-bidi-model.yaml '  chat:
    model: "a\x85b\u202ec\u2028d\x9b"'
out_config out-esc-route.yaml '  "a\x1b[2Jb\nc":
    model: llama-3.1-8b-instruct
    task: code
    quantization: Q2_K'
out_config out-esc-resident.yaml '  chat:
    model: llama-3.1-8b-instruct' 'inference_extra: {}'
sed -i 's/^  kv_cache_reserve_percent: 35$/  kv_cache_reserve_percent: 35\n  resident_routes: ["chat\\x1b[2J\\n"]/; /^inference_extra/d' out-esc-resident.yaml
out_config out-esc-action.yaml '  chat:
    model: llama-3.1-8b-instruct'
sed -i 's/^  action_on_threshold: notify$/  action_on_threshold: "notify\\x1b[2J\\r"/' out-esc-action.yaml

# models: entries and repo ids that try to be options, paths or commands (launch).
out_config out-models-path.yaml '  chat:
    model: "../../x\n$(touch INJECTED)"' "$(out_model '"../../x\n$(touch INJECTED)"' 'org/fine-model')"
out_config out-repo-option.yaml '  chat:
    model: m' "$(out_model m '"--local-dir=/tmp"')"
out_config out-repo-dash.yaml '  chat:
    model: m' "$(out_model m '"-q"')"
out_config out-repo-dots.yaml '  chat:
    model: m' "$(out_model m '"org/../../etc"')"
out_config out-repo-newline.yaml '  chat:
    model: m' "$(out_model m '"org/m\ntouch INJECTED"')"
out_config out-gguf-repo-subst.yaml '  chat:
    model: m' "$(out_model m 'org/fine-model')
    gguf_repo: \"\$(touch INJECTED)\""
out_config out-log-newline.yaml '  chat:
    model: llama-3.1-8b-instruct' 'logging:
  output: "logs/a\n\x1b[2Jtouch INJECTED.log"'
out_config out-log-escape.yaml '  chat:
    model: llama-3.1-8b-instruct' 'logging:
  output: ../.bashrc'

# 900 KB values (the schema's limits report them): every message quoting one stays one short line.
out_config out-mb-model.yaml "  chat:
    model: $(out_mb m)"
out_config out-mb-quant.yaml "  chat:
    model: llama-3.1-8b-instruct
    quantization: Q$(out_mb 4)"
out_config out-mb-line.yaml "  chat: {model: nope, format: GGUF, quantization: \"$(out_mb q)\"}"
# The longest values the schema lets through, which planner's own messages and commands cut:
# model 4,096 bytes, a models: name 128, hf_repo 200, logging.output 4,096.
out_config out-long-model.yaml "  chat:
    model: $(out_mb m 4096)"
out_config out-long-models-name.yaml "  chat:
    model: $(out_mb n 128)" "$(out_model "$(out_mb n 128)" org/fine-model)"
out_config out-long-repo.yaml '  chat:
    model: m' "$(out_model m "org/$(out_mb r 196)")"
out_config out-long-log.yaml '  chat:
    model: llama-3.1-8b-instruct' "logging:
  output: logs/$(out_mb l 4087).log"

# GGUF strings are never YAML: general.name and general.architecture with ESC, a newline and
# bytes that are not UTF-8 (overlong '/', a surrogate, 0xff).
python3 - <<'PY'
import struct

def gguf(path, arch, name):
    kv = []
    def key(k, t, v):
        kb = k if isinstance(k, bytes) else k.encode()
        kv.append(struct.pack('<Q', len(kb)) + kb + struct.pack('<I', t) + v)
    def s(v):
        return struct.pack('<Q', len(v)) + v
    key('general.architecture', 8, s(arch))
    key('general.name', 8, s(name))
    key('general.file_type', 4, struct.pack('<I', 0))
    for k, v in (('context_length', 2048), ('embedding_length', 64), ('block_count', 2),
                 ('feed_forward_length', 128), ('attention.head_count', 4), ('attention.head_count_kv', 2)):
        key(arch + b'.' + k.encode(), 4, struct.pack('<I', v))
    tensors = [('token_embd.weight', [64, 64]), ('output_norm.weight', [64])]
    for i in range(2):
        for n, d in (('attn_norm', [64]), ('attn_q', [64, 64]), ('attn_k', [64, 32]), ('attn_v', [64, 32]),
                     ('attn_output', [64, 64]), ('ffn_norm', [64]), ('ffn_gate', [64, 128]),
                     ('ffn_up', [64, 128]), ('ffn_down', [128, 64])):
            tensors.append((f'blk.{i}.{n}.weight', d))
    info, offset = b'', 0
    for n, dims in tensors:
        size = 4
        for d in dims:
            size *= d
        info += s(n.encode()) + struct.pack('<I', len(dims)) + b''.join(struct.pack('<Q', d) for d in dims)
        info += struct.pack('<IQ', 0, offset)  # F32
        offset += (size + 31) // 32 * 32
    head = b'GGUF' + struct.pack('<IQQ', 3, len(tensors), len(kv)) + b''.join(kv) + info
    head += b'\0' * (-len(head) % 32)
    with open(path, 'wb') as f:
        f.write(head + b'\0' * offset)

gguf('out-gguf-bad-name.gguf', b'llama', b'tiny\xff\xc0\xaf\xed\xa0\x80\n\x1b[2Jname')
gguf('out-gguf-bad-arch.gguf', b'll\x1b]0;t\x07\xfe', b'tiny')
PY
out_config out-gguf-route.yaml '  chat:
    model: ./out-gguf-bad-name.gguf'

# detect --from: a GPU name and a CPU brand with ESC sequences.
mkdir -p out-detect-esc
printf 'NVIDIA \033[2JGeForce\033]0;x\007 RTX\r4090, 24564, 1234\n' > out-detect-esc/nvidia-smi
printf 'MemTotal:       24683620 kB\nMemFree:        11356448 kB\nMemAvailable:   20892640 kB\n' > out-detect-esc/proc-meminfo
