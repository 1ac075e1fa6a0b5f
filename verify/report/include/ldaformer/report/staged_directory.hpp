// A report directory replaced whole: its files are written into a staging directory beside it, and
// Commit() swaps the staging directory into place in one rename, so a run killed at any moment leaves the
// previous report or the new one (or, for a first report, nothing), never a mixture or stale files.
#pragma once

#include <string>

namespace ldaformer::report {

class StagedDirectory {
 public:
  // Creates the staging directory at once, so an --out that cannot be written fails before any work, and
  // removes the staging directories of killed runs.
  // An existing `directory` must be empty or hold a previous report (a file `marker`), since Commit()
  // replaces all of it. Throws std::invalid_argument naming `option` otherwise.
  StagedDirectory(const std::string& directory, const std::string& marker, const std::string& option = "--out");
  // Removes the staging directory unless committed.
  ~StagedDirectory();
  StagedDirectory(const StagedDirectory&) = delete;
  StagedDirectory& operator=(const StagedDirectory&) = delete;

  // Where the new report's files go.
  const std::string& path() const { return staging_; }
  // Puts the staging directory in place of `directory` and removes the previous report.
  void Commit();

 private:
  // Removes DIR.partial-PID directories left by killed runs (PID no longer running).
  void RemoveStaleStagings() const;

  std::string directory_, staging_;
  bool committed_ = false;
};

}  // namespace ldaformer::report
