#include "ldaformer/app/sample_command.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "ldaformer/report/plots.hpp"

namespace ldaformer::app {

void SampleRequest::Validate() const {
  if (documents < 1) throw std::invalid_argument(fmt::format("--documents must be >= 1, got {}", documents));
  if (out.empty()) throw std::invalid_argument("--out: give the corpus file to write");
  if (infinite_length < 1) {
    throw std::invalid_argument(fmt::format("--infinite-length must be >= 1, got {}", infinite_length));
  }
}

SampleResult RunSample(const SampleRequest& request) {
  request.Validate();
  SampleResult result;
  result.corpus = theory::SampleCorpus(request.file.scenario, request.documents, request.seed, request.infinite_length);
  theory::WriteCorpus(request.out, result.corpus, /*trailing_end=*/false);
  result.files.push_back(request.out);
  if (!request.thetas_out.empty()) {
    const int T = request.file.scenario.topics.T;
    theory::Matrix thetas(static_cast<Eigen::Index>(result.corpus.thetas.size()), T);
    for (std::size_t d = 0; d < result.corpus.thetas.size(); ++d) {
      thetas.row(static_cast<Eigen::Index>(d)) = result.corpus.thetas[d].transpose();
    }
    report::WriteMatrixCsv(request.thetas_out, thetas);
    result.files.push_back(request.thetas_out);
  }
  if (!request.topics_out.empty()) {
    report::WriteMatrixCsv(request.topics_out, request.file.scenario.topics.beta);
    result.files.push_back(request.topics_out);
  }
  return result;
}

}  // namespace ldaformer::app
