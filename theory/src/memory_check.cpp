#include "ldaformer/theory/memory_check.hpp"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace ldaformer::theory {

namespace {

std::atomic<double> memory_limit{0.0};

double MachineMemoryBytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  double kilobytes = 0.0;
  std::string unit;
  while (meminfo >> key >> kilobytes >> unit) {
    if (key == "MemAvailable:") return kilobytes * 1024.0;
  }
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page_size > 0 ? static_cast<double>(pages) * static_cast<double>(page_size) : 0.0;
}

}  // namespace

double AvailableMemoryBytes() {
  const double machine = MachineMemoryBytes();
  const double limit = memory_limit.load();
  if (limit > 0.0 && (machine <= 0.0 || limit < machine)) return limit;
  return machine;
}

void SetMemoryLimit(double bytes) { memory_limit.store(bytes > 0.0 ? bytes : 0.0); }

std::string FormatBytes(double bytes) {
  if (bytes >= 1e9) return fmt::format("{:.3g} GB", bytes / 1e9);
  if (bytes >= 1e6) return fmt::format("{:.3g} MB", bytes / 1e6);
  return fmt::format("{:.3g} KB", bytes / 1e3);
}

void RequireMemory(double bytes, const std::string& what) {
  const double available = AvailableMemoryBytes();
  // Unknown machine memory (0) checks nothing rather than refusing everything.
  if (available > 0.0 && bytes > available) {
    const bool limited = memory_limit.load() > 0.0 && memory_limit.load() <= available;
    throw std::invalid_argument(fmt::format("{} needs about {}, more than the {} {}", what, FormatBytes(bytes),
                                            FormatBytes(available),
                                            limited ? "allowed by --max-memory" : "available on this machine"));
  }
}

}  // namespace ldaformer::theory
