// The ldaformer command-line tool.
#include <exception>
#include <iostream>
#include <limits>
#include <new>
#include <string>

#include <fmt/format.h>
#include <glog/logging.h>
#include <CLI/CLI.hpp>

#include "cli.hpp"
#include "ldaformer/report/version.hpp"
#include "ldaformer/theory/integer_field.hpp"
#include "ldaformer/theory/memory_check.hpp"
#include "sweep_mpi.hpp"

int main(int argc, char** argv) {
  // Ceres logs through glog; its line-search notes are not for users of the tool.
  google::InitGoogleLogging(argv[0]);
  FLAGS_minloglevel = google::GLOG_ERROR;
  ldaformer::app::SetCommandLine(argc, argv);
  CLI::App app{"ldaformer: numerical verification of how transformers learn topic structure"};
  app.set_version_flag("--version", "ldaformer " + ldaformer::report::ProgramVersion());
  app.require_subcommand(1);
  app.add_option_function<std::string>(
         "--max-memory",
         [](const std::string& text) {
           ldaformer::theory::SetMemoryLimit(static_cast<double>(
               ldaformer::theory::ParseInteger(text, "--max-memory", 1, std::numeric_limits<long long>::max())));
         },
         "Refuse work whose estimated memory exceeds this many bytes (1e9 = 1 GB; default: the available memory)")
      ->type_name("BYTES");
  int status = 0;
  ldaformer::app::AddLossCommand(app, status);
  ldaformer::app::AddAssumptionsCommand(app, status);
  ldaformer::app::AddVerifyCommand(app, status);
  ldaformer::app::AddTrainCommand(app, status);
  ldaformer::app::AddSampleCommand(app, status);
  ldaformer::app::AddFigure5Command(app, status);
  ldaformer::app::AddSweepCommand(app, status);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help exits 0; a malformed command line is bad input like any other.
    return app.exit(e) == 0 ? 0 : ldaformer::app::kBadInput;
  } catch (const std::invalid_argument& e) {
    std::cerr << "ldaformer: error: " << e.what() << "\n";
    return ldaformer::app::kBadInput;
  } catch (const std::bad_alloc&) {
    std::cerr << "ldaformer: error: out of memory (is the scenario much larger than intended?)\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "ldaformer: error: " << e.what() << "\n";
    return 1;
  }
  return status;
}
