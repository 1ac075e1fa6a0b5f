// The table `ldaformer verify` prints: one row per result (claim id, margin with its standard error,
// status, reason), no line wider than kTableWidth; below it each claim family's hypotheses and each
// result's method, once, and a summary line.
#pragma once

#include <string>
#include <vector>

#include "ldaformer/claims/verification.hpp"

namespace ldaformer::report {

inline constexpr int kTableWidth = 120;

// `text` broken at spaces into lines of at most `width` characters (UTF-8 code points); a word longer
// than `width` is split, never cut short.
std::vector<std::string> WrapText(const std::string& text, int width);

// The number of characters (UTF-8 code points) of `text`, which is what a terminal column counts.
int DisplayWidth(const std::string& text);

std::string FormatTable(const claims::VerificationReport& report);

}  // namespace ldaformer::report
