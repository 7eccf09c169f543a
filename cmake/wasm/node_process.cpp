// Linked into planner.js only (cmake/wasm.cmake): what emscripten 3.1.6 answers for the process
// without asking node. Its umask() starts at 0777 and geteuid() is always 0, so planner under node
// wrote new files with mode 0000 ('script -o run.sh'), and a user who is not root would be taken
// for root by atomic_write (files of other users replaced, their owner kept by fchown). Node's
// own answers instead; on Windows node has no uid, and 0 matches the uid its fs.stat reports.
#include <emscripten.h>
#include <sys/stat.h>
#include <unistd.h>

EM_JS(int, planner_node_umask, (), { return process.umask(); });
EM_JS(int, planner_node_euid, (), { return typeof process.geteuid === 'function' ? process.geteuid() : 0; });
EM_JS(int, planner_node_egid, (), { return typeof process.getegid === 'function' ? process.getegid() : 0; });
EM_JS(int, planner_node_uid, (), { return typeof process.getuid === 'function' ? process.getuid() : 0; });
EM_JS(int, planner_node_gid, (), { return typeof process.getgid === 'function' ? process.getgid() : 0; });

extern "C" {
uid_t geteuid(void) { return static_cast<uid_t>(planner_node_euid()); }
gid_t getegid(void) { return static_cast<gid_t>(planner_node_egid()); }
uid_t getuid(void) { return static_cast<uid_t>(planner_node_uid()); }
gid_t getgid(void) { return static_cast<gid_t>(planner_node_gid()); }
}

namespace {
// Before main: the umask every later umask() call reads back and restores.
__attribute__((constructor)) void take_node_umask() { ::umask(static_cast<mode_t>(planner_node_umask())); }
}  // namespace
