// errno_text: one wording in every build (the native one on glibc or macOS, the wasm one on musl).
#include <catch2/catch.hpp>

#include <cerrno>
#include <filesystem>
#include <ios>
#include <system_error>

#include "core/errno_text.h"

using namespace planner;

TEST_CASE("errno_text: glibc's words where musl's differ", "[core]") {
  CHECK(errno_text(ELOOP) == "Too many levels of symbolic links");  // musl: "Symbolic link loop"
  CHECK(errno_text(ENAMETOOLONG) == "File name too long");            // musl: "Filename too long"
  CHECK(errno_text(EIO) == "Input/output error");                     // musl: "I/O error"
  CHECK(errno_text(EXDEV) == "Invalid cross-device link");            // musl and macOS: "Cross-device link"
  CHECK(errno_text(ENOENT) == "No such file or directory");
  CHECK(errno_text(ENOTSUP) == "Operation not supported");
  CHECK(errno_text(EOPNOTSUPP) == "Operation not supported");
}

TEST_CASE("error_text: std::filesystem's errors in the same words, other categories their own", "[core]") {
  CHECK(error_text(std::make_error_code(std::errc::too_many_symbolic_link_levels)) ==
        "Too many levels of symbolic links");
  CHECK(error_text(std::error_code(ELOOP, std::system_category())) == "Too many levels of symbolic links");
  std::error_code ec;
  (void)std::filesystem::file_size("/nonexistent-planner-dir/x", ec);
  REQUIRE(ec);
  CHECK(error_text(ec) == "No such file or directory");
  const std::error_code io = std::make_error_code(std::io_errc::stream);
  CHECK(error_text(io) == io.message());
}
