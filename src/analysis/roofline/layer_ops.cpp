#include "analysis/roofline/layer_ops.hpp"

#include <algorithm>

namespace ptr {

namespace {

void total(StageCost& st, double layers, double peak, double bw) {
  for (const auto& op : st.layer) {
    double n = op.name == "lm_head" ? 1 : layers;
    st.ops += n * op.ops;
    st.bytes += n * op.bytes();
    st.load_weight += n * op.load_weight;
    st.load_kv += n * op.load_kv;
    st.store_kv += n * op.store_kv;
    st.seconds += n * std::max(op.ops / peak, op.bytes() / bw);
  }
}

}  // namespace

LayerAnalysis llm_viewer_analysis(const ModelShape& s, double L, double B, double w, double a, double kv, double peak,
                                  double bw) {
  const double h = s.hidden, nh = s.heads, nkv = s.kv_heads, d = static_cast<double>(s.head_dim), I = s.intermediate,
               V = s.vocab;
  // Linear shapes as configs/Llama.py: q/out [h, h], k/v [h, h * n_kv / n_h], gate/up [h, I], down [I, h].
  struct Linear {
    const char* name;
    double ic, oc;
    bool kv;
  };
  const Linear linears[] = {{"q_proj", h, h, false},        {"k_proj", h, h * nkv / nh, true}, {"v_proj", h, h * nkv / nh, true},
                            {"out_proj", h, h, false},      {"gate_proj", h, I, false},        {"up_proj", h, I, false},
                            {"down_proj", I, h, false}};
  LayerAnalysis r;
  for (int stage = 0; stage < 2; ++stage) {
    bool prefill = stage == 1;
    double T = prefill ? B * L : B;  // tokens in the step
    StageCost& st = prefill ? r.prefill : r.decode;
    for (const auto& l : linears) {
      OpCost op{l.name};
      op.ops = 2 * l.ic * l.oc * T;
      op.load_weight = l.ic * l.oc * w;
      op.load_act = l.ic * T * a;
      op.store_act = l.kv ? 0 : l.oc * T * a;
      op.store_kv = l.kv ? l.oc * T * kv : 0;
      st.layer.push_back(op);
    }
    if (!prefill) {
      st.layer.push_back({"qk_matmul", 2 * L * d * nh * B, 0, d * nh * B * a, L * nh * B * a, L * d * nkv * B * kv, 0});
      st.layer.push_back({"sv_matmul", 2 * L * d * nh * B, 0, L * nh * B * a, d * nh * B * a, L * d * nkv * B * kv, 0});
      st.layer.push_back({"softmax", 5 * B * nh * L, 0, B * nh * L * a, B * nh * L * a, 0, 0});
    } else {
      // LLM-Viewer loads Q with n_kv heads here (equal for MHA).
      st.layer.push_back({"qk_matmul", 2 * L * L * d * nh * B, 0, L * d * nkv * B * a, L * L * nh * B * a, L * d * nkv * B * kv, 0});
      st.layer.push_back({"sv_matmul", 2 * L * L * d * nh * B, 0, L * L * nh * B * a, L * d * nh * B * a, L * d * nkv * B * kv, 0});
      st.layer.push_back({"softmax", 5 * B * nh * L * L, 0, B * nh * L * L * a, B * nh * L * L * a, 0, 0});
    }
    for (const char* norm : {"attn_norm", "mlp_norm"}) st.layer.push_back({norm, 7 * T * h, 0, T * h * a, T * h * a, 0, 0});
    for (const char* add : {"attn_add", "mlp_add"}) st.layer.push_back({add, T * h, 0, T * h * a, T * h * a, 0, 0});
    st.layer.push_back({"mlp_act", 2 * T * h, 0, 2 * T * h * a, T * h * a, 0, 0});
    // One output position, activations counted once (as LLM-Viewer does).
    st.layer.push_back({"lm_head", B * h * V, h * V * w, h * a, V * a, 0, 0});
    total(st, static_cast<double>(s.layers), peak, bw);
  }
  return r;
}

}  // namespace ptr
