// LI002 schema-violation: raised by the validate stage (planner/validate), documented here.
#include "rules/rule.h"

namespace planner {

extern const Rule kSchemaViolation = {
    "LI002", "schema-violation", Severity::error,
    "a value does not conform to the config schema (type, range, enum, required key)",
    R"(## What it does
Validates the file against planner's JSON Schema (`planner schema` prints it; the file is
`schema/local-inference-config.schema.json`): required sections and keys, value types under the
YAML 1.2 core schema, enums (`MLX`/`GGUF`, architectures, KV cache types) and ranges.
Beside the schema, what it cannot say readably: route names (a letter, then letters, digits, `_`
or `-`), a `models:` entry's `layer_pattern.full_at` below its period and `moe.experts_per_token`
no more than its experts, and `validation.prompts` free of control characters (the run script
opens and logs that file name on one line; a newline or an escape in it would split the log or act
on the terminal).

## Why is this bad?
YAML guesses types: `total_ram_gb: "16"` is a string, `yes` is a string in YAML 1.2 (not a
boolean), `8k` is not a number. Tools that coerce silently compute with the wrong values.

## Example
```yaml
hardware:
  total_ram_gb: "16"        # a quoted string, not a number
  architecture: apple       # not one of the architectures
```

## Fix
Write the value with the type the message asks for: `total_ram_gb: 16`,
`architecture: apple_silicon`. A number written in quotes where a number is expected
(`total_ram_gb: "16"`) has a safe fix: `planner fix` drops the quotes.
)",
    nullptr};

}  // namespace planner
