// HardwareTables::match: a chip or GPU name as people write it, to its data/hardware.yaml entry.
// Names are compared word by word after dropping what only brands them ("NVIDIA", "GeForce",
// "RTX", "Apple"); the sizes and core counts a name carries pick among variants, never widen
// the match, so "RTX 4060" is not a "RTX 4060 Ti" and "M3" is not an "M3 Pro".
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "core/text.h"
#include "resolve/hardware.h"

namespace planner {

namespace {

// A name taken apart: the words that name the part, and the variant facts it carries.
struct ParsedName {
  std::vector<std::string> key;      // {"4060", "ti"}, {"m4", "max"}, {"h100", "hbm3"}
  std::optional<double> memory_gb;   // "24GB", "(24 GB)": VRAM on a GPU, RAM on a Mac
  std::optional<int> gpu_cores, cpu_cores;
  std::string form;                  // "sxm" | "pcie" | "": the board, where the table splits by it
  bool apple = false;                // the first word is an Apple family: m1, m2, ...
  std::string key_text() const { return join(key, " "); }
};

bool digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_number(const std::string& t) {
  return !t.empty() && digit(t[0]) && std::all_of(t.begin(), t.end(), [](char c) { return digit(c) || c == '.'; });
}
bool apple_family(const std::string& t) {  // "m1" ... "m9", "m10": Apple's chip generations
  return t.size() >= 2 && t[0] == 'm' && std::all_of(t.begin() + 1, t.end(), digit);
}

// Lower-case words; punctuation separates them, and so does the step from a number to letters
// ("24gb", "4060ti", "m4max"); "rtx4090" loses its brand prefix the same way.
std::vector<std::string> words(std::string_view raw) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
  };
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(raw[i])));
    const bool keep_dot = c == '.' && !cur.empty() && digit(cur.back()) && i + 1 < raw.size() && digit(raw[i + 1]);
    if (!alpha(c) && !digit(c) && !keep_dot) {
      flush();
      continue;
    }
    if (!cur.empty() && digit(cur.back()) && alpha(c)) flush();
    if (!cur.empty() && alpha(cur.back()) && digit(c) && (cur == "rtx" || cur == "gtx")) flush();
    cur.push_back(c);
  }
  flush();
  return out;
}

ParsedName parse_name(std::string_view raw) {
  ParsedName p;
  const std::vector<std::string> w = words(raw);
  auto is = [&](std::size_t i, std::initializer_list<const char*> any) {
    if (i >= w.size()) return false;
    return std::any_of(any.begin(), any.end(), [&](const char* a) { return w[i] == a; });
  };
  for (std::size_t i = 0; i < w.size(); ++i) {
    const std::string& t = w[i];
    if (t == "nvidia" || t == "geforce" || t == "apple" || t == "rtx") continue;  // brand words
    if (t == "sxm" || t == "sxm2" || t == "sxm4" || t == "sxm5") {
      p.form = "sxm";
      continue;
    }
    if (t == "pcie") {
      p.form = "pcie";
      continue;
    }
    if (is_number(t)) {
      const double n = std::atof(t.c_str());
      if (is(i + 1, {"gb", "gib", "g"})) {
        p.memory_gb = n;
        ++i;
      } else if (is(i + 1, {"mib"})) {  // nvidia-smi's memory.total
        p.memory_gb = n / 1024.0;
        ++i;
      } else if (is(i + 1, {"gpu"})) {
        p.gpu_cores = static_cast<int>(n);
        i += is(i + 2, {"core", "cores"}) ? 2 : 1;
      } else if (is(i + 1, {"cpu"})) {
        p.cpu_cores = static_cast<int>(n);
        i += is(i + 2, {"core", "cores"}) ? 2 : 1;
      } else if (is(i + 1, {"core", "cores", "c"})) {
        if (is(i + 2, {"cpu"})) p.cpu_cores = static_cast<int>(n);
        else p.gpu_cores = static_cast<int>(n);
        i += is(i + 2, {"gpu", "cpu"}) ? 2 : 1;
      } else if (p.apple && !p.gpu_cores && n < 1000) {
        p.gpu_cores = static_cast<int>(n);  // "M4 Max 40": the GPU bin
      } else {
        p.key.push_back(t);  // "4090", "3060"
      }
      continue;
    }
    if (p.apple && (t == "gpu" || t == "cpu" || t == "core" || t == "cores")) continue;
    if (p.key.empty() && apple_family(t)) p.apple = true;
    p.key.push_back(t);
  }
  return p;
}

// A VRAM as marketed ("16GB") or as nvidia-smi shows it (15.996 GiB) matches the entry's.
bool vram_matches(const ChipInfo& c, const ParsedName& entry_name, double gb) {
  const double nominal = entry_name.memory_gb ? *entry_name.memory_gb : std::round(c.vram_gib);
  return std::abs(c.vram_gib - gb) <= 0.5 || std::abs(nominal - gb) <= 0.5;
}

enum class Sold { yes, unverified, no, not_known };
Sold sold_with(const ChipInfo& c, double ram) {
  auto in = [ram](const std::vector<double>& v) {
    return std::any_of(v.begin(), v.end(), [ram](double x) { return std::abs(x - ram) < 0.5; });
  };
  if (in(c.ram_gb)) return Sold::yes;
  if (in(c.ram_gb_unverified)) return Sold::unverified;
  if (!c.ram_gb.empty()) return Sold::no;
  if (c.ram_gb_max > 0) return ram <= c.ram_gb_max + 0.5 ? Sold::yes : Sold::no;
  return Sold::not_known;
}

}  // namespace

ChipMatch HardwareTables::match(std::string_view name, std::optional<double> ram_gb,
                                std::optional<double> vram_gib) const {
  using Status = ChipMatch::Status;
  ChipMatch m;
  // No part name is this long; the edit distances for `closest` cost the product of the lengths.
  if (name.size() > 256) return m;
  const ParsedName q = parse_name(name);
  m.named_memory_gb = q.memory_gb;

  // The entries whose name (or nvidia-smi name) has the same words, then those the variant facts
  // of the name allow.
  std::vector<const ChipInfo*> family, fit;
  for (const auto& c : chips_) {
    const ParsedName own = parse_name(c.name);
    const ParsedName smi = parse_name(c.smi_name);
    const bool same = own.key == q.key || (!c.smi_name.empty() && smi.key == q.key);
    if (!same || q.key.empty()) continue;
    family.push_back(&c);
    if (!q.form.empty() && own.form != q.form && smi.form != q.form) continue;
    if (c.apple) {
      const auto& opts = c.gpu_cores_options;
      if (q.gpu_cores && c.gpu_cores != *q.gpu_cores && std::find(opts.begin(), opts.end(), *q.gpu_cores) == opts.end())
        continue;
      if (q.cpu_cores && !c.variant.empty()) {
        const ParsedName v = parse_name(c.variant);
        if (v.cpu_cores && *v.cpu_cores != *q.cpu_cores) continue;
      }
    } else if (q.memory_gb && !vram_matches(c, own, *q.memory_gb)) {
      continue;
    }
    fit.push_back(&c);
  }

  if (fit.empty()) {
    // The known variants of the part when the name only got the variant wrong, else the names
    // of the same kind (Apple or not) nearest by edit distance.
    if (!family.empty()) {
      for (const ChipInfo* c : family) m.closest.push_back(c->label);
      return m;
    }
    std::vector<std::pair<std::size_t, const ChipInfo*>> scored;
    const std::string qk = q.key.empty() ? to_lower(name) : q.key_text();
    for (const auto& c : chips_)
      if (c.apple == q.apple) scored.emplace_back(edit_distance(qk, parse_name(c.name).key_text()), &c);
    std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [d, c] : scored) {
      if (m.closest.size() == 3) break;
      if (std::find(m.closest.begin(), m.closest.end(), c->name) == m.closest.end()) m.closest.push_back(c->name);
    }
    return m;
  }

  if (q.apple) {
    const std::optional<double> ram = ram_gb ? ram_gb : q.memory_gb;
    if (!ram) {
      m.status = fit.size() == 1 ? Status::known : Status::ambiguous;
      m.chip = fit.front();
      if (fit.size() > 1) m.variants = fit;
      return m;
    }
    std::vector<const ChipInfo*> sold;
    for (const ChipInfo* c : fit)
      if (sold_with(*c, *ram) != Sold::no) sold.push_back(c);
    if (sold.empty()) {
      m.status = Status::ram_mismatch;
      m.chip = fit.front();
      m.variants = fit;
    } else if (sold.size() == 1) {
      m.status = Status::known;
      m.chip = sold.front();
      m.by_ram = fit.size() > 1;
      m.ram_unverified = sold_with(*m.chip, *ram) == Sold::unverified;
    } else {
      m.status = Status::ambiguous;
      m.chip = sold.front();
      m.variants = sold;
    }
    return m;
  }

  // A GPU: a VRAM known otherwise settles which variant it is.
  if (vram_gib) {
    std::vector<const ChipInfo*> by_vram;
    for (const ChipInfo* c : fit)
      if (vram_matches(*c, parse_name(c->name), *vram_gib)) by_vram.push_back(c);
    if (by_vram.size() == 1) {
      m.status = Status::known;
      m.chip = by_vram.front();
      return m;
    }
  }
  // Several variants: assume the smallest VRAM, then the lowest bandwidth (the safer guesses).
  const ChipInfo* guess = *std::min_element(fit.begin(), fit.end(), [](const ChipInfo* a, const ChipInfo* b) {
    return a->vram_gib != b->vram_gib ? a->vram_gib < b->vram_gib : a->bandwidth_gbs < b->bandwidth_gbs;
  });
  m.chip = guess;
  if (fit.size() > 1) {
    m.status = Status::ambiguous;
    m.variants = fit;
    m.vram_guessed = std::any_of(fit.begin(), fit.end(), [&](const ChipInfo* c) { return c->vram_gib != guess->vram_gib; });
    return m;
  }
  // One entry, listed by a VRAM ("RTX 3060 12GB") that the name does not give: the table names
  // it by its VRAM because the part is sold with more than one.
  if (!q.memory_gb && parse_name(guess->name).memory_gb) {
    m.status = Status::ambiguous;
    m.variants = fit;
    m.vram_guessed = true;
    return m;
  }
  m.status = Status::known;
  return m;
}

}  // namespace planner
