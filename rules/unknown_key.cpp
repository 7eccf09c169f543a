// LI003 unknown-key: raised by the validate stage (planner/validate), documented here.
#include "rules/rule.h"

namespace planner {

extern const Rule kUnknownKey = {
    "LI003", "unknown-key", Severity::error,
    "a key the format does not define (with the nearest valid key)",
    R"(## What it does
Reports keys that the format does not define, and names the nearest valid key when one is
close (edit distance).

## Why is this bad?
A misspelt key is silently ignored by the tools that read the file: `kv_cache_reserve_pct: 35`
leaves the reserve at its default and nobody notices.

## Example
```yaml
inference:
  max_context_token: 8192   # unknown key; did you mean 'max_context_tokens'?
```

## Fix
Rename the key to the one suggested. `planner fix` applies this rename (a safe fix).
)",
    nullptr};

}  // namespace planner
