// LI001 invalid-yaml: raised by the load stage (planner/load), documented here.
#include "rules/rule.h"

namespace planner {

extern const Rule kInvalidYaml = {
    "LI001", "invalid-yaml", Severity::error,
    "the file is not a single, well-formed, reasonably sized YAML document",
    R"(## What it does
Reports files that cannot be read as one YAML document: syntax errors (with the line and column
the parser stopped at), binary data or invalid UTF-8, more than one document, duplicate keys,
unsupported tags, files over 1 MiB, nesting deeper than 64 levels, and aliases or merge keys
that expand to more than 100,000 nodes (the "billion laughs" attack).

## Why is this bad?
Nothing else can be checked until the file parses. YAML parsers differ on duplicate keys (the
last one silently wins in many), and alias bombs make naive tools hang or run out of memory.

## Example
```yaml
inference:
  quantization: Q4_K_M
  quantization: Q5_K_M   # duplicate key
routing: [code: x      # unclosed flow sequence
```

## Fix
Correct the YAML at the reported location. Keys must be unique within a mapping.
)",
    nullptr};

}  // namespace planner
