#pragma once
// The smoke campaign's report inputs built in memory: its cells through the
// report model, its evidence (kernels, ncu, champion, A/B request tables)
// handed over as a rendered campaign would load them from its folder.
#include "campaign/smoke_fixture.hpp"
#include "render/report_model.hpp"

namespace ptr {

ReportInputs report_inputs_from_smoke(SmokeCampaign smoke, const ReportOptions& options);

}  // namespace ptr
