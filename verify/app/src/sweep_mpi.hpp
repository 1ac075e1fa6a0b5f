// Where a sweep's points run: on `jobs` threads of this process, or, when the tool was built with MPI
// (LDAFORMER_WITH_MPI) and started by mpirun with more than one rank, on every rank. Rank 0 runs the sweep
// (plan, rounds, store, results); each round's points are broadcast and shared out by index (point i to
// rank i mod R), and the other ranks send each finished point back to rank 0 as it finishes. Private to the
// executable.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ldaformer/app/sweep_command.hpp"

namespace ldaformer::app {

// Runs `lead` on rank 0 (or on the only process) with the executor for this launch and returns its exit
// status; the other ranks serve points and return 0 (kBadInput when the request is invalid: every rank
// validates it, and only rank 0 reports).
int RunSweepOnRanks(const SweepRequest& request, int jobs, const std::function<int(sweep::PointExecutor&)>& lead);

// The command line, as main() received it (recorded in sweep.json).
void SetCommandLine(int argc, char** argv);
const std::vector<std::string>& CommandLine();

}  // namespace ldaformer::app
