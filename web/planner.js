// planner's real command line, run in the page: one instance of the WebAssembly build
// (planner-web.mjs), one callMain per command, the config passed through its in-memory file
// system. The commands, flags and outputs are the native CLI's, so what the page shows is what
// `planner ...` prints.

// The config lives in /work and commands name it relative to that directory, so paths in the
// output (launch prefixes the config's directory) read as they do for `planner launch FILE`
// run next to the file.
const DIR = "/work";
export const CONFIG = "local-inference-config.yaml";

export async function loadPlanner(moduleUrl) {
  const { default: createPlanner } = await import(moduleUrl);
  let out = [];
  let err = [];
  const m = await createPlanner({ print: (s) => out.push(s), printErr: (s) => err.push(s) });
  try {
    m.FS.mkdir(DIR);
  } catch {
    // already there
  }
  m.FS.chdir(DIR);

  // Lines arrive without their newline; every line planner prints ends in one.
  const joined = (lines) => (lines.length ? `${lines.join("\n")}\n` : "");

  return {
    run(args) {
      out = [];
      err = [];
      let rc;
      try {
        rc = m.callMain(args);
      } catch (e) {
        // exit() inside main arrives as ExitStatus when the runtime is kept alive.
        if (e && e.name === "ExitStatus") rc = e.status;
        else throw e;
      }
      return { rc, stdout: joined(out), stderr: joined(err) };
    },
    writeConfig(text) {
      m.FS.writeFile(`${DIR}/${CONFIG}`, text);
    },
    readConfig() {
      return m.FS.readFile(`${DIR}/${CONFIG}`, { encoding: "utf8" });
    },
  };
}
