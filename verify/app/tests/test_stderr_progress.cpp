// The verify progress lines without a terminal: start, steps by tenths, end with time, warnings.
#include <catch2/catch.hpp>

#include <sstream>

#include "ldaformer/app/stderr_progress.hpp"

namespace ldaformer::app {
namespace {

TEST_CASE("Progress prints each check's start and end, a line per tenth of its steps, and warnings", "[app]") {
  std::ostringstream out;
  StderrProgress progress(out, /*terminal=*/false);
  progress.Begin("T2", 0);
  progress.End("T2", 0.31);
  progress.Begin("D", 20);
  for (int done = 1; done <= 20; ++done) progress.Step(done);
  progress.Warn("flow 1 of 3 took 90000 evaluations");
  progress.End("D", 12.5);
  const std::string text = out.str();
  INFO(text);
  CHECK(text.rfind("verify: T2 ...\nverify: T2 done in 0.3 s\nverify: D ... (20 steps)\nverify: D 2/20 steps\n", 0) ==
        0);
  CHECK(text.find("verify: D 1/20 steps") == std::string::npos);  // a twentieth is not a tenth
  CHECK(text.find("verify: D 20/20 steps\nverify: warning: flow 1 of 3 took 90000 evaluations\n"
                  "verify: D done in 12.5 s\n") != std::string::npos);
  int lines = 0;
  for (const char c : text) lines += c == '\n';
  CHECK(lines == 2 + 1 + 10 + 1 + 1);
}

}  // namespace
}  // namespace ldaformer::app
