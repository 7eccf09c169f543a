// Model stores built in a temp dir (Hugging Face cache, Ollama, LM Studio), with real GGUF headers
// (tiny_llama) and a real config.json + safetensors MLX directory: how names are found, what is
// read, and the one-line errors of broken stores. Layouts: shared/docs/model-stores.md and the
// source lines cited in planner/modelfile/{hf_cache,ollama_store,lmstudio_store}.h.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "estimate/analysis.h"
#include "load/document.h"
#include "modelfile/gguf_choice.h"
#include "modelfile/hf_cache.h"
#include "modelfile/lmstudio_store.h"
#include "modelfile/load_model.h"
#include "modelfile/local_stores.h"
#include "modelfile/ollama_store.h"
#include "support/gguf_models.h"
#include "support/thrown.h"

using namespace planner;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "planner-stores-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void write(const fs::path& file, const std::string& bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out << bytes;
}

const std::string& tiny_gguf() {
  static const std::string bytes = testing::tiny_llama().bytes();
  return bytes;
}

// A one-layer llama MLX directory: config.json and one F32 safetensors file of 3 tensors
// (embed 32x16, norm 16, one q_proj 16x16): 512 + 16 + 256 = 784 parameters, 3,136 bytes.
void write_mlx_dir(const fs::path& dir) {
  write(dir / "config.json", R"({"model_type":"llama","hidden_size":16,"num_hidden_layers":1,"num_attention_heads":2,)"
                             R"("num_key_value_heads":2,"vocab_size":32,"max_position_embeddings":4096})");
  nlohmann::json h = {{"model.embed_tokens.weight", {{"dtype", "F32"}, {"shape", {32, 16}}, {"data_offsets", {0, 2048}}}},
                      {"model.norm.weight", {{"dtype", "F32"}, {"shape", {16}}, {"data_offsets", {2048, 2112}}}},
                      {"model.layers.0.self_attn.q_proj.weight",
                       {{"dtype", "F32"}, {"shape", {16, 16}}, {"data_offsets", {2112, 3136}}}}};
  std::string text = h.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string bytes;
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((text.size() >> (8 * i)) & 0xff));
  write(dir / "model.safetensors", bytes + text + std::string(3136, '\0'));
}

// An HF cache repo: refs/main -> snapshots/<sha>, files as given by `fill`.
template <typename Fill>
fs::path hf_repo(const fs::path& root, const std::string& folder, const std::string& sha, Fill fill) {
  const fs::path repo = root / folder;
  write(repo / "refs" / "main", sha);  // huggingface_hub writes the hash without a newline
  fs::create_directories(repo / "snapshots" / sha);
  fill(repo / "snapshots" / sha);
  return repo;
}

std::string sha_of_index(int i) { return std::string(63, '0') + std::to_string(i % 10); }

// An Ollama store entry: manifest + model blob (+ params blob when `params` is not empty).
fs::path ollama_model(const fs::path& root, const std::string& rel_manifest, int blob_id, const std::string& params = "",
                      const std::string& model_bytes = tiny_gguf()) {
  const std::string model_digest = "sha256:" + sha_of_index(blob_id);
  write(root / "blobs" / ("sha256-" + sha_of_index(blob_id)), model_bytes);
  std::string layers = R"([{"mediaType":"application/vnd.ollama.image.model","digest":")" + model_digest + R"(","size":1})";
  if (!params.empty()) {
    write(root / "blobs" / ("sha256-" + sha_of_index(blob_id + 1)), params);
    layers += R"(,{"mediaType":"application/vnd.ollama.image.params","digest":"sha256:)" + sha_of_index(blob_id + 1) +
              R"(","size":1})";
  }
  const fs::path m = root / "manifests" / rel_manifest;
  write(m, R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","layers":)" +
               layers + "]}");
  return m;
}

}  // namespace

TEST_CASE("stores: the Hugging Face cache root follows huggingface_hub's variables") {
  CHECK(hf_cache_root({"/a", "/b", "/c", "/x", "/h"}) == fs::path("/a"));
  CHECK(hf_cache_root({"", "/b", "/c", "/x", "/h"}) == fs::path("/b"));
  CHECK(hf_cache_root({"", "", "/c", "/x", "/h"}) == fs::path("/c/hub"));
  CHECK(hf_cache_root({"", "", "", "/x", "/h"}) == fs::path("/x/huggingface/hub"));
  CHECK(hf_cache_root({"", "", "", "", "/h"}) == fs::path("/h/.cache/huggingface/hub"));
  CHECK(hf_cache_root({"~/hf", "", "", "", "/h"}) == fs::path("/h/hf"));  // expanduser
}

TEST_CASE("stores: repo ids and their cache folders") {
  CHECK(hf_repo_folder("Qwen/Qwen3-14B") == "models--Qwen--Qwen3-14B");
  CHECK(hf_repo_id_of_folder("models--mlx-community--Qwen3-8B-4bit") == "mlx-community/Qwen3-8B-4bit");
  CHECK(hf_repo_id_of_folder("models--gpt2") == "gpt2");
  CHECK_FALSE(hf_repo_id_of_folder("datasets--org--name"));
  CHECK(valid_hf_repo_id("unsloth/Qwen3-14B-GGUF"));
  for (const char* bad : {"../etc", "a/..", "a/b/c", "a--b/c", "-a/b", "a/b.", "a/b.git", "", "a/", "a b/c"})
    CHECK_FALSE(valid_hf_repo_id(bad));
}

TEST_CASE("stores: Ollama names parse as ollama's ParseName does, and only valid ones") {
  auto n = parse_ollama_name("qwen3");
  REQUIRE(n);
  CHECK(n->manifest_path() == fs::path("registry.ollama.ai/library/qwen3/latest"));
  CHECK(n->display() == "qwen3:latest");
  n = parse_ollama_name("qwen3:14b");
  REQUIRE(n);
  CHECK(n->manifest_path() == fs::path("registry.ollama.ai/library/qwen3/14b"));
  n = parse_ollama_name("hf.co/unsloth/Qwen3-8B-GGUF:Q4_K_M");
  REQUIRE(n);
  CHECK(n->manifest_path() == fs::path("hf.co/unsloth/Qwen3-8B-GGUF/Q4_K_M"));
  CHECK(n->display() == "hf.co/unsloth/Qwen3-8B-GGUF:Q4_K_M");
  n = parse_ollama_name("me/mymodel:v1");
  REQUIRE(n);
  CHECK(n->display() == "me/mymodel:v1");
  for (const char* bad : {"../x", "a/../b", ".hidden", "qwen3@sha256:00", "x:", ":tag", "a.b/model", "https://h/a/b", "a b"})
    CHECK_FALSE(parse_ollama_name(bad));
  CHECK(ollama_root("", "/h") == fs::path("/h/.ollama/models"));
  CHECK(ollama_root(" \"/srv/ollama\" ", "/h") == fs::path("/srv/ollama"));  // envconfig.Var trims
}

TEST_CASE("stores: a repo id in the Hugging Face cache is read from its snapshot, named by the repo") {
  TempDir t;
  const fs::path root = t.path / "hub";
  hf_repo(root, "models--mlx-community--Tiny-4bit", "abc123", [](const fs::path& s) { write_mlx_dir(s); });
  StoreRoots roots{root, t.path / "ollama", t.path / "lms"};
  auto m = find_local_model(roots, "mlx-community/Tiny-4bit", "Q4_K_M");
  REQUIRE(m);
  CHECK(m->error == "");
  CHECK(m->store == kHfStore);
  CHECK(m->name == "mlx-community/Tiny-4bit");
  CHECK(m->path == root / "models--mlx-community--Tiny-4bit" / "snapshots" / "abc123");
  CHECK(m->via == "refs/main -> snapshots/abc123");
  auto lower = find_local_model(roots, "MLX-Community/tiny-4bit", "");  // the hub's ids ignore case
  REQUIRE(lower);
  CHECK(lower->path == m->path);
  CHECK_FALSE(find_local_model(roots, "mlx-community/Other", ""));

  // A path to the repo folder is followed through refs/main; a snapshot shows the repo, not the hash.
  ModelLoad load = load_model_file(root / "models--mlx-community--Tiny-4bit");
  REQUIRE(load.info);
  CHECK(load.info->model.id == "mlx-community/Tiny-4bit");
  CHECK(load.info->parameters == 784);
  CHECK(load.info->weights_bytes == 3136);
  load = load_model_file(m->path);
  REQUIRE(load.info);
  CHECK(load.info->model.id == "mlx-community/Tiny-4bit");
  CHECK(load.info->model.hf_repo == "mlx-community/Tiny-4bit");
}

TEST_CASE("stores: a GGUF repo's snapshot: the route's quantization picks the file") {
  TempDir t;
  const fs::path root = t.path / "hub";
  hf_repo(root, "models--unsloth--Tiny-GGUF", "s1", [](const fs::path& s) {
    write(s / "Tiny-Q4_K_M.gguf", tiny_gguf());
    write(s / "Tiny-UD-Q4_K_M.gguf", tiny_gguf());
    write(s / "Tiny-Q8_0.gguf", tiny_gguf());
    write(s / "mmproj-F16.gguf", tiny_gguf());  // a vision projector, never the model
    write(s / "BF16" / "Tiny-BF16-00001-of-00002.gguf", tiny_gguf());
    write(s / "BF16" / "Tiny-BF16-00002-of-00002.gguf", tiny_gguf());
  });
  StoreRoots roots{root, {}, {}};
  auto q4 = find_local_model(roots, "unsloth/Tiny-GGUF", "Q4_K_M");
  REQUIRE(q4);
  CHECK(q4->path.filename() == "Tiny-Q4_K_M.gguf");  // the plain file, not UD-Q4_K_M
  CHECK(q4->via == "refs/main -> snapshots/s1 -> Tiny-Q4_K_M.gguf");
  CHECK(find_local_model(roots, "unsloth/Tiny-GGUF", "ud-q4_k_m")->path.filename() == "Tiny-UD-Q4_K_M.gguf");
  CHECK(find_local_model(roots, "unsloth/Tiny-GGUF", "q8_0")->path.filename() == "Tiny-Q8_0.gguf");
  const std::string dir = (root / "models--unsloth--Tiny-GGUF" / "snapshots" / "s1").string();
  CHECK(find_local_model(roots, "unsloth/Tiny-GGUF", "Q6_K")->error ==
        dir + ": no .gguf file for quantization 'Q6_K'; files: BF16/Tiny-BF16-00001-of-00002.gguf, "
              "BF16/Tiny-BF16-00002-of-00002.gguf, Tiny-Q4_K_M.gguf, Tiny-Q8_0.gguf, Tiny-UD-Q4_K_M.gguf");
  CHECK(find_local_model(roots, "unsloth/Tiny-GGUF", "BF16")->error ==
        dir + ": quantization 'BF16' is split into 2 files (BF16/Tiny-BF16-00001-of-00002.gguf, "
              "BF16/Tiny-BF16-00002-of-00002.gguf); planner reads single-file GGUFs only");
  // Named by path, a folder of several GGUFs says which files exist.
  CHECK(load_model_file(dir).error.find("no .gguf file for quantization ''; files: ") != std::string::npos);
}

TEST_CASE("stores: broken Hugging Face cache repos give one-line errors") {
  TempDir t;
  const fs::path root = t.path / "hub";
  StoreRoots roots{root, {}, {}};
  // refs/main names a snapshot that is not there.
  hf_repo(root, "models--org--dangling", "aaa", [](const fs::path& s) { fs::remove(s); });
  CHECK(find_local_model(roots, "org/dangling", "")->error ==
        (root / "models--org--dangling/refs/main").string() +
            ": names snapshot aaa, which is not in snapshots/ (a dangling ref)");
  // No refs/main at all: the snapshots present are listed.
  fs::create_directories(root / "models--org--noref" / "snapshots" / "bbb");
  CHECK(find_local_model(roots, "org/noref", "")->error ==
        (root / "models--org--noref").string() + ": no refs/main (snapshots: bbb)");
  // refs/main is a symlink loop.
  fs::create_directories(root / "models--org--loop" / "refs");
  fs::create_symlink("main", root / "models--org--loop" / "refs" / "main");
  CHECK(find_local_model(roots, "org/loop", "")->error ==
        (root / "models--org--loop/refs/main").string() + ": Too many levels of symbolic links");
  // A snapshot that holds only a README (a partial download).
  hf_repo(root, "models--org--partial", "ccc", [](const fs::path& s) { write(s / "README.md", "x"); });
  CHECK(find_local_model(roots, "org/partial", "")->error ==
        (root / "models--org--partial/snapshots/ccc").string() + ": neither config.json nor .gguf files (a partial download?)");
}

TEST_CASE("stores: an Ollama name resolves through its manifest to the GGUF blob, with num_ctx") {
  TempDir t;
  const fs::path root = t.path / "ollama";
  ollama_model(root, "registry.ollama.ai/library/tiny/14b", 1, R"({"num_ctx":8192,"stop":["<|im_end|>"]})");
  ollama_model(root, "registry.ollama.ai/library/tiny/latest", 1);  // another tag of the same blob
  StoreRoots roots{t.path / "hub", root, {}};
  auto m = find_local_model(roots, "tiny:14b", "Q4_K_M");
  REQUIRE(m);
  CHECK(m->error == "");
  CHECK(m->store == kOllamaStore);
  CHECK(m->name == "tiny:14b");
  CHECK(m->path == root / "blobs" / ("sha256-" + sha_of_index(1)));
  CHECK(m->via == "manifest registry.ollama.ai/library/tiny/14b");
  CHECK(m->num_ctx == 8192);
  auto latest = find_local_model(roots, "tiny", "");  // no tag: latest
  REQUIRE(latest);
  CHECK(latest->name == "tiny:latest");
  CHECK_FALSE(latest->num_ctx);
  CHECK(find_local_model(roots, "TINY:14B", "")->name == "tiny:14b");  // names ignore case
  CHECK_FALSE(find_local_model(roots, "tiny:32b", ""));

  // The blob has no extension: recognised by its magic, and named by the manifests that use it.
  CHECK(looks_like_model_path(m->path.string()));
  ModelLoad load = load_model_file(m->path);
  REQUIRE(load.info);
  CHECK(load.info->format == "GGUF");
  CHECK(load.info->model.id == "tiny:14b, tiny:latest");
  CHECK(load.info->model.hf_repo == "");
}

TEST_CASE("stores: broken Ollama stores give one-line errors") {
  TempDir t;
  const fs::path root = t.path / "ollama";
  StoreRoots roots{{}, root, {}};
  const std::string lib = "registry.ollama.ai/library/";
  write(root / "manifests" / lib / "notjson" / "latest", "{\"layers\": [");
  CHECK(find_local_model(roots, "notjson", "")->error ==
        (root / "manifests" / lib / "notjson/latest").string() +
            ": byte 12: manifest is not valid JSON: syntax error while parsing value - unexpected end of input; expected "
            "'[', '{', or a literal");
  const fs::path m = ollama_model(root, lib + "noblob/latest", 3);
  fs::remove(root / "blobs" / ("sha256-" + sha_of_index(3)));
  CHECK(find_local_model(roots, "noblob", "")->error ==
        m.string() + ": the model blob blobs/sha256-" + sha_of_index(3) +
            " cannot be read (No such file or directory: an interrupted pull or a pruned store?)");
  write(root / "manifests" / lib / "nomodel" / "latest", R"({"layers":[]})");
  CHECK(find_local_model(roots, "nomodel", "")->error ==
        (root / "manifests" / lib / "nomodel/latest").string() +
            ": the manifest has no application/vnd.ollama.image.model layer");
  ollama_model(root, lib + "badparams/latest", 5, "{num_ctx: 8192}");
  CHECK(find_local_model(roots, "badparams", "")->error ==
        (root / "blobs" / ("sha256-" + sha_of_index(6))).string() +
            ": byte 3: params blob is not valid JSON: syntax error while parsing object key - invalid literal; "
            "last read: '{num'; expected string literal");
  ollama_model(root, lib + "hugectx/latest", 7, R"({"num_ctx": -1})");
  CHECK(find_local_model(roots, "hugectx", "")->error.find("num_ctx -1 is not a whole number of tokens") != std::string::npos);
  // A 1 GB manifest (sparse): refused by its size, before any read.
  const fs::path huge = root / "manifests" / lib / "huge" / "latest";
  write(huge, "{");
  fs::resize_file(huge, 1ULL << 30);
  CHECK(find_local_model(roots, "huge", "")->error ==
        huge.string() + ": 1073741824 bytes, over the limit of 16777216 for manifest");
  // A manifest that is a symlink loop.
  fs::create_directories(root / "manifests" / lib / "loop");
  fs::create_symlink("latest", root / "manifests" / lib / "loop" / "latest");
  CHECK(find_local_model(roots, "loop", "")->error ==
        (root / "manifests" / lib / "loop/latest").string() + ": Too many levels of symbolic links");
  // Every entry is listed, broken ones with their error.
  const auto all = list_local_models(roots);
  CHECK(all.size() == 7);
}

TEST_CASE("stores: LM Studio's home moves with its pointer file; its repos are read") {
  TempDir t;
  const fs::path home = t.path / "home";
  fs::create_directories(home);
  CHECK(lmstudio_home(home) == home / ".lmstudio");
  fs::create_directories(home / ".cache" / "lm-studio");
  CHECK(lmstudio_home(home) == home / ".cache" / "lm-studio");
  write(home / ".lmstudio-home-pointer", (t.path / "elsewhere").string() + "\n");
  CHECK(lmstudio_home(home) == t.path / "elsewhere");
  CHECK(lmstudio_models_dir(t.path / "elsewhere") == t.path / "elsewhere" / "models");
  write(t.path / "elsewhere" / "settings.json", R"({"downloadsFolder":")" + (t.path / "dl").string() + R"("})");
  CHECK(lmstudio_models_dir(t.path / "elsewhere") == t.path / "dl");
  write(t.path / "elsewhere" / "settings.json", "{broken");  // lms falls back to the default
  CHECK(lmstudio_models_dir(t.path / "elsewhere") == t.path / "elsewhere" / "models");

  const fs::path models = t.path / "elsewhere" / "models";
  write(models / "lmstudio-community" / "Tiny-GGUF" / "Tiny-Q4_K_M.gguf", tiny_gguf());
  write_mlx_dir(models / "mlx-community" / "Tiny-8bit");
  StoreEnv env;
  env.home = home.string();
  env.hf_hub_cache = (t.path / "hub").string();
  env.ollama_models = (t.path / "ollama").string();
  const StoreRoots roots = store_roots(env);
  CHECK(roots.lmstudio_models == models);
  auto g = find_local_model(roots, "lmstudio-community/Tiny-GGUF", "Q4_K_M");
  REQUIRE(g);
  CHECK(g->store == kLmStudioStore);
  CHECK(g->path == models / "lmstudio-community" / "Tiny-GGUF" / "Tiny-Q4_K_M.gguf");
  auto mlx = find_local_model(roots, "mlx-community/Tiny-8bit", "");
  REQUIRE(mlx);
  CHECK(mlx->path == models / "mlx-community" / "Tiny-8bit");
  const auto all = list_local_models(roots);
  REQUIRE(all.size() == 2);
  CHECK(all[0].name == "lmstudio-community/Tiny-GGUF");
  CHECK(all[1].name == "mlx-community/Tiny-8bit");
}

TEST_CASE("stores: GGUF is recognised by its magic, whatever the file is called") {
  TempDir t;
  write(t.path / "renamed.bin", tiny_gguf());
  write(t.path / "UPPER.GGUF", tiny_gguf());
  CHECK(load_model_file(t.path / "renamed.bin").info);
  CHECK(load_model_file(t.path / "UPPER.GGUF").info);
  write(t.path / "fake.gguf", "GGML0000");
  CHECK(load_model_file(t.path / "fake.gguf").error == "not a GGUF file: magic is 'GGML', expected 'GGUF' (offset 0)");
  CHECK(looks_like_model_path("blobs/sha256-" + std::string(64, 'a')));
  CHECK(looks_like_model_path("models--Qwen--Qwen3-8B"));
  CHECK_FALSE(looks_like_model_path("sha256-abc"));
}

TEST_CASE("stores: a route naming a downloaded model is read from the store, and says where") {
  TempDir t;
  const fs::path hub = t.path / "hub", ollama = t.path / "ollama";
  hf_repo(hub, "models--mlx-community--Tiny-4bit", "abc123", [](const fs::path& s) { write_mlx_dir(s); });
  ollama_model(ollama, "registry.ollama.ai/library/tiny/14b", 1, R"({"num_ctx":8192})");
  // The process's variables are what the resolve stage reads: set for this test, then restored.
  struct Env {
    std::string name;
    std::optional<std::string> old;
    Env(const char* n, const std::string& v) : name(n) {
      if (const char* o = std::getenv(n)) old = o;
      setenv(n, v.c_str(), 1);
    }
    ~Env() { old ? setenv(name.c_str(), old->c_str(), 1) : unsetenv(name.c_str()); }
  } e1("HF_HUB_CACHE", hub.string()), e2("OLLAMA_MODELS", ollama.string()), e3("HOME", (t.path / "home").string());
  const char* cfg = R"(hardware: {total_ram_gb: 16, architecture: apple_silicon}
inference: {preferred_format: MLX, quantization: 4bit, max_context_tokens: 1024}
routing:
  code: {model: mlx-community/Tiny-4bit}
  chat: {model: "tiny:14b"}
  other: {model: "tiny:14b", max_context_tokens: 2048}
)";
  LoadResult loaded = parse_yaml((t.path / "c.yaml").string(), cfg);
  REQUIRE(loaded.ok());
  Analysis a = analyze(loaded.doc);
  const ResolvedRoute* code = a.resolution.route("code");
  REQUIRE(code);
  REQUIRE(code->local);
  REQUIRE(code->file);
  CHECK(code->local->store == kHfStore);
  CHECK(code->model->id == "mlx-community/Tiny-4bit");
  CHECK(code->format == Format::mlx);
  CHECK(a.route("code")->memory->weights_bytes == 3136);  // exact, from the safetensors header
  const ResolvedRoute* chat = a.resolution.route("chat");
  REQUIRE(chat);
  REQUIRE(chat->file);
  CHECK(chat->model->id == "tiny:14b");
  CHECK(chat->format == Format::gguf);  // the file decides, not preferred_format
  CHECK(chat->context == 1024);         // inference.max_context_tokens wins over num_ctx
  CHECK(chat->local->num_ctx == 8192);
  CHECK(a.resolution.files.size() == 2);  // "tiny:14b" read once for two routes
}
