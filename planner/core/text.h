#pragma once
// Small string helpers shared by every stage.
#include <string>
#include <string_view>
#include <vector>

namespace planner {

std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` by edit distance (case-insensitive), or "" when none is
// close enough to be a plausible typo.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

// Up to `n` candidates ordered by closeness, only plausible ones.
std::vector<std::string> nearest_n(std::string_view word, const std::vector<std::string>& candidates,
                                   std::size_t n);

std::string to_lower(std::string_view s);

// True when `s` holds a C0 control character or DEL (a newline, an escape...).
bool has_control(std::string_view s);

// a == b ignoring ASCII case, without allocating (table lookups run on every check).
bool iequals(std::string_view a, std::string_view b);

// How many characters of one value from input a message shows. Two quoted values and the
// sentence around them stay well under 400 columns, and a 1 MB value costs 100 characters.
inline constexpr std::size_t kShownValueMax = 100;

// A value from input (a config, a model file, the command line) made safe to show on one line of
// output, in a terminal or pasted into a shell comment:
// - control characters are escaped visibly: \n \r \t; other C0 bytes and DEL as \x1b; C1
//   (U+0080-U+009F), the line/paragraph separators U+2028/U+2029 and the bidi controls
//   U+202A-U+202E, U+2066-U+2069 (which reorder what a terminal shows) as \u0085;
// - each byte that is not part of valid UTF-8 (overlong, surrogate, above U+10FFFF, cut short)
//   is shown as \xNN, so the result is always valid UTF-8;
// - a result longer than `max_chars` characters (an escape counts as the characters it is written
//   with) keeps its first max_chars characters, never cut inside a UTF-8 sequence or an escape,
//   and ends in "...". max_chars 0 means no cap.
// Backslashes are left as they are: this is a display form, not a reversible encoding.
std::string shown_value(std::string_view raw, std::size_t max_chars = kShownValueMax);

// shown_value without the cap: for whole lines that renderers print (the last line of defence:
// messages and source excerpts). `keep_tabs` leaves tabs raw (a source excerpt lines its caret up
// with them).
std::string shown_text(std::string_view raw, bool keep_tabs = false);

// `raw` with each byte that is not part of valid UTF-8 (as shown_value judges it) replaced by
// U+FFFD; valid text comes back unchanged. For text from files that is kept, not only shown:
// GGUF strings, which llama.cpp never checks, so that every output can carry them.
std::string valid_utf8(std::string_view raw);

// The byte offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF, nothing cut short), or std::string_view::npos.
std::size_t invalid_utf8_at(std::string_view s);

// The length in bytes of the well-formed UTF-8 character at `s[i]`, or 1 for a byte that starts
// none: such a byte counts as one character, as the U+FFFD an editor shows for it does.
std::size_t utf8_char_length(std::string_view s, std::size_t i);
// The UTF-16 code units of `s` (what LSP and SARIF count columns in): a 4-byte character is a
// surrogate pair, every other character (an ill-formed byte included) one unit.
std::size_t utf16_units(std::string_view s);

std::string join(const std::vector<std::string>& parts, std::string_view sep);
// A count and its noun: "1 error", "2 errors" (the nouns planner counts take an -s).
std::string plural(long long n, std::string_view word);

// Fixed-point helpers for messages: "12.48" (2 decimals), trailing zeros kept for alignment.
std::string fixed(double v, int decimals);
// Bytes as GiB with 2 decimals and the unit: "8.23 GiB".
std::string gib(double bytes);
// A parameter count in billions with 2 decimals: "15.71B".
std::string billions(double params);

}  // namespace planner
