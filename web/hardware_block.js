// The `hardware:` section of a config as text, so a machine that `planner init` wrote can
// replace the editor's without touching anything else (comments, key order, the other
// sections). The section runs from its top-level `hardware:` line to the next line that starts
// a top-level key; comment and blank lines just before that key belong to the key, not to
// hardware. A flow mapping (`hardware: {ram: 16}`) is one line. Configs without a block get the
// new one at the top.

const TOP_KEY = /^[^\s#]/;
const HARDWARE = /^hardware\s*:/;

function lines(text) {
  const out = text.split("\n");
  if (out.length && out[out.length - 1] === "") out.pop();
  return out;
}

// [begin, end) line indices of the section, or null.
export function hardwareRange(text) {
  const ls = lines(text);
  const begin = ls.findIndex((l) => HARDWARE.test(l));
  if (begin < 0) return null;
  let end = begin + 1;
  while (end < ls.length && !TOP_KEY.test(ls[end])) end++;
  // Hand the comments and blank lines that lead into the next key back to it.
  while (end > begin + 1 && /^(#.*|\s*)$/.test(ls[end - 1])) end--;
  return { begin, end, lines: ls };
}

export function hardwareBlock(text) {
  const r = hardwareRange(text);
  return r ? r.lines.slice(r.begin, r.end).join("\n") : null;
}

export function replaceHardware(text, block) {
  const r = hardwareRange(text);
  const trail = text.endsWith("\n") ? "\n" : "";
  if (!r) return `${block}\n${text}`;
  const ls = r.lines;
  return [...ls.slice(0, r.begin), block, ...ls.slice(r.end)].join("\n") + trail;
}
