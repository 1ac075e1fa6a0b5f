// Sizes asked for by outside input, checked against the memory the machine has before anything is
// allocated: a scenario with v = 2e9 is refused by name with its estimate instead of ending in
// std::bad_alloc (or in the kernel's OOM killer) part-way through.
#pragma once

#include <cstdint>
#include <string>

namespace ldaformer::theory {

// The memory a command may use, in bytes: the limit set by SetMemoryLimit, else the machine's available
// memory (MemAvailable of /proc/meminfo, or the physical memory where that is not readable).
double AvailableMemoryBytes();

// A limit below the machine's memory (the tool's --max-memory); 0 removes it. Process-wide.
void SetMemoryLimit(double bytes);

// "1.5 GB", "820 MB", "12 KB".
std::string FormatBytes(double bytes);

// Throws std::invalid_argument when `bytes` exceed AvailableMemoryBytes(): "<what> needs about X, more
// than the Y available". `what` names the field and value that asked for it.
void RequireMemory(double bytes, const std::string& what);

// The bytes of `count` doubles (a double, so that the product of two sizes cannot overflow).
inline double DoublesBytes(double count) { return 8.0 * count; }

}  // namespace ldaformer::theory
