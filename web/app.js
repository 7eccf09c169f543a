// The playground: an editor, and on every edit (150 ms after the last keystroke) planner's own
// check, plan and launch on the text, run in the page by the WebAssembly build. Everything that
// comes from the config or from planner's output goes into the page as text (textContent),
// never as markup; the SVG chart is shown through <img>, where no script of it can run.
import { CONFIG, loadPlanner } from "./planner.js";
import { Editor } from "./editor.js";
import { hardwareBlock, replaceHardware } from "./hardware_block.js";

const DEBOUNCE_MS = 150;
const GIB = 2 ** 30;

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node[k] = v;
  }
  for (const c of children) node.append(c); // strings become text nodes
  return node;
};

let planner = null;
let editor = null;
let presets = null;
let hasSvg = false;
let chartUrl = null;
let generation = 0; // analyses done; the browser test waits on it (body[data-generation])

function setStatus(text, kind = "") {
  const s = $("status");
  s.textContent = text;
  s.className = kind;
}

// --- presets ---------------------------------------------------------------------------------

function fillPickers() {
  const ex = $("example");
  for (const e of presets.examples) ex.append(el("option", { value: e.path, textContent: e.path }));
  const mach = $("machine");
  const groups = [
    ["Apple silicon", presets.machines.apple_chips.map((c) => ({ value: `chip:${c.name}`, label: c.label }))],
    ["NVIDIA GPU (linux_nvidia)", presets.machines.nvidia_gpus.map((g) => ({ value: `gpu:${g.name}`, label: g.label }))],
    ["No GPU", [{ value: "arch:cpu", label: "CPU only (cpu)" }]],
  ];
  for (const [label, items] of groups) {
    const g = el("optgroup", { label });
    for (const it of items) g.append(el("option", { value: it.value, textContent: it.label }));
    mach.append(g);
  }
  ex.addEventListener("change", () => loadExample(ex.value));
  mach.addEventListener("change", () => fillRamSizes(true));
  $("use-machine").addEventListener("click", useMachine);
  fillRamSizes(true);
}

function selectedChip() {
  const v = $("machine").value;
  return v.startsWith("chip:") ? presets.machines.apple_chips.find((c) => `chip:${c.name}` === v) : null;
}

// The RAM sizes the chip is sold with (data/hardware.yaml) as suggestions; any RAM may be typed.
function fillRamSizes(setDefault) {
  const chip = selectedChip();
  const sizes = chip ? (chip.ram_gb.length ? chip.ram_gb : [chip.ram_gb_max].filter(Boolean)) : [];
  $("ram-sizes").replaceChildren(...sizes.map((s) => el("option", { value: String(s) })));
  if (setDefault && sizes.length) $("ram").value = String(sizes[0]);
  if (setDefault && !sizes.length && !$("ram").value) $("ram").value = "32";
}

function loadExample(path) {
  const e = presets.examples.find((x) => x.path === path);
  if (!e) return;
  editor.text = e.text;
  $("fix-status").textContent = "";
  analyse();
}

// `planner init` for the chosen machine writes a whole config; its hardware section replaces
// the editor's, so the machine is described the way planner itself describes it.
function useMachine() {
  const [kind, name] = $("machine").value.split(/:(.*)/s);
  const ram = $("ram").value.trim();
  const args = ["init", "--ram", ram];
  if (kind === "chip") args.push("--arch", "apple_silicon", "--chip", name);
  else if (kind === "gpu") args.push("--arch", "linux_nvidia", "--gpu", name);
  else args.push("--arch", name);
  const r = planner.run(args);
  const block = r.rc === 0 ? hardwareBlock(r.stdout) : null;
  if (!block) {
    $("fix-status").textContent = `planner ${args.join(" ")}: ${firstLine(r.stderr) || `exit ${r.rc}`}`;
    return;
  }
  editor.text = replaceHardware(editor.text, block);
  $("fix-status").textContent = `hardware from: planner ${args.map(shellWord).join(" ")}`;
  analyse();
}

const firstLine = (s) => s.split("\n").find((l) => l.trim()) || "";
const shellWord = (w) => (/^[\w.,:=/@-]+$/.test(w) ? w : `'${w.replaceAll("'", "'\\''")}'`);

// --- check -----------------------------------------------------------------------------------

function renderFindings(report) {
  const diags = report.files?.[0]?.diagnostics || [];
  const list = $("findings");
  list.replaceChildren(...diags.map(findingItem));
  if (!diags.length) list.append(el("li", { class: "clean", textContent: "no findings" }));
  const s = report.summary || {};
  const count = (n = 0, what) => `${n} ${what}${n === 1 ? "" : "s"}`;
  $("summary").textContent = `${count(s.errors, "error")}, ${count(s.warnings, "warning")}, ${count(s.infos, "info")}`;
  editor.setMarkers(diags.map((d) => ({ line: d.line, severity: d.severity, title: `${d.code} ${d.message}` })));
}

function findingItem(d) {
  const where = d.line ? `${d.line}:${d.column}` : "whole file";
  const li = el("li", {
    class: `finding sev-${d.severity}`,
    dataset: { code: d.code, line: String(d.line), column: String(d.column), severity: d.severity },
  });
  const loc = el("button", { type: "button", class: "loc", textContent: where, title: "go to the line" });
  loc.addEventListener("click", () => editor.jumpTo(d.line || 1, d.column || 1));
  li.append(
    el("div", { class: "head" }, loc, " ", el("span", { class: "sev", textContent: d.severity }), " ",
      el("code", { class: "code", textContent: d.code }), " ", el("span", { class: "name", textContent: d.name })),
    el("p", { class: "msg", textContent: d.message }),
  );
  if (d.help) li.append(el("p", { class: "help", textContent: `help: ${d.help}` }));
  if (d.fix) li.append(fixButton(d));
  li.append(ruleDoc(d.code));
  return li;
}

// An unsafe fix changes what the config means (a shorter context, another format): its button
// says so and needs a second click to confirm.
function fixButton(d) {
  const unsafe = d.fix.applicability === "unsafe";
  const b = el("button", { type: "button", class: unsafe ? "fix unsafe" : "fix safe" });
  const label = unsafe ? `apply unsafe fix: ${d.fix.title}` : `apply fix: ${d.fix.title}`;
  b.textContent = label;
  b.dataset.applicability = d.fix.applicability;
  let armed = false;
  b.addEventListener("click", () => {
    if (unsafe && !armed) {
      armed = true;
      b.textContent = `confirm (changes behaviour): ${d.fix.title}`;
      b.classList.add("armed");
      return;
    }
    applyFix(["--select", d.code, ...(unsafe ? ["--unsafe-fixes"] : [])]);
  });
  return el("p", { class: "fix-line" }, b);
}

// `planner explain CODE`: the rule's documentation (rules/*.md), loaded when first opened.
function ruleDoc(code) {
  const pre = el("pre");
  const det = el("details", { class: "doc" }, el("summary", { textContent: `about ${code}` }), pre);
  det.addEventListener("toggle", () => {
    if (det.open && !pre.textContent) {
      const r = planner.run(["explain", code]);
      pre.textContent = r.rc === 0 ? r.stdout : r.stderr;
    }
  });
  return det;
}

// `planner fix --write` on the in-memory file, then the file read back: the editor gets
// exactly the bytes the native `planner fix` would write.
function applyFix(extra) {
  planner.writeConfig(editor.text);
  const r = planner.run(["fix", "--write", ...extra, CONFIG]);
  if (r.rc === 2) {
    $("fix-status").textContent = firstLine(r.stderr) || "fix failed";
    return;
  }
  editor.text = planner.readConfig();
  const fixed = r.stderr.split("\n").filter((l) => / fixed /.test(l)).length;
  $("fix-status").textContent = fixed ? `${fixed} fixed (planner fix ${extra.join(" ")})` : "nothing to fix";
  analyse();
}

// --- plan ------------------------------------------------------------------------------------

const gib = (b) => (b === null || b === undefined ? "–" : `${(b / GIB).toFixed(2)} GiB`);

function renderPlan() {
  const text = planner.run(["plan", "--color", "never", CONFIG]);
  $("plan-text").textContent = text.stdout || text.stderr;
  const json = planner.run(["plan", "--format", "json", CONFIG]);
  const body = $("plan-table").tBodies[0];
  if (json.rc !== 0) {
    body.replaceChildren();
    $("plan-machine").textContent = "no plan: the file does not load or breaks the schema (see the findings)";
    renderChart(null);
    return;
  }
  const plan = JSON.parse(json.stdout);
  const m = plan.machine;
  $("plan-machine").textContent =
    `RAM ${gib(m.ram_bytes)}, model budget ${gib(m.model_budget_bytes)}, KV reserve ${gib(m.kv_reserve_bytes)}` +
    (m.gpu_limit_bytes !== null ? `, GPU limit ${gib(m.gpu_limit_bytes)} (${m.gpu_limit_basis})` : ", no GPU limit known");
  body.replaceChildren(...plan.routes.map((r) => {
    const over = r.fits_budget === false || r.fits_gpu === false;
    const tr = el("tr", { class: over ? "over" : "", dataset: { route: r.name } });
    for (const cell of [r.name, r.model ?? `${r.model_as_written} (unknown)`, `${r.runtime} ${r.format}`,
      gib(r.weights_bytes), gib(r.kv_cache_bytes), gib(r.state_bytes), gib(r.overhead_bytes), gib(r.total_bytes),
      gib(r.budget_headroom_bytes), gib(r.gpu_headroom_bytes)]) {
      tr.append(el("td", { textContent: cell }));
    }
    return tr;
  }));
  renderChart(hasSvg ? planner.run(["plan", "--format", "svg", CONFIG]) : null);
}

function renderChart(r) {
  const box = $("plan-chart");
  if (chartUrl) URL.revokeObjectURL(chartUrl);
  chartUrl = null;
  if (!hasSvg) {
    box.replaceChildren(el("p", { class: "note", textContent: "this planner build has no `plan --format svg`: the table below has the figures" }));
    return;
  }
  if (!r || r.rc !== 0) {
    box.replaceChildren();
    return;
  }
  chartUrl = URL.createObjectURL(new Blob([r.stdout], { type: "image/svg+xml" }));
  const img = el("img", { id: "chart", src: chartUrl, alt: "memory budget per route and device (planner plan --format svg)" });
  // The SVG's text as planner printed it: the CSP lets nothing fetch a blob: URL back (connect-src
  // 'self'), and the browser test compares this with the native output.
  img.svgSource = r.stdout;
  const save = el("a", { href: chartUrl, download: "planner-plan.svg", textContent: "save the SVG" });
  box.replaceChildren(img, el("p", {}, save));
}

// --- launch ----------------------------------------------------------------------------------

function renderLaunch() {
  const args = ["launch"];
  if ($("shell").value) args.push("--shell", $("shell").value);
  if ($("force").checked) args.push("--force");
  args.push(CONFIG);
  const r = planner.run(args);
  const pre = $("launch");
  pre.textContent = r.stdout + (r.rc !== 0 || !r.stdout ? r.stderr : "");
  pre.className = r.rc === 0 ? "" : "refused";
  pre.dataset.rc = String(r.rc);
  pre.dataset.args = args.join(" ");
}

async function copyLaunch() {
  const text = $("launch").textContent;
  try {
    await navigator.clipboard.writeText(text);
    $("copy-status").textContent = "copied";
  } catch {
    // No clipboard permission (an insecure origin, a denied prompt): select the text so that
    // Ctrl+C / Cmd+C copies it, and try the old copy command once.
    const range = document.createRange();
    range.selectNodeContents($("launch"));
    const sel = getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    const ok = document.execCommand && document.execCommand("copy");
    $("copy-status").textContent = ok ? "copied" : "selected: press Ctrl+C (Cmd+C) to copy";
  }
}

// --- the loop --------------------------------------------------------------------------------

function analyse() {
  planner.writeConfig(editor.text);
  const r = planner.run(["check", "--format", "json", CONFIG]);
  try {
    renderFindings(JSON.parse(r.stdout));
  } catch {
    $("findings").replaceChildren(el("li", { class: "finding sev-error", textContent: r.stderr || "check failed" }));
  }
  renderPlan();
  renderLaunch();
  generation++;
  document.body.dataset.generation = String(generation);
}

let timer = 0;
function scheduleAnalyse() {
  clearTimeout(timer);
  timer = setTimeout(analyse, DEBOUNCE_MS);
}

async function main() {
  editor = new Editor($("editor"), $("gutter"));
  try {
    [presets, planner] = await Promise.all([
      fetch("presets.json").then((r) => {
        if (!r.ok) throw new Error(`presets.json: HTTP ${r.status}`);
        return r.json();
      }),
      loadPlanner(new URL("planner-web.mjs", import.meta.url).href),
    ]);
  } catch (e) {
    setStatus(`could not load planner: ${e.message}`, "error");
    document.body.dataset.state = "failed";
    return;
  }
  const help = planner.run(["plan", "--help"]);
  hasSvg = /\bsvg\b/.test(help.stdout);
  const version = firstLine(planner.run(["--version"]).stdout);
  fillPickers();
  $("editor").addEventListener("input", scheduleAnalyse);
  $("shell").addEventListener("change", renderLaunch);
  $("force").addEventListener("change", renderLaunch);
  $("copy").addEventListener("click", copyLaunch);
  $("fix-all").addEventListener("click", () => applyFix([]));
  loadExample(presets.examples[0].path);
  setStatus(`ready: ${version} (WebAssembly)`, "ready");
  document.body.dataset.state = "ready";
}

main();
