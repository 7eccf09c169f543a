// The playground (web/) in headless Chromium, against the native planner (docs/web.md, "The
// browser test"). What the page shows must be what the native binary prints for the same text:
// the seed's findings, a finding that typing creates, a safe fix, the SVG plan, the launch
// commands. Screenshots after load, typing and the fix are compared with tests/web/reference/.
//
//   PLANNER_BIN=build/planner node tests/web/playground_test.mjs
//   PLANNER_WEB_BUILD=DIR   the wasm build (planner-web.mjs + .wasm; default build-wasm/)
//   CHROMIUM=PATH           the browser (default: chromium on PATH)
//   UPDATE=1                write the screenshots as the new references (then LOOK at them)
//   PLANNER_WEB_URL=URL     test a site served elsewhere instead of starting scripts/serve-web
// Exit 77 (ctest: skipped) when Chromium or the wasm build is not there.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CDP, launchChromium } from "./cdp.mjs";
import { colourCount, decodePng, diffShare, pixel } from "./png.mjs";

// node 20 has WebSocket behind a flag (on by default from node 22): run again with it.
if (typeof WebSocket === "undefined" && !process.execArgv.includes("--experimental-websocket")) {
  const r = spawnSync(process.execPath, ["--experimental-websocket", fileURLToPath(import.meta.url)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const PLANNER = resolve(process.env.PLANNER_BIN || join(ROOT, "build/planner"));
const BUILD = resolve(process.env.PLANNER_WEB_BUILD || join(ROOT, "build-wasm"));
const UPDATE = Boolean(process.env.UPDATE);
const CONFIG = "local-inference-config.yaml"; // the page's file name (web/planner.js)
const SEED = readFileSync(join(ROOT, "examples/seed/local-inference-config.yaml"), "utf8");
// Screenshot comparison: a pixel differs when a channel is off by more than CHANNEL_TOLERANCE;
// at most PIXEL_SHARE of them may. Text is most of what differs between machines (font
// versions, hinting), so this holds on the Debian packages the references were taken with
// (fonts-dejavu-core, chromium 156) and can fail with other fonts: UPDATE=1 there.
const CHANNEL_TOLERANCE = 48;
const PIXEL_SHARE = Number(process.env.PLANNER_WEB_PIXEL_SHARE || 0.02);
const VIEWPORT = { width: 1280, height: 1100 };
// The pictures are the editor and the findings (header to the bottom of <main>): the plan and
// launch panes below are compared as text, and the chart there is another engineer's drawing.
let shotHeight = 0;

let work = null; // the temporary directory: site, profile, screenshots
function skip(why) {
  console.log(`SKIP: ${why}`);
  if (work) rmSync(work, { recursive: true, force: true, maxRetries: 5 });
  process.exit(77);
}

let failures = 0;
function check(ok, what, detail = "") {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${!ok && detail ? `\n${detail}` : ""}`);
  if (!ok) failures++;
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const show = (v) => JSON.stringify(v, null, 1);

function which(cmd) {
  const r = spawnSync("sh", ["-c", `command -v "$1"`, "sh", cmd], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

// Nothing in web/ turns text into markup: every value goes in as textContent (docs/web.md).
for (const f of readdirSync(join(ROOT, "web")).filter((n) => n.endsWith(".js") || n.endsWith(".html"))) {
  const src = readFileSync(join(ROOT, "web", f), "utf8");
  const bad = src.match(/\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|srcdoc)\b|\beval\s*\(|new Function|\son[a-z]+=/);
  check(!bad, `web/${f} builds no markup from text and has no inline handlers${bad ? ` (${bad[0]})` : ""}`);
}

const chromium = process.env.CHROMIUM || which("chromium") || which("chromium-browser");
if (!chromium) skip("no chromium (apt-get install -y --no-install-recommends chromium; or set CHROMIUM)");
if (!existsSync(join(BUILD, "planner-web.mjs")) || !existsSync(join(BUILD, "planner-web.wasm"))) {
  skip(`no wasm build in ${BUILD} (planner-web.mjs, planner-web.wasm): cmake --preset wasm, or set PLANNER_WEB_BUILD`);
}
if (!existsSync(PLANNER)) throw new Error(`no native planner at ${PLANNER} (set PLANNER_BIN)`);

work = mkdtempSync(join(tmpdir(), "planner-web-"));
const home = join(work, "home"); // no model stores: the wasm build sees none either
const nativeDir = join(work, "native");
mkdirSync(home);
mkdirSync(nativeDir);

// The native binary on TEXT, run as the page runs it: the file named relative to its directory.
function native(args, text) {
  writeFileSync(join(nativeDir, CONFIG), text);
  const r = spawnSync(PLANNER, [...args, CONFIG], {
    cwd: nativeDir, encoding: "utf8", env: { PATH: process.env.PATH, HOME: home, NO_COLOR: "1" },
  });
  if (r.error) throw r.error;
  return { rc: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectedFindings(text) {
  const report = JSON.parse(native(["check", "--format", "json"], text).stdout);
  return report.files[0].diagnostics.map((d) => ({
    code: d.code, severity: d.severity, line: d.line, column: d.column, message: d.message,
    help: d.help ? `help: ${d.help}` : null, fix: d.fix ? d.fix.applicability : null,
  }));
}

const PAGE_FINDINGS = `[...document.querySelectorAll("#findings li.finding")].map((li) => ({
  code: li.dataset.code, severity: li.dataset.severity, line: Number(li.dataset.line), column: Number(li.dataset.column),
  message: li.querySelector(".msg").textContent, help: li.querySelector(".help")?.textContent ?? null,
  fix: li.querySelector("button.fix")?.dataset.applicability ?? null}))`;

// The page's launch <pre> shows stdout, and stderr too when launch refused (exit 1).
const launchShown = (r) => r.stdout + (r.rc !== 0 || !r.stdout ? r.stderr : "");

async function generation(cdp) {
  return Number(await cdp.evaluate("document.body.dataset.generation || 0"));
}

async function waitForAnalysis(cdp, after, what) {
  await cdp.waitFor(`Number(document.body.dataset.generation || 0) > ${after}`, what);
  // The debounce may still hold a later keystroke: wait until no analysis is pending.
  let last = await generation(cdp);
  for (;;) {
    await new Promise((r) => setTimeout(r, 400));
    const now = await generation(cdp);
    if (now === last) return;
    last = now;
  }
}

async function shoot(cdp, name, markerChecks) {
  // The same view each time: no caret, the page, the editor and the findings scrolled to the top.
  await cdp.evaluate(`(() => {
    document.activeElement && document.activeElement.blur();
    window.scrollTo(0, 0);
    for (const id of ["editor", "findings"]) document.getElementById(id).scrollTop = 0;
    document.getElementById("editor").dispatchEvent(new Event("scroll"));
    return true;
  })()`);
  // The gutter rows' centres, to check the markers' colours in the picture itself.
  const rows = await cdp.evaluate(`[...document.querySelectorAll("#gutter .ln.marked")].map((r) => {
    const b = r.getBoundingClientRect();
    return {line: Number(r.dataset.line), severity: [...r.classList].find((c) => c.startsWith("sev-")).slice(4),
            x: b.left + 3, y: b.top + b.height / 2};
  }).filter((r) => r.y > 0 && r.y < document.querySelector("main").getBoundingClientRect().bottom)`);
  if (!shotHeight) shotHeight = Math.ceil(await cdp.evaluate(`document.querySelector("main").getBoundingClientRect().bottom + 8`));
  const png = await cdp.screenshot({ x: 0, y: 0, width: VIEWPORT.width, height: shotHeight });
  writeFileSync(join(work, `${name}.png`), png);
  const img = decodePng(png);
  check(img.width === VIEWPORT.width && img.height === shotHeight, `${name}.png is ${VIEWPORT.width}x${shotHeight}`,
    `${img.width}x${img.height}`);
  check(colourCount(img) > 20, `${name}.png is not blank (${colourCount(img)} colours)`);
  // style.css: --error #c62828, --warning #b26a00, --info #1565c0 (the gutter's left border).
  const colours = { error: [0xc6, 0x28, 0x28], warning: [0xb2, 0x6a, 0x00], info: [0x15, 0x65, 0xc0] };
  for (const line of markerChecks) {
    const row = rows.find((r) => r.line === line);
    if (!row) {
      check(false, `${name}.png: a marker at line ${line}`, show(rows));
      continue;
    }
    const got = pixel(img, row.x, row.y);
    const want = colours[row.severity];
    check(got.every((c, i) => Math.abs(c - want[i]) <= 24), `${name}.png: line ${line}'s marker is ${row.severity}-coloured`,
      `pixel ${got} at ${row.x},${row.y}, want ${want}`);
  }
  const ref = join(HERE, "reference", `${name}.png`);
  if (UPDATE) {
    mkdirSync(dirname(ref), { recursive: true });
    writeFileSync(ref, png);
    console.log(`updated ${ref}`);
  } else if (!existsSync(ref)) {
    check(false, `${name}.png: a reference at ${ref} (UPDATE=1 writes it)`);
  } else {
    const share = diffShare(img, decodePng(readFileSync(ref)), CHANNEL_TOLERANCE);
    check(share <= PIXEL_SHARE, `${name}.png matches tests/web/reference/${name}.png: ${(share * 100).toFixed(2)} % of pixels differ (at most ${PIXEL_SHARE * 100} %)`,
      `the screenshot is ${join(work, `${name}.png`)}`);
  }
}

async function serve() {
  const server = spawn(join(ROOT, "scripts/serve-web"), ["--build", BUILD, "--site", join(work, "site"), "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, PLANNER_WEB_QUIET: "1" },
  });
  const url = await new Promise((res, rej) => {
    let out = "";
    server.stdout.setEncoding("utf8");
    server.stdout.on("data", (c) => {
      out += c;
      const m = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) res(m[1]);
    });
    server.on("exit", (code) => rej(new Error(`scripts/serve-web exited (${code})`)));
  });
  return { url, stop: () => server.kill("SIGTERM") };
}

async function main() {
  // PLANNER_WEB_URL: a site served some other way (a debugging aid); else scripts/serve-web.
  const server = process.env.PLANNER_WEB_URL ? { url: process.env.PLANNER_WEB_URL, stop() {} } : await serve();
  const url = server.url;
  let browser = null;
  let cdp = null;
  try {
    try {
      browser = await launchChromium(chromium, join(work, "profile"));
    } catch (e) {
      return `chromium does not start here: ${e.message.split("\n")[0]}`;
    }
    cdp = await CDP.connectToPage(browser.http);
    const problems = [];
    cdp.on((method, p) => {
      if (method === "Runtime.exceptionThrown") problems.push(p.exceptionDetails.exception?.description || p.exceptionDetails.text);
      if (method === "Log.entryAdded" && p.entry.level === "error") problems.push(`${p.entry.source}: ${p.entry.text}`);
    });
    await cdp.send("Runtime.enable");
    await cdp.send("Log.enable");
    await cdp.send("Page.enable");
    await cdp.send("Emulation.setDeviceMetricsOverride", { ...VIEWPORT, deviceScaleFactor: 1, mobile: false });
    await cdp.navigate(url);

    // 1. Load: the wasm runs and the seed example is checked.
    await cdp.waitFor(`["ready", "failed"].includes(document.body?.dataset.state)`, "the page to load planner");
    check(await cdp.evaluate(`document.body.dataset.state`) === "ready", "planner (wasm) loads in the page",
      await cdp.evaluate(`document.getElementById("status").textContent`));
    await waitForAnalysis(cdp, 0, "the first check");
    check(await cdp.evaluate(`document.getElementById("editor").value`) === SEED, "the editor holds the seed example");
    const seedFindings = expectedFindings(SEED);
    const shown = await cdp.evaluate(PAGE_FINDINGS);
    check(seedFindings.length > 0 && same(shown, seedFindings),
      `the seed's ${seedFindings.length} findings are native check --format json's (code, severity, line, column, message, help, fix)`,
      `page:\n${show(shown)}\nnative:\n${show(seedFindings)}`);
    const seedLines = [...new Set(seedFindings.filter((f) => f.line).map((f) => f.line))];
    await shoot(cdp, "load", seedLines);

    // 2. Type: the inference context becomes 1048576 tokens, past every seed model's training.
    const contextLine = SEED.split("\n").findIndex((l) => /^\s+max_context_tokens: 8192$/.test(l)) + 1;
    const before = await generation(cdp);
    await cdp.evaluate(`(() => {
      const t = document.getElementById("editor");
      const at = t.value.indexOf("max_context_tokens: 8192") + "max_context_tokens: ".length;
      t.focus();
      t.setSelectionRange(at, at + 4);
      return true;
    })()`);
    await cdp.pressKey("Delete", "Delete", 46); // the selected 8192
    for (const ch of "1048576") await cdp.insertText(ch); // keystroke by keystroke, as typed
    await waitForAnalysis(cdp, before, "the check after typing");
    const typed = SEED.replace("max_context_tokens: 8192", "max_context_tokens: 1048576");
    check(await cdp.evaluate(`document.getElementById("editor").value`) === typed, "the editor holds the typed text");
    const typedFindings = expectedFindings(typed);
    const shownTyped = await cdp.evaluate(PAGE_FINDINGS);
    check(same(shownTyped, typedFindings), "after typing, the findings are native check's on the typed text",
      `page:\n${show(shownTyped)}\nnative:\n${show(typedFindings)}`);
    const key = (f) => `${f.code}@${f.line}:${f.column} ${f.message}`;
    const fresh = typedFindings.filter((f) => !seedFindings.some((s) => key(s) === key(f)) && f.line === contextLine);
    check(fresh.length > 0, `typing makes a new finding at line ${contextLine} (${fresh.map((f) => f.code).join(", ")})`);
    await shoot(cdp, "typed", [contextLine]);

    // 3. Apply a safe fix (the first finding that has one): the editor must hold what native
    // `planner fix --select CODE` prints for the same text.
    const target = shownTyped.find((f) => f.fix === "safe");
    check(Boolean(target), "some finding has a safe fix");
    if (target) {
      const index = shownTyped.indexOf(target);
      const beforeFix = await generation(cdp);
      await cdp.click(`#findings li.finding:nth-child(${index + 1}) button.fix`);
      await waitForAnalysis(cdp, beforeFix, "the check after the fix");
      const want = native(["fix", "--select", target.code], typed).stdout;
      const got = await cdp.evaluate(`document.getElementById("editor").value`);
      check(got === want && got !== typed, `"apply fix" (${target.code}) leaves native planner fix --select ${target.code}'s text`,
        `page:\n${got}\nnative:\n${want}`);
      check(same(await cdp.evaluate(PAGE_FINDINGS), expectedFindings(want)), "after the fix, the findings are native check's");
      await shoot(cdp, "fixed", [...new Set(expectedFindings(want).filter((f) => f.line).map((f) => f.line))].slice(0, 3));
    }

    // 3b. An unsafe fix runs only on a second, confirming click, then as native --unsafe-fixes.
    {
      const current = await cdp.evaluate(`document.getElementById("editor").value`);
      const list = await cdp.evaluate(PAGE_FINDINGS);
      const unsafe = list.findIndex((f) => f.fix === "unsafe");
      check(unsafe >= 0, "some finding has an unsafe fix");
      if (unsafe >= 0) {
        const button = `#findings li.finding:nth-child(${unsafe + 1}) button.fix`;
        const at = await generation(cdp);
        await cdp.click(button);
        await new Promise((r) => setTimeout(r, 400));
        check(await cdp.evaluate(`document.getElementById("editor").value`) === current &&
          /^confirm/.test(await cdp.evaluate(`document.querySelector(${JSON.stringify(button)}).textContent`)),
          "one click on an unsafe fix changes nothing and asks to confirm");
        await cdp.click(button);
        await waitForAnalysis(cdp, at, "the check after the unsafe fix");
        const want = native(["fix", "--select", list[unsafe].code, "--unsafe-fixes"], current).stdout;
        check(await cdp.evaluate(`document.getElementById("editor").value`) === want && want !== current,
          `the confirming click leaves native planner fix --select ${list[unsafe].code} --unsafe-fixes's text`);
      }
    }
    const text = await cdp.evaluate(`document.getElementById("editor").value`);

    // 4. The memory plan: the SVG is native plan --format svg's, and names every route.
    const planJson = JSON.parse(native(["plan", "--format", "json"], text).stdout);
    const routes = planJson.routes.map((r) => r.name);
    const nativeHasSvg = /\bsvg\b/.test(spawnSync(PLANNER, ["plan", "--help"], { encoding: "utf8" }).stdout);
    if (!nativeHasSvg) {
      console.log("SKIP (part): this planner has no plan --format svg; the chart is not checked");
    } else {
      const svg = await cdp.evaluate(`document.getElementById("chart")?.svgSource ?? null`);
      const want = native(["plan", "--format", "svg"], text).stdout;
      if (svg === null) {
        check(false, "the page shows the chart",
          `the wasm build in ${BUILD} has no plan --format svg, ${PLANNER} has: built from other sources?`);
      } else {
        check(svg === want, "the chart is native plan --format svg's", `page:\n${svg}\nnative:\n${want}`);
      }
      check(routes.length > 0 && routes.every((r) => (svg || "").includes(r)), `the chart names the routes (${routes.join(", ")})`);
      check(await cdp.evaluate(`(() => { const i = document.getElementById("chart"); return Boolean(i && i.complete && i.naturalWidth > 0); })()`),
        "the chart loads as an image");
    }
    const rows = await cdp.evaluate(`[...document.querySelectorAll("#plan-table tbody tr")].map((r) => [r.dataset.route, r.cells[7].textContent])`);
    const wantRows = planJson.routes.map((r) => [r.name, r.total_bytes === null ? "–" : `${(r.total_bytes / 2 ** 30).toFixed(2)} GiB`]);
    check(same(rows, wantRows), "the plan table's totals are native plan --format json's", `page: ${show(rows)}\nnative: ${show(wantRows)}`);

    // 5. The launch commands: as native launch prints them, refused (errors left) and forced.
    check(await cdp.evaluate(`document.getElementById("launch").textContent`) === launchShown(native(["launch"], text)),
      "the launch pane is native planner launch's output");
    await cdp.click("#force");
    await cdp.waitFor(`document.getElementById("launch").dataset.args.includes("--force")`, "launch --force");
    const forced = native(["launch", "--force"], text);
    check(forced.rc === 0 && await cdp.evaluate(`document.getElementById("launch").textContent`) === launchShown(forced),
      "with --force ticked, the launch pane is native planner launch --force's commands");

    // Copy: the clipboard when the browser allows it, else the text selected for Ctrl+C.
    await cdp.click("#copy");
    await cdp.waitFor(`document.getElementById("copy-status").textContent`, "the copy button");
    const copied = await cdp.evaluate(`({status: document.getElementById("copy-status").textContent,
      selected: getSelection().toString(), launch: document.getElementById("launch").textContent})`);
    check(copied.status === "copied" || (copied.status.startsWith("selected") && copied.selected === copied.launch),
      `copy: ${copied.status}`);

    check(problems.length === 0, "no errors in the page's console", problems.join("\n"));

    // 6. The Content-Security-Policy is in force: an inline script (as injected markup would
    // bring) does not run, and the browser says why.
    const ran = await cdp.evaluate(`(() => {
      const s = document.createElement("script");
      s.textContent = "document.body.dataset.injected = 'ran'";
      document.head.append(s);
      return document.body.dataset.injected || "";
    })()`);
    await new Promise((r) => setTimeout(r, 200));
    check(ran === "" && problems.some((p) => /Content Security Policy/.test(p)),
      "the CSP blocks an inline script", `ran: ${ran}; console: ${problems.join("\n")}`);
  } finally {
    if (cdp) cdp.close();
    if (browser) await browser.stop();
    server.stop();
  }
}

main().then(
  (skipped) => {
    if (skipped) skip(skipped);
    if (failures) {
      console.log(`${failures} check(s) failed; screenshots and the site in ${work}`);
      process.exit(1);
    }
    rmSync(work, { recursive: true, force: true, maxRetries: 5 });
    console.log("all checks passed");
    process.exit(0);
  },
  (e) => {
    console.log(`FAIL ${e.stack || e}\n(screenshots and the site in ${work})`);
    process.exit(1);
  },
);
