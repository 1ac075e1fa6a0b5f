// Fuzz target: a matrix CSV (report::ReadMatrixCsv), as the plots read back what a report wrote. The reader
// takes a path only, so each input goes through one temporary file of this process under $TMPDIR.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

#include "ldaformer/fuzz/harness.hpp"
#include "ldaformer/report/plots.hpp"

namespace {

// $TMPDIR/ldaformer-fuzz-matrix-<pid>.csv, removed when the process ends normally.
struct TemporaryFile {
  std::string path;
  TemporaryFile() {
    const char* dir = std::getenv("TMPDIR");
    path = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/ldaformer-fuzz-matrix-" +
           std::to_string(static_cast<long>(getpid())) + ".csv";
  }
  ~TemporaryFile() { std::remove(path.c_str()); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const TemporaryFile file;
  {
    std::ofstream out(file.path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    // The harness's own failure, not the parser's: abort so that it is not mistaken for a rejection.
    if (!out) std::abort();
  }
  return ldaformer::fuzz::Run([&] { ldaformer::report::ReadMatrixCsv(file.path); });
}
