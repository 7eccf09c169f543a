#pragma once
// Every problem that stops a file from loading is reported as rule LI001 (invalid-yaml), so the
// YAML itself is linted like everything else: a diagnostic with a location, exit code 1.
#include <string>

#include "core/diagnostic.h"

namespace planner {

inline Diagnostic load_error(const std::string& file, int line, int column, std::string message) {
  Diagnostic d;
  d.code = "LI001";
  d.name = "invalid-yaml";
  d.severity = Severity::error;
  d.file = file;
  d.line = line;
  d.column = column;
  d.message = std::move(message);
  return d;
}

}  // namespace planner
