#pragma once
// Text from model files: made valid UTF-8, so that every output format (JSON above all) can
// carry it (GGUF strings are bytes with no encoding check in llama.cpp's reader; the JSON parser
// checks config.json and safetensors headers), and shown in one-line messages.
#include <string>
#include <string_view>

namespace planner {

// `s` with every ill-formed sequence (a stray continuation byte, a truncated sequence, an overlong
// form, a surrogate, a code point above U+10FFFF) replaced by U+FFFD, one per maximal ill-formed
// subpart as Unicode 15 §3.9 recommends. Valid text comes back unchanged.
std::string valid_utf8(std::string_view s);

// Whether `s` is valid UTF-8 (the test valid_utf8 uses).
bool is_valid_utf8(std::string_view s);

// A name or value from a file as a one-line message quotes it: control characters (which could
// move the cursor or start a line on a terminal) shown as '?', cut after `max` bytes at a
// character boundary, with "..." when cut. `s` must be valid UTF-8.
std::string shown(std::string_view s, std::size_t max = 80);

}  // namespace planner
