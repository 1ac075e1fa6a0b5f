#include "ldaformer/report/staged_directory.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

namespace ldaformer::report {

namespace fs = std::filesystem;

StagedDirectory::StagedDirectory(const std::string& directory, const std::string& marker, const std::string& option)
    : directory_(fs::path(directory).lexically_normal().string()) {
  if (!directory_.empty() && directory_.back() == '/') directory_.pop_back();
  std::error_code error;
  if (fs::exists(directory_, error)) {
    if (!fs::is_directory(directory_, error)) {
      throw std::invalid_argument(fmt::format("{}: '{}' exists and is not a directory", option, directory));
    }
    if (!fs::is_empty(directory_, error) && !fs::exists(fs::path(directory_) / marker, error)) {
      throw std::invalid_argument(fmt::format(
          "{}: '{}' holds files but no {} (not a previous report, which would be replaced whole); choose a new "
          "directory",
          option, directory, marker));
    }
  }
  // The process id keeps two runs apart; the staging directory sits beside the target so that the final
  // rename stays within one file system.
  staging_ = fmt::format("{}.partial-{}", directory_, ::getpid());
  fs::remove_all(staging_, error);
  const fs::path parent = fs::path(directory_).parent_path();
  if (!parent.empty()) fs::create_directories(parent, error);
  RemoveStaleStagings();
  if (!fs::create_directory(staging_, error) || error) {
    throw std::invalid_argument(fmt::format("{}: cannot create a directory beside '{}': {}", option, directory,
                                            error ? error.message() : "it exists"));
  }
}

void StagedDirectory::RemoveStaleStagings() const {
  const fs::path target(directory_);
  const std::string prefix = target.filename().string() + ".partial-";
  std::error_code error;
  fs::directory_iterator it(target.has_parent_path() ? target.parent_path() : fs::path("."), error);
  for (; !error && it != fs::directory_iterator(); it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string pid_text = name.substr(prefix.size());
    if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos || pid_text.size() > 9) {
      continue;
    }
    const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
    // Only a staging directory whose run has ended: kill(pid, 0) fails with ESRCH.
    if (pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH) {
      std::error_code ignored;
      fs::remove_all(it->path(), ignored);
    }
  }
}

StagedDirectory::~StagedDirectory() {
  if (committed_) return;
  std::error_code ignored;
  fs::remove_all(staging_, ignored);
}

void StagedDirectory::Commit() {
  std::error_code error;
  if (!fs::exists(directory_, error)) {
    fs::rename(staging_, directory_, error);
    if (error)
      throw std::runtime_error(fmt::format("cannot move the report into '{}': {}", directory_, error.message()));
    committed_ = true;
    return;
  }
  // One atomic exchange: the old report now sits at the staging name, and is removed.
  if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, directory_.c_str(), RENAME_EXCHANGE) != 0) {
    // A file system without RENAME_EXCHANGE: two renames, with the target briefly absent (never mixed).
    const std::string old = fmt::format("{}.old-{}", directory_, ::getpid());
    fs::rename(directory_, old, error);
    if (!error) fs::rename(staging_, directory_, error);
    if (error)
      throw std::runtime_error(fmt::format("cannot move the report into '{}': {}", directory_, error.message()));
    committed_ = true;
    fs::remove_all(old, error);
    return;
  }
  committed_ = true;
  fs::remove_all(staging_, error);
}

}  // namespace ldaformer::report
