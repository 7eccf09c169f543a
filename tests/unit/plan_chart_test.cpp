// The budget chart of `planner plan --format svg|html|markdown`: its model (sections, limits, rows
// against the tightest limit), its geometry (widths proportional to bytes, the part over a limit),
// and the escaping of every value from the config in the three markup formats.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "check/check.h"
#include "estimate/analysis.h"
#include "load/document.h"
#include "render/markup.h"
#include "render/plan.h"
#include "render/plan_chart.h"

using namespace planner;

namespace {

constexpr double GiB = 1024.0 * 1024.0 * 1024.0;

// A Mac's section by hand: GPU wired limit 10 GiB, model budget 12, RAM 16.
ChartSection mac_section() {
  ChartSection s;
  s.device = "unified";
  s.limits = {{"RAM", 16 * GiB, ""}, {"GPU wired limit", 10 * GiB, ""}, {"model budget", 12 * GiB, ""}};
  s.reserve_from = 12 * GiB;
  s.reserve_to = 16 * GiB;
  ChartRow over;
  over.estimated = true;
  over.weights = 8 * GiB;
  over.kv = 2 * GiB;
  over.overhead = 1 * GiB;
  ChartRow small;
  small.estimated = true;
  small.weights = 4 * GiB;
  small.kv = 0.5 * GiB;
  small.state = 0.25 * GiB;
  small.overhead = 0.25 * GiB;
  s.rows = {over, small};
  finish_section(s);
  return s;
}

Analysis analysis_of(const std::string& yaml, LoadResult& loaded) {
  loaded = parse_yaml("config.yaml", yaml);
  REQUIRE(loaded.ok());
  return analyze(loaded.doc);
}

// A route whose name and model hold markup, quotes, an ampersand and control characters (YAML
// escapes: ESC, BEL, a newline); the model is unknown, so it appears as written.
const std::string kHostileYaml = R"(version: 1
hardware: {total_ram_gb: 16, os_reserve_percent: 22, architecture: apple_silicon}
inference: {preferred_format: MLX, quantization: Q4_K_M, max_context_tokens: 8192}
routing:
  "<script>alert(\"x\")</script> & 'q' | `c` *b* [l](http://e.x)\e[2J\a\n":
    model: "</text><script>x</script>\"'&\x01"
  ok:
    model: qwen3.5-9b
)";

}  // namespace

TEST_CASE("Chart: limits sorted, the axis is the largest, rows measured against the tightest", "[plan_chart]") {
  const ChartSection s = mac_section();
  REQUIRE(s.limits.size() == 3);
  CHECK(s.limits[0].name == "GPU wired limit");
  CHECK(s.limits[2].name == "RAM");
  CHECK(s.scale_bytes == 16 * GiB);
  CHECK(s.rows[0].over_bytes == Approx(1 * GiB));
  CHECK(*s.rows[0].share == Approx(1.1));
  CHECK(s.rows[1].over_bytes == 0);
  CHECK(*s.rows[1].share == Approx(0.5));
  CHECK(chart_row_verdict(s.rows[0], s) == "1.00 GiB over the GPU wired limit");
  CHECK(chart_row_verdict(s.rows[1], s) == "fits");
}

TEST_CASE("Chart: segment widths are proportional to bytes, the over part starts at the limit", "[plan_chart]") {
  const ChartSection s = mac_section();
  // 500 px for 16 GiB: 31.25 px a GiB, from x = 230.
  const BarGeometry g = bar_geometry(s.rows[0], s, 230, 500);
  CHECK(g.weights.x == Approx(230));
  CHECK(g.weights.w == Approx(250));   // 8 GiB
  CHECK(g.kv.x == Approx(480));
  CHECK(g.kv.w == Approx(62.5));       // 2 GiB
  CHECK(g.state.w == Approx(0));
  CHECK(g.overhead.x == Approx(542.5));
  CHECK(g.overhead.w == Approx(31.25));  // 1 GiB
  CHECK(g.end == Approx(573.75));
  REQUIRE(g.over);
  CHECK(g.over->x == Approx(542.5));   // the GPU wired limit, 10 GiB
  CHECK(g.over->w == Approx(31.25));   // the 1 GiB past it
  const BarGeometry h = bar_geometry(s.rows[1], s, 230, 500);
  CHECK(h.state.x == Approx(230 + 4.5 * 31.25));
  CHECK(h.state.w == Approx(0.25 * 31.25));
  CHECK(h.end == Approx(230 + 5 * 31.25));
  CHECK_FALSE(h.over);
}

TEST_CASE("Chart: a sliver over a limit is still drawn, a row past RAM stretches the axis", "[plan_chart]") {
  ChartSection s = mac_section();
  s.rows[1].weights = 10 * GiB + 0.01 * GiB;  // 0.01 GiB over: 0.3 px at this scale
  s.rows[1].kv = s.rows[1].state = s.rows[1].overhead = 0;
  ChartRow huge;
  huge.estimated = true;
  huge.weights = 20 * GiB;
  s.rows.push_back(huge);
  finish_section(s);
  CHECK(s.scale_bytes == 20 * GiB);
  const BarGeometry g = bar_geometry(s.rows[1], s, 0, 400);
  REQUIRE(g.over);
  CHECK(g.over->x == Approx(200));  // 10 of 20 GiB
  CHECK(g.over->w == Approx(2));    // min_over, not 0.2 px
  CHECK(chart_x(16 * GiB, s.scale_bytes, 0, 400) == Approx(320));  // the RAM line
  CHECK(chart_row_verdict(s.rows[2], s) == "10.00 GiB over the GPU wired limit, past RAM");
  s.rows[2].weights = 13 * GiB;
  finish_section(s);
  CHECK(chart_row_verdict(s.rows[2], s) == "3.00 GiB over the GPU wired limit, past the model budget");
  CHECK(chart_x(30 * GiB, s.scale_bytes, 0, 400) == Approx(400));  // clamped to the axis
}

TEST_CASE("Chart of the seed: one unified section, the code route 0.02 GiB over the wired limit", "[plan_chart]") {
  LoadResult loaded;
  const std::string yaml = R"(version: 1
hardware: {total_ram_gb: 16, os_reserve_percent: 22, architecture: apple_silicon}
inference: {preferred_format: MLX, quantization: Q4_K_M, max_context_tokens: 8192, kv_cache_reserve_percent: 35}
routing:
  code: {model: deepseek-coder-v2-7b, format: MLX}
  quick_qa: {model: phi3-mini-3.8b, format: MLX}
)";
  const Analysis a = analysis_of(yaml, loaded);
  const PlanChart c = plan_chart(a);
  REQUIRE(c.sections.size() == 1);
  const ChartSection& s = c.sections[0];
  CHECK(s.title == "unified memory (Apple silicon)");
  REQUIRE(s.limits.size() == 3);
  CHECK(s.limits[0].name == "GPU wired limit");
  CHECK(gib(s.limits[0].bytes) == "10.67 GiB");
  CHECK(s.limits[1].name == "model budget");
  CHECK(gib(s.limits[1].bytes) == "12.48 GiB");
  REQUIRE(s.rows.size() == 2);
  CHECK(gib(s.rows[0].total()) == "10.69 GiB");  // the text plan's figure (README, plan-output)
  CHECK(chart_row_verdict(s.rows[0], s) == "0.02 GiB over the GPU wired limit");
  CHECK(chart_row_verdict(s.rows[1], s) == "fits");
  REQUIRE(c.verdicts.size() == 2);
  CHECK(c.verdicts[0].second == "over the GPU limit");
  CHECK(fitting_routes(c) == 1);
}

TEST_CASE("Chart of two GPUs: a section per GPU, then host RAM", "[plan_chart]") {
  LoadResult loaded;
  const std::string yaml = R"(version: 1
hardware:
  total_ram_gb: 64
  architecture: linux_nvidia
  gpus: [{chip: RTX 3090}, {chip: RTX 3090}]
inference: {preferred_format: GGUF, quantization: Q4_K_M, max_context_tokens: 8192}
routing:
  big: {model: qwen2.5-14b}
)";
  const Analysis a = analysis_of(yaml, loaded);
  const PlanChart c = plan_chart(a);
  REQUIRE(c.sections.size() == 3);
  CHECK(c.sections[0].title == "gpu0 VRAM");
  CHECK(c.sections[1].title == "gpu1 VRAM");
  CHECK(c.sections[2].title == "host RAM");
  REQUIRE(c.sections[0].limits.size() == 1);
  CHECK(c.sections[0].limits[0].name == "VRAM");
  CHECK(gib(c.sections[0].limits[0].bytes) == "24.00 GiB");
  // Each GPU's row is that GPU's share of the route (memory_by_device), not the whole route.
  const RouteAnalysis& ra = a.routes[0];
  REQUIRE(ra.devices.size() == 3);
  CHECK(c.sections[0].rows[0].total() == Approx(ra.devices[0].total()));
  CHECK(c.sections[1].rows[0].total() == Approx(ra.devices[1].total()));
  CHECK(c.sections[2].rows[0].total() == Approx(ra.devices[2].total()));
}

TEST_CASE("xml_text and markdown_text escape markup, quotes and control characters", "[plan_chart][hostile]") {
  CHECK(xml_text("<a href=\"x\">&'</a>") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  CHECK(xml_text("a\x1b[2J\x07\nb") == "a\\x1b[2J\\x07\\nb");
  CHECK(xml_text("\xef\xbf\xbe\xef\xbf\xbf\xff") == "\\uFFFE\\uFFFF\\xff");  // not XML characters
  CHECK(xml_text(std::string(300, 'x')).size() == 103);  // cut at 100 like every shown value
  CHECK(xml_text(std::string(300, 'x'), 0).size() == 300);
  CHECK(markdown_text("a|b `c` *d* _e_ [f](g) <h> &") ==
        "a\\|b \\`c\\` \\*d\\* \\_e\\_ \\[f\\]\\(g\\) &lt;h&gt; &amp;");
  CHECK(markdown_text("back\\slash\x1b") == "back\\\\slash\\\\x1b");
  CHECK(markdown_text("www.evil.example") == "www\\.evil\\.example");  // no autolink
}

TEST_CASE("SVG, HTML and markdown of a hostile route and model name: escaped everywhere", "[plan_chart][hostile]") {
  LoadResult loaded;
  const Analysis a = analysis_of(kHostileYaml, loaded);
  REQUIRE(a.routes.size() == 2);
  const std::string path = "dir/<b>&\"evil\".yaml";
  std::ostringstream svg, html, md;
  render_plan_svg(svg, path, a);
  render_plan_html(html, path, a, {});
  render_plan_markdown(md, path, a, {});
  for (const std::string& s : {svg.str(), html.str()}) {
    CHECK(s.find("<script") == std::string::npos);
    CHECK(s.find("</text><script") == std::string::npos);
    CHECK(s.find("<b>") == std::string::npos);
    CHECK(s.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;") != std::string::npos);
    CHECK(s.find("dir/&lt;b&gt;&amp;&quot;evil&quot;.yaml: memory plan") != std::string::npos);
    CHECK(s.find("\\x1b[2J\\x07\\n") != std::string::npos);
    bool raw_control = false;
    for (unsigned char ch : s) raw_control = raw_control || (ch < 0x20 && ch != '\n');
    CHECK_FALSE(raw_control);
  }
  const std::string m = md.str();
  CHECK(m.find("<script") == std::string::npos);
  CHECK(m.find("&lt;script&gt;alert\\(\\\"x\\\"\\)&lt;/script&gt; &amp; \\'q\\' \\| \\`c\\` \\*b\\*") != std::string::npos);
  // Every table line has its 12 cell separators whatever the names hold: an escaped '|' is "\|".
  std::istringstream lines(m);
  int table_lines = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| ", 0) != 0) continue;
    ++table_lines;
    int bars = 0;
    for (std::size_t i = 0; i < line.size(); ++i)
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++bars;
    CHECK(bars == 12);
  }
  CHECK(table_lines == 4);  // the header, its rule ("| --- |"), two routes
}

TEST_CASE("SVG: an svg element with its namespace, title and desc, no XML declaration", "[plan_chart]") {
  LoadResult loaded;
  const Analysis a = analysis_of(kHostileYaml, loaded);
  std::ostringstream svg;
  render_plan_svg(svg, "c.yaml", a);
  const std::string s = svg.str();
  CHECK(s.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" ", 0) == 0);
  CHECK(s.find("role=\"img\"") != std::string::npos);
  CHECK(s.find("<title id=\"planner-plan-title\">c.yaml: memory plan</title>") != std::string::npos);
  CHECK(s.find("<desc id=\"planner-plan-desc\">") != std::string::npos);
  CHECK(s.find("<?xml") == std::string::npos);
  CHECK(s.substr(s.size() - 7) == "</svg>\n");
  // The same text twice: no clock, no address, nothing that changes between runs.
  std::ostringstream again;
  render_plan_svg(again, "c.yaml", a);
  CHECK(again.str() == s);
}
