#include "core/errno_text.h"

#include <cerrno>
#include <cstring>

namespace planner {

std::string errno_text(int err) {
  // The texts glibc 2.36's strerror gives (Debian 12; printed by a program compiled on it, beside
  // the same program built with Debian's emscripten 3.1.6, whose musl texts differ for EIO,
  // ENOMEM, EBUSY, EXDEV, EMFILE, ESPIPE, ENAMETOOLONG, ELOOP, EOPNOTSUPP, EDQUOT, EOVERFLOW).
  switch (err) {
    case EPERM: return "Operation not permitted";
    case ENOENT: return "No such file or directory";
    case EINTR: return "Interrupted system call";
    case EIO: return "Input/output error";
    case ENXIO: return "No such device or address";
    case EBADF: return "Bad file descriptor";
    case EAGAIN: return "Resource temporarily unavailable";
    case ENOMEM: return "Cannot allocate memory";
    case EACCES: return "Permission denied";
    case EBUSY: return "Device or resource busy";
    case EEXIST: return "File exists";
    case EXDEV: return "Invalid cross-device link";
    case ENODEV: return "No such device";
    case ENOTDIR: return "Not a directory";
    case EISDIR: return "Is a directory";
    case EINVAL: return "Invalid argument";
    case ENFILE: return "Too many open files in system";
    case EMFILE: return "Too many open files";
    case ETXTBSY: return "Text file busy";
    case EFBIG: return "File too large";
    case ENOSPC: return "No space left on device";
    case ESPIPE: return "Illegal seek";
    case EROFS: return "Read-only file system";
    case ENAMETOOLONG: return "File name too long";
    case ENOSYS: return "Function not implemented";
    case ENOTEMPTY: return "Directory not empty";
    case ELOOP: return "Too many levels of symbolic links";
    case EDQUOT: return "Disk quota exceeded";
    case EOVERFLOW: return "Value too large for defined data type";
    default: break;
  }
  // ENOTSUP and EOPNOTSUPP are one value on Linux and two on macOS: not cases of one switch.
  if (err == EOPNOTSUPP || err == ENOTSUP) return "Operation not supported";
  return std::strerror(err);
}

std::string error_text(const std::error_code& ec) {
  if (ec.category() == std::generic_category() || ec.category() == std::system_category())
    return errno_text(ec.value());
  return ec.message();
}

}  // namespace planner
