#pragma once
// `planner detect` output: text for people, JSON (version 1, sizes in bytes) for scripts.
#include <ostream>
#include <string>

#include "detect/detect.h"

namespace planner::detect {

void render_detection_text(std::ostream& out, const Detection& d, const std::string& origin);
void render_detection_json(std::ostream& out, const Detection& d, const std::string& origin);

}  // namespace planner::detect
