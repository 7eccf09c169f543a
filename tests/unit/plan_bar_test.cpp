// The budget bar of `planner plan`: widths in, characters out; and byte figures scaled to widths.
#include <catch2/catch.hpp>

#include "render/plan.h"

using namespace planner;

TEST_CASE("Bar: segments, labels and free space, plain ASCII") {
  BarWidths w;
  w.weights = 18;
  w.kv = 6;
  w.overhead = 1;
  w.free = 20;
  //                   18 weights        6 KV  o 20 free
  CHECK(render_bar(w, false) == "[#####weights######==KV==o        free        ]");
}

TEST_CASE("Bar: labels only where they fit with a fill character each side") {
  BarWidths w;
  w.weights = 8;  // "weights" needs 9 columns
  w.kv = 3;       // "KV" needs 4
  w.overhead = 2;
  w.free = 5;     // "free" needs 6
  CHECK(render_bar(w, false) == "[########===oo     ]");
  w.weights = 9;
  w.kv = 4;
  w.free = 6;
  CHECK(render_bar(w, false) == "[#weights#=KV=oo free ]");
}

TEST_CASE("Bar: the GPU limit is a '|' at its column, overflow ends in '>'") {
  BarWidths w;
  w.weights = 4;
  w.kv = 2;
  w.overhead = 1;
  w.free = 3;
  w.gpu_mark = 8;
  CHECK(render_bar(w, false) == "[####==o | ]");
  w.gpu_mark = 0;
  CHECK(render_bar(w, false) == "[|###==o   ]");
  BarWidths full;
  full.weights = 6;
  full.kv = 3;
  full.overhead = 1;
  full.overflow = true;
  CHECK(render_bar(full, false) == "[######===o>");
}

TEST_CASE("Bar: color paints each segment, the text stays the same") {
  BarWidths w;
  w.weights = 2;
  w.kv = 2;
  w.overhead = 1;
  w.free = 2;
  w.gpu_mark = 5;
  CHECK(render_bar(w, true) == "[\x1b[34m##\x1b[0m\x1b[33m==\x1b[0m\x1b[35mo\x1b[0m\x1b[1;31m|\x1b[0m ]");
  CHECK(render_bar(w, false) == "[##==o| ]");
}

TEST_CASE("Bar widths: scaled to the width, always adding up to it") {
  const double gib = 1024.0 * 1024 * 1024;
  // The seed's code route on 16 GB: 8.23 + 2.11 + 0.34 GiB of a 12.48 GiB budget, GPU limit 10.67.
  BarWidths w = bar_widths(8.23 * gib, 2.11 * gib, 0.34 * gib, 12.48 * gib, 10.67 * gib, 60);
  CHECK(w.weights == 40);  // 8.23 / 12.48 x 60 = 39.6
  CHECK(w.kv == 10);       // (8.23 + 2.11) / 12.48 x 60 = 49.7 -> 50
  CHECK(w.overhead == 1);  // 10.68 / 12.48 x 60 = 51.3 -> 51
  CHECK(w.free == 9);
  CHECK(w.gpu_mark == 51);  // 10.67 / 12.48 x 60 = 51.3
  CHECK_FALSE(w.overflow);

  // A tiny overhead still shows as one column.
  BarWidths t = bar_widths(6 * gib, 0, 0.01 * gib, 12 * gib, std::nullopt, 60);
  CHECK(t.weights == 30);
  CHECK(t.kv == 0);
  CHECK(t.overhead == 1);
  CHECK(t.free == 29);
  CHECK(t.gpu_mark == -1);

  // Over the budget: the bar is full and overflows; a GPU limit above the scale is not marked.
  BarWidths o = bar_widths(10 * gib, 4 * gib, 1 * gib, 12 * gib, 16 * gib, 60);
  CHECK(o.weights + o.kv + o.overhead + o.free == 60);
  CHECK(o.weights == 50);
  CHECK(o.kv == 10);
  CHECK(o.overhead == 0);  // no room left
  CHECK(o.free == 0);
  CHECK(o.overflow);
  CHECK(o.gpu_mark == -1);

  // No budget (no RAM known): an empty bar rather than a division by zero.
  BarWidths z = bar_widths(1 * gib, 0, 0, 0, std::nullopt, 60);
  CHECK(z.weights + z.kv + z.overhead + z.free == 0);
}
