// web/hardware_block.js, which swaps a config's `hardware:` section for the one `planner init`
// wrote (docs/web.md, "What it does"): node only, no browser, no wasm.
import assert from "node:assert/strict";
import { hardwareBlock, replaceHardware } from "../../web/hardware_block.js";

const NEW = "hardware:\n  total_ram_gb: 64\n  architecture: linux_nvidia\n  chip: RTX 4090";
let passed = 0;
function test(name, fn) {
  fn();
  passed++;
  console.log(`ok   ${name}`);
}

test("the block runs to the next top-level key; the rest is kept byte for byte", () => {
  const text = "# head\nhardware:\n  total_ram_gb: 16\n  architecture: apple_silicon\ninference:\n  quantization: Q4_K_M\n";
  assert.equal(hardwareBlock(text), "hardware:\n  total_ram_gb: 16\n  architecture: apple_silicon");
  assert.equal(replaceHardware(text, NEW), `# head\n${NEW}\ninference:\n  quantization: Q4_K_M\n`);
});

test("indented comments and blank lines inside the block go with it", () => {
  const text = "hardware:\n  total_ram_gb: 16\n\n  # the wired limit\n  architecture: apple_silicon\nrouting: {}\n";
  assert.equal(hardwareBlock(text), "hardware:\n  total_ram_gb: 16\n\n  # the wired limit\n  architecture: apple_silicon");
});

test("comments leading into the next key stay with that key", () => {
  const text = "hardware:\n  total_ram_gb: 16\n\n# Inference settings\ninference: {}\n";
  assert.equal(replaceHardware(text, NEW), `${NEW}\n\n# Inference settings\ninference: {}\n`);
});

test("the last section of the file, without a final newline", () => {
  const text = "inference: {}\nhardware:\n  total_ram_gb: 16";
  assert.equal(replaceHardware(text, NEW), `inference: {}\n${NEW}`);
});

test("a flow mapping is one line", () => {
  const text = "hardware: {total_ram_gb: 16, architecture: cpu}\nrouting: {}\n";
  assert.equal(replaceHardware(text, NEW), `${NEW}\nrouting: {}\n`);
});

test("no hardware section: the new one goes first", () => {
  assert.equal(hardwareBlock("inference: {}\n"), null);
  assert.equal(replaceHardware("inference: {}\n", NEW), `${NEW}\ninference: {}\n`);
});

test("an indented 'hardware:' (a route's key) is not the section", () => {
  const text = "routing:\n  hardware:\n    x: 1\n";
  assert.equal(hardwareBlock(text), null);
});

test("planner init's block, comments and all, as the page takes it", () => {
  const init = "# local-inference-config.yaml\n# Written by: planner init\nhardware:\n  total_ram_gb: 16\n" +
    "  os_reserve_percent: 22               # 3.52 GiB for the OS\n  chip: M2\n  # GPU wired limit: 10.67 GiB\ninference:\n";
  assert.equal(hardwareBlock(init),
    "hardware:\n  total_ram_gb: 16\n  os_reserve_percent: 22               # 3.52 GiB for the OS\n  chip: M2\n  # GPU wired limit: 10.67 GiB");
});

console.log(`${passed} passed`);
