#pragma once
// Values from input made safe for the markup formats of the plan (SVG, HTML, GitHub markdown).
// Each first goes through shown_value (core/text.h): control characters escaped visibly, invalid
// UTF-8 as \xNN, long values cut; then the format's own escaping.
#include <string>
#include <string_view>

#include "core/text.h"

namespace planner {

// Text for an XML or HTML element or attribute value: & < > " ' as character references, and the
// two non-characters XML 1.0 forbids (U+FFFE, U+FFFF) shown as \uFFFE, \uFFFF. max_chars as for
// shown_value; 0: not cut (a path, a whole message).
std::string xml_text(std::string_view raw, std::size_t max_chars = kShownValueMax);

// Text for GitHub-flavoured markdown, a table cell included: every ASCII punctuation character
// that markdown or a table gives a meaning to (\ ` * _ { } [ ] ( ) # + - . ! | ~ : and the like)
// backslash-escaped, & < > as character references, so no value opens a link, a code span, an
// HTML tag or a new cell.
std::string markdown_text(std::string_view raw, std::size_t max_chars = kShownValueMax);

}  // namespace planner
