#include "fix/unified_diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace planner {

namespace {
// Lines keep their newline, so a missing final newline shows as a change, as diff(1) shows it.
std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t nl = s.find('\n', start);
    std::size_t end = nl == std::string_view::npos ? s.size() : nl + 1;
    out.push_back(s.substr(start, end - start));
    start = end;
  }
  return out;
}

enum class Op { keep, del, add };
struct DiffStep {
  Op op;
  std::size_t a, b;  // line indexes in before / after
};

// Myers' O((N+M)D) greedy diff over the lines between the common prefix and suffix. Fixes change
// a few lines, so D stays small; each round's frontier is kept (O(D^2) memory) to walk the path
// back. Past kMaxD the middle becomes one replacement.
std::vector<DiffStep> diff_lines(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre && a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) ++suf;
  const long n = static_cast<long>(a.size() - pre - suf), m = static_cast<long>(b.size() - pre - suf);
  auto A = [&](long i) { return a[pre + static_cast<std::size_t>(i)]; };
  auto B = [&](long j) { return b[pre + static_cast<std::size_t>(j)]; };

  constexpr long kMaxD = 2000;
  const long max = std::min(n + m, kMaxD);
  std::vector<long> v(2 * static_cast<std::size_t>(max) + 3, 0);
  const long offset = max + 1;
  std::vector<std::vector<long>> trace;  // trace[d]: v[k] for k in [-(d-1), d-1] before round d
  long found_d = -1;
  for (long d = 0; d <= max && found_d < 0; ++d) {
    if (d == 0) trace.emplace_back();
    else trace.emplace_back(v.begin() + (offset - d + 1), v.begin() + (offset + d));
    for (long k = -d; k <= d; k += 2) {
      long x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1]
                                                                              : v[offset + k - 1] + 1;
      long y = x - k;
      while (x < n && y < m && A(x) == B(y)) ++x, ++y;
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found_d = d;
        break;
      }
    }
  }

  std::vector<DiffStep> middle;
  auto keep = [&](long x, long y) { middle.push_back({Op::keep, pre + static_cast<std::size_t>(x), pre + static_cast<std::size_t>(y)}); };
  auto del = [&](long x, long y) { middle.push_back({Op::del, pre + static_cast<std::size_t>(x), pre + static_cast<std::size_t>(y)}); };
  auto add = [&](long x, long y) { middle.push_back({Op::add, pre + static_cast<std::size_t>(x), pre + static_cast<std::size_t>(y)}); };
  if (found_d < 0) {  // too different: the middle removed, then added
    for (long j = m - 1; j >= 0; --j) add(n, j);
    for (long i = n - 1; i >= 0; --i) del(i, 0);
  } else {
    long x = n, y = m;
    for (long d = found_d; d > 0; --d) {
      const auto& pv = trace[static_cast<std::size_t>(d)];
      auto at = [&](long k) { return pv[static_cast<std::size_t>(k + d - 1)]; };
      long k = x - y;
      long prev_k = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
      long px = at(prev_k), py = px - prev_k;
      while (x > px && y > py) --x, --y, keep(x, y);
      if (x == px) --y, add(x, y);
      else --x, del(x, y);
    }
    while (x > 0 && y > 0) --x, --y, keep(x, y);
  }
  std::vector<DiffStep> steps;
  for (std::size_t i = 0; i < pre; ++i) steps.push_back({Op::keep, i, i});
  steps.insert(steps.end(), middle.rbegin(), middle.rend());
  for (std::size_t i = 0; i < suf; ++i)
    steps.push_back({Op::keep, a.size() - suf + i, b.size() - suf + i});
  return steps;
}

void emit_line(std::string& out, char sign, std::string_view line) {
  out += sign;
  out.append(line);
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}
}  // namespace

std::string unified_diff(std::string_view before, std::string_view after, std::string_view label_before,
                         std::string_view label_after, int context) {
  if (before == after) return "";
  auto a = split_lines(before), b = split_lines(after);
  auto steps = diff_lines(a, b);
  std::string out = fmt::format("--- {}\n+++ {}\n", label_before, label_after);
  const std::size_t ctx = static_cast<std::size_t>(std::max(context, 0));
  std::size_t i = 0;
  while (i < steps.size()) {
    if (steps[i].op == Op::keep) {
      ++i;
      continue;
    }
    // A hunk: from ctx lines before this change to ctx lines after the last change that is
    // within 2*ctx unchanged lines of the previous one.
    std::size_t start = i >= ctx ? i - ctx : 0;
    std::size_t end = i;
    while (end < steps.size()) {
      if (steps[end].op != Op::keep) {
        ++end;
        continue;
      }
      std::size_t run = end;
      while (run < steps.size() && steps[run].op == Op::keep) ++run;
      if (run == steps.size() || run - end > 2 * ctx) break;
      end = run;
    }
    std::size_t stop = std::min(steps.size(), end + ctx);
    std::size_t a_start = steps[start].a, b_start = steps[start].b, a_len = 0, b_len = 0;
    for (std::size_t s = start; s < stop; ++s) {
      if (steps[s].op != Op::add) ++a_len;
      if (steps[s].op != Op::del) ++b_len;
    }
    // diff(1)'s convention: an empty side names the line before it.
    out += fmt::format("@@ -{},{} +{},{} @@\n", a_len ? a_start + 1 : a_start, a_len, b_len ? b_start + 1 : b_start,
                       b_len);
    for (std::size_t s = start; s < stop; ++s) {
      const auto& st = steps[s];
      if (st.op == Op::keep) emit_line(out, ' ', a[st.a]);
      else if (st.op == Op::del) emit_line(out, '-', a[st.a]);
      else emit_line(out, '+', b[st.b]);
    }
    i = stop;
  }
  return out;
}

}  // namespace planner
