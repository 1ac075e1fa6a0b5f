#include "sweep_mpi.hpp"

#include <cstdlib>
#include <mutex>
#include <queue>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "ldaformer/report/sweep_report.hpp"

#if LDAFORMER_WITH_MPI
#include <mpi.h>
#endif

namespace ldaformer::app {

namespace {

std::vector<std::string>& StoredCommandLine() {
  static std::vector<std::string> line;
  return line;
}

#if LDAFORMER_WITH_MPI

using nlohmann::json;

constexpr int kRecordTag = 17;

// mpirun (Open MPI, or a PMI launcher) says so in the environment; a plain start never calls MPI_Init.
bool LaunchedByMpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMI_SIZE") != nullptr ||
         std::getenv("PMIX_RANK") != nullptr;
}

// Rank 0's batch of points to every rank; an empty batch means the sweep is over.
void BroadcastBatch(std::string& text) {
  unsigned long long size = text.size();
  MPI_Bcast(&size, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
  text.resize(size);
  if (size > 0) MPI_Bcast(text.data(), static_cast<int>(size), MPI_CHAR, 0, MPI_COMM_WORLD);
}

std::string PointsText(const std::vector<sweep::SweepPoint>& points) {
  json out = json::array();
  for (const sweep::SweepPoint& p : points) {
    out.push_back({{"index", p.index}, {"round", p.round}, {"values", p.values}, {"seed", p.seed}});
  }
  return out.dump();
}

std::vector<sweep::SweepPoint> PointsFromText(const std::string& text) {
  std::vector<sweep::SweepPoint> out;
  for (const json& j : json::parse(text)) {
    out.push_back({j.at("index").get<int>(), j.at("round").get<int>(), j.at("values").get<std::vector<std::string>>(),
                   j.at("seed").get<std::uint64_t>()});
  }
  return out;
}

// This rank's share of a batch: point i goes to rank i mod R.
std::vector<sweep::SweepPoint> Share(const std::vector<sweep::SweepPoint>& points, int rank, int ranks) {
  std::vector<sweep::SweepPoint> out;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (static_cast<int>(i % static_cast<std::size_t>(ranks)) == rank) out.push_back(points[i]);
  }
  return out;
}

// Rank 0's executor: its own share on local threads while the main thread receives the other ranks' points;
// every record reaches `done` from the main thread, one at a time.
class MpiLeadExecutor : public sweep::PointExecutor {
 public:
  MpiLeadExecutor(int ranks, int jobs, std::vector<std::string> paths)
      : ranks_(ranks), local_(jobs), paths_(std::move(paths)) {}

  void Run(const std::vector<sweep::SweepPoint>& points, const sweep::EvaluatePoint& evaluate,
           const sweep::RecordDone& done) override {
    if (points.empty()) return;  // an empty batch would tell the other ranks to stop
    std::string text = PointsText(points);
    BroadcastBatch(text);
    const std::vector<sweep::SweepPoint> mine = Share(points, 0, ranks_);
    const std::size_t remote = points.size() - mine.size();
    std::mutex mutex;
    std::queue<sweep::SweepRecord> finished;
    std::exception_ptr error;
    bool local_done = false;
    std::thread worker([&] {
      try {
        local_.Run(mine, evaluate, [&](const sweep::SweepRecord& r) {
          const std::lock_guard<std::mutex> lock(mutex);
          finished.push(r);
        });
      } catch (...) {
        error = std::current_exception();
      }
      const std::lock_guard<std::mutex> lock(mutex);
      local_done = true;
    });
    std::size_t received = 0;
    for (;;) {
      bool idle = true;
      int flag = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, kRecordTag, MPI_COMM_WORLD, &flag, &status);
      if (flag) {
        int size = 0;
        MPI_Get_count(&status, MPI_CHAR, &size);
        std::string message(static_cast<std::size_t>(size), '\0');
        MPI_Recv(message.data(), size, MPI_CHAR, status.MPI_SOURCE, kRecordTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        done(
            report::SweepRecordFromJson(json::parse(message), paths_, "MPI rank " + std::to_string(status.MPI_SOURCE)));
        ++received;
        idle = false;
      }
      std::unique_lock<std::mutex> lock(mutex);
      while (!finished.empty()) {
        const sweep::SweepRecord record = finished.front();
        finished.pop();
        lock.unlock();
        done(record);
        lock.lock();
        idle = false;
      }
      const bool all_local = local_done;
      lock.unlock();
      if (all_local && received == remote) break;
      if (idle) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    worker.join();
    if (error) std::rethrow_exception(error);
  }

 private:
  int ranks_;
  sweep::LocalExecutor local_;
  std::vector<std::string> paths_;
};

// Ranks 1..R-1: each batch's share on local threads, every finished point sent to rank 0 at once.
void ServePoints(const SweepRequest& request, int rank, int ranks, int jobs) {
  std::unique_ptr<PreparedSweep> prepared;
  try {
    prepared = std::make_unique<PreparedSweep>(PrepareSweep(request));
  } catch (const std::exception&) {
    // Rank 0 validates the same request, reports the error and ends the sweep with an empty batch.
  }
  sweep::LocalExecutor local(std::max(1, jobs));  // rank 0 refuses a bad --jobs
  for (;;) {
    std::string text;
    BroadcastBatch(text);
    if (text.empty()) return;
    if (!prepared) continue;
    const std::vector<std::string> paths = prepared->plan.Paths();
    local.Run(
        Share(PointsFromText(text), rank, ranks),
        [&](const sweep::SweepPoint& point) { return EvaluateSweepPoint(request.base, *prepared, point); },
        [&](const sweep::SweepRecord& record) {  // called one at a time: MPI_THREAD_SERIALIZED suffices
          std::string message = report::ToJson(record, paths).dump();
          MPI_Send(message.data(), static_cast<int>(message.size()), MPI_CHAR, 0, kRecordTag, MPI_COMM_WORLD);
        });
  }
}

#endif  // LDAFORMER_WITH_MPI

}  // namespace

void SetCommandLine(int argc, char** argv) { StoredCommandLine().assign(argv, argv + argc); }
const std::vector<std::string>& CommandLine() { return StoredCommandLine(); }

int RunSweepOnRanks(const SweepRequest& request, int jobs, const std::function<int(sweep::PointExecutor&)>& lead) {
#if LDAFORMER_WITH_MPI
  if (LaunchedByMpirun()) {
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
    int rank = 0, ranks = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    if (provided < MPI_THREAD_SERIALIZED && ranks > 1) {
      MPI_Finalize();
      throw std::runtime_error("sweep: this MPI library does not offer MPI_THREAD_SERIALIZED");
    }
    int status = 0;
    if (rank == 0) {
      std::exception_ptr error;
      try {
        std::vector<std::string> paths;
        for (const std::string& text : request.vary) paths.push_back(sweep::ParseVariedPath(text).path);
        MpiLeadExecutor executor(ranks, jobs, paths);
        status = lead(executor);
      } catch (...) {
        error = std::current_exception();
      }
      std::string stop;
      BroadcastBatch(stop);
      MPI_Finalize();
      if (error) std::rethrow_exception(error);
    } else {
      ServePoints(request, rank, ranks, jobs);
      MPI_Finalize();
    }
    return status;
  }
#else
  (void)request;  // only the MPI ranks re-read the request
#endif
  sweep::LocalExecutor executor(jobs);
  return lead(executor);
}

}  // namespace ldaformer::app
