#pragma once
// `planner route` output: the chosen model and every candidate with why it was passed over.
#include <ostream>

#include "select/select.h"

namespace planner {

void render_route_text(std::ostream& out, const SelectContext& ctx, const TaskSelection& s);
void render_route_json(std::ostream& out, const SelectContext& ctx, const TaskSelection& s);

}  // namespace planner
