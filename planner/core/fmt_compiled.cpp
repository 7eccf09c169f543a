// fmt, compiled once. Debian ships libfmt.so but no libfmt.a, so the static planner used fmt's
// header-only mode, which compiles fmt's formatting engine again in every file that formats
// (about 6 s of CPU each, ~90 files: bench/build-time/README.md). This file is that engine, once:
// fmt's implementation header plus the explicit instantiations fmt's headers declare and leave
// to the library (char only: planner formats no wide strings).
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {
template auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;
template locale_ref::locale_ref(const std::locale& loc);
template auto locale_ref::get<std::locale>() const -> std::locale;
template auto thousands_sep_impl(locale_ref) -> thousands_sep_result<char>;
template auto decimal_point_impl(locale_ref) -> char;
template void buffer<char>::append(const char*, const char*);
template void vformat_to(buffer<char>&, string_view, basic_format_args<FMT_BUFFER_CONTEXT(char)>, locale_ref);
}  // namespace detail
FMT_END_NAMESPACE
