// A small Chrome DevTools Protocol client for the browser test, with node's own WebSocket
// (node --experimental-websocket; built in from node 22) and fetch: no packages.
// Protocol: https://chromedevtools.github.io/devtools-protocol/ (Page, Runtime, Input, Emulation).
import { spawn } from "node:child_process";

// Starts headless Chromium with a fresh profile and DevTools on a free port; resolves with the
// process and the DevTools HTTP address (from stderr's "DevTools listening on ws://..." line).
export function launchChromium(binary, profileDir, extraArgs = []) {
  const args = [
    "--headless=new", "--remote-debugging-port=0", `--user-data-dir=${profileDir}`,
    "--remote-allow-origins=*", // node's WebSocket sends no Origin the default list allows
    "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
    "--disable-sync", "--disable-component-update", "--metrics-recording-only", "--mute-audio",
    "--hide-scrollbars", "--force-device-scale-factor=1", "--font-render-hinting=none", "--disable-gpu",
    "--disable-lcd-text", "--force-color-profile=srgb", ...extraArgs, "about:blank",
  ];
  // Chromium's sandbox needs user namespaces or a setuid helper; as root it refuses to start.
  if (process.getuid && process.getuid() === 0) args.unshift("--no-sandbox");
  // Its own process group, so that stop() ends the renderer and helper processes too: they
  // outlive a killed browser process for a moment and keep writing into the profile.
  const proc = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"], detached: true });
  const stop = () => new Promise((done) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return done();
    proc.once("exit", () => done());
    try {
      process.kill(-proc.pid, "SIGKILL");
    } catch {
      proc.kill("SIGKILL");
    }
  });
  return new Promise((resolve, reject) => {
    let stderr = "";
    const timer = setTimeout(() => fail(new Error(`chromium printed no DevTools address in 60 s:\n${stderr}`)), 60000);
    function fail(e) {
      clearTimeout(timer);
      stop().then(() => reject(e));
    }
    proc.on("error", fail);
    proc.on("exit", (code) => fail(new Error(`chromium exited (${code}) before DevTools listened:\n${stderr}`)));
    proc.stderr.setEncoding("utf8");
    proc.stderr.on("data", (chunk) => {
      stderr += chunk;
      const m = /DevTools listening on (ws:\/\/[^\s]+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        proc.removeAllListeners("exit");
        const u = new URL(m[1]);
        resolve({ proc, stop, http: `http://${u.host}`, stderr: () => stderr });
      }
    });
  });
}

export class CDP {
  // Connects to the first page target (the about:blank that Chromium opened).
  static async connectToPage(httpBase) {
    const targets = await (await fetch(`${httpBase}/json/list`)).json();
    const page = targets.find((t) => t.type === "page");
    if (!page) throw new Error(`no page target in ${JSON.stringify(targets)}`);
    const ws = new WebSocket(page.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      ws.addEventListener("open", resolve, { once: true });
      ws.addEventListener("error", () => reject(new Error(`cannot connect to ${page.webSocketDebuggerUrl}`)), { once: true });
    });
    return new CDP(ws);
  }

  constructor(ws) {
    this.ws = ws;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = [];
    ws.addEventListener("message", (ev) => {
      const msg = JSON.parse(ev.data);
      if (msg.id && this.pending.has(msg.id)) {
        const { resolve, reject, method } = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error) reject(new Error(`${method}: ${msg.error.message}`));
        else resolve(msg.result);
      } else if (msg.method) {
        for (const l of this.listeners) l(msg.method, msg.params);
      }
    });
  }

  send(method, params = {}) {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject, method }));
  }

  on(handler) {
    this.listeners.push(handler);
  }

  // The value of a page expression (awaited when it is a promise); a thrown error rejects.
  async evaluate(expression) {
    const r = await this.send("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
    if (r.exceptionDetails) {
      const d = r.exceptionDetails;
      throw new Error(`page: ${d.exception?.description || d.text} (evaluating ${expression.slice(0, 200)})`);
    }
    return r.result.value;
  }

  // Polls until the expression is truthy; a hang guard, not a speed check.
  async waitFor(expression, what, timeoutMs = 60000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await this.evaluate(expression);
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async navigate(url) {
    const r = await this.send("Page.navigate", { url });
    if (r.errorText) throw new Error(`navigate ${url}: ${r.errorText}`);
  }

  insertText(text) {
    return this.send("Input.insertText", { text });
  }

  async pressKey(key, code, keyCode) {
    await this.send("Input.dispatchKeyEvent", { type: "rawKeyDown", key, code, windowsVirtualKeyCode: keyCode });
    await this.send("Input.dispatchKeyEvent", { type: "keyUp", key, code, windowsVirtualKeyCode: keyCode });
  }

  // A real mouse click at the centre of the element the selector names (scrolled into view).
  async click(selector) {
    const box = await this.evaluate(`(() => {
      const e = document.querySelector(${JSON.stringify(selector)});
      if (!e) return null;
      e.scrollIntoView({block: "center"});
      const r = e.getBoundingClientRect();
      return {x: r.left + r.width / 2, y: r.top + r.height / 2};
    })()`);
    if (!box) throw new Error(`nothing matches ${selector}`);
    for (const type of ["mousePressed", "mouseReleased"]) {
      await this.send("Input.dispatchMouseEvent", { type, x: box.x, y: box.y, button: "left", clickCount: 1 });
    }
  }

  // The viewport, or CLIP ({x, y, width, height} in CSS pixels).
  async screenshot(clip) {
    const r = await this.send("Page.captureScreenshot", { format: "png", ...(clip ? { clip: { ...clip, scale: 1 } } : {}) });
    return Buffer.from(r.data, "base64");
  }

  close() {
    this.ws.close();
  }
}
