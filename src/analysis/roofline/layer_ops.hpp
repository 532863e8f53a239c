#pragma once
// The per-operator roofline of one transformer layer in LLM-Viewer's
// conventions (hahnyuan/LLM-Viewer @472f71f, model_analyzer.py): dense GQA,
// no flash attention, prefill attention over the full S x S (no causal
// halving), lm_head OPs B*h*V (one MAC = 1 OP there) with its activations
// counted once. It is the published reference the model-shape formulas are
// checked against (docs/roofline.md says where the two differ).
#include <string>
#include <vector>

#include "analysis/roofline/model_shape.hpp"

namespace ptr {

struct OpCost {
  std::string name;
  double ops = 0, load_weight = 0, load_act = 0, store_act = 0, load_kv = 0, store_kv = 0;
  double bytes() const { return load_weight + load_act + store_act + load_kv + store_kv; }
  double arithmetic_intensity() const { return ops / bytes(); }
};

struct StageCost {
  std::vector<OpCost> layer;  // one layer's operators, then "lm_head" (once)
  double ops = 0, bytes = 0, load_weight = 0, load_kv = 0, store_kv = 0;  // model totals
  double seconds = 0;  // sum over operators of max(ops / peak, bytes / bandwidth)
};

struct LayerAnalysis {
  StageCost decode, prefill;
};

// `seqlen` is the prompt length (prefill) and the context the decode token attends.
LayerAnalysis llm_viewer_analysis(const ModelShape& s, double seqlen, double batch, double w_bytes, double a_bytes,
                                  double kv_bytes, double peak_ops_per_s, double bandwidth_bytes_per_s);

}  // namespace ptr
