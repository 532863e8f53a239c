#include "render/smoke_inputs.hpp"

#include <memory>
#include <utility>

namespace ptr {

ReportInputs report_inputs_from_smoke(SmokeCampaign smoke, const ReportOptions& options) {
  ReportInputs in = report_inputs_from_cells(smoke.campaign, std::move(smoke.cells), options);
  in.kernels_of_cell = std::move(smoke.evidence.kernels);
  in.ncu_of_cell = std::move(smoke.evidence.ncu);
  in.champion = std::move(smoke.evidence.champion);
  in.requests_of_cell = std::make_shared<const ReportInputs::RequestTables>(std::move(smoke.evidence.requests));
  return in;
}

}  // namespace ptr
