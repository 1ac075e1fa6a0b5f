// `ldaformer figure5`: command-line front end of RunFigure5.
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli.hpp"
#include "ldaformer/app/figure5_command.hpp"

namespace ldaformer::app {

void AddFigure5Command(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand(
      "figure5", "Draw the paper's Figure 5 (per layer: ||W^K||, ||W^Q||, ||W^V||, W^V rotation) over encoder runs");
  auto request = std::make_shared<Figure5Request>();
  cmd->add_option("runs", request->runs, "OUT directories of `ldaformer train` with the encoder, or checkpoints")
      ->required();
  cmd->add_option("--label", request->labels, "A curve's label, one per run (default: eps, seed, optimizer, lr)");
  cmd->add_option("--title", request->title, "The figure's title");
  cmd->add_option("--out", request->out, "PNG to write (its .gp script and .dat data beside it; default figure5.png)");
  cmd->callback([=, &status] {
    const std::vector<std::string> labels = RunFigure5(*request);
    for (const std::string& label : labels) std::cout << "curve: " << label << "\n";
    std::cout << fmt::format("wrote {}\n", request->out);
    status = 0;
  });
}

}  // namespace ldaformer::app
