#pragma once
// An operating system's error as one English text, the same in every build of planner.
#include <string>
#include <system_error>

namespace planner {

// errno's text: glibc's wording for the errors file and process calls meet, so that the native
// build (glibc; macOS's libc words some differently) and the WebAssembly build (musl: "Symbolic
// link loop" for "Too many levels of symbolic links") print the same message; strerror's for
// any other error.
std::string errno_text(int err);

// An error_code's text: errno_text for the generic and system categories (std::filesystem's
// errors), message() for any other.
std::string error_text(const std::error_code& ec);

}  // namespace planner
