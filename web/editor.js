// The config editor: a plain <textarea> (native undo, selection, screen readers) with a gutter
// of line numbers beside it that carries the findings' markers. Lines never wrap, and the
// gutter and the textarea share one line height (style.css), so gutter row N is line N.

const SEVERITY_RANK = { info: 1, warning: 2, error: 3 };

export class Editor {
  constructor(textarea, gutter, onJump) {
    this.textarea = textarea;
    this.gutter = gutter;
    this.onJump = onJump;
    this.markers = new Map(); // line -> {severity, titles}
    textarea.addEventListener("scroll", () => this.syncScroll());
    textarea.addEventListener("input", () => this.renderGutter());
    gutter.addEventListener("click", (e) => {
      const row = e.target.closest(".ln");
      if (row && row.classList.contains("marked")) this.jumpTo(Number(row.dataset.line), 1);
    });
  }

  get text() {
    return this.textarea.value;
  }

  set text(value) {
    this.textarea.value = value;
    this.renderGutter();
  }

  // findings: [{line, severity, title}]; line 0 (the whole file) has no row.
  setMarkers(findings) {
    this.markers = new Map();
    for (const f of findings) {
      if (!f.line) continue;
      const m = this.markers.get(f.line) || { severity: f.severity, titles: [] };
      if ((SEVERITY_RANK[f.severity] || 0) > (SEVERITY_RANK[m.severity] || 0)) m.severity = f.severity;
      m.titles.push(f.title);
      this.markers.set(f.line, m);
    }
    this.renderGutter();
  }

  lineCount() {
    const t = this.textarea.value;
    let n = 1;
    for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) === 10) n++;
    return n;
  }

  renderGutter() {
    const rows = [];
    const count = Math.max(this.lineCount(), ...this.markers.keys());
    for (let line = 1; line <= count; line++) {
      const row = document.createElement("div");
      row.className = "ln";
      row.dataset.line = String(line);
      row.textContent = String(line);
      const m = this.markers.get(line);
      if (m) {
        row.classList.add("marked", `sev-${m.severity}`);
        row.title = m.titles.join("\n");
      }
      rows.push(row);
    }
    // A spacer as tall as the textarea's horizontal scrollbar, so the last rows line up.
    const pad = document.createElement("div");
    pad.className = "ln-pad";
    rows.push(pad);
    this.gutter.replaceChildren(...rows);
    this.syncScroll();
  }

  syncScroll() {
    this.gutter.scrollTop = this.textarea.scrollTop;
  }

  // Puts the caret at LINE:COLUMN (1-based; planner's columns count bytes, which is the same
  // for the ASCII that configs are written in) and scrolls it into view.
  jumpTo(line, column) {
    const ls = this.textarea.value.split("\n");
    const l = Math.min(Math.max(line, 1), ls.length);
    let offset = 0;
    for (let i = 0; i < l - 1; i++) offset += ls[i].length + 1;
    offset += Math.min(Math.max(column, 1) - 1, ls[l - 1].length);
    this.textarea.focus();
    this.textarea.setSelectionRange(offset, offset);
    const lineHeight = parseFloat(getComputedStyle(this.textarea).lineHeight) || 18;
    this.textarea.scrollTop = Math.max(0, (l - 1) * lineHeight - this.textarea.clientHeight / 3);
    this.syncScroll();
    for (const row of this.gutter.querySelectorAll(".ln.current")) row.classList.remove("current");
    const row = this.gutter.children[l - 1];
    if (row) row.classList.add("current");
    if (this.onJump) this.onJump(l);
  }
}
