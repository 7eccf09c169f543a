#pragma once
// The message a reader throws (std::runtime_error), or "" when it returns: model-file tests pin
// the exact words of each refusal.
#include <functional>
#include <stdexcept>
#include <string>

inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}
