#pragma once
// `plan --measured` as JSON: the "measured" member of the plan (docs/output-formats.md).
#include <nlohmann/json.hpp>

#include "measured/compare.h"

namespace planner {

nlohmann::ordered_json measured_json(const MeasuredComparison& c);

}  // namespace planner
