package io.remoteclip.eval.protocol;

import io.remoteclip.eval.FewShot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Few-shot top-1 mean ± std (over seeds) for each K. */
public record FewShotResult(List<FewShot.Shot> shots, int classes, int testRows, int seeds, long seed, double c,
    String source) implements EvalResult {
  public FewShotResult {
    shots = List.copyOf(shots);
  }

  @Override
  public Protocol protocol() {
    return Protocol.FEWSHOT;
  }

  @Override
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("classes", classes);
    m.put("seeds", seeds);
    m.put("C", c);
    List<Object> rows = new ArrayList<>();
    for (FewShot.Shot s : shots) {
      m.put("top1_k" + s.k(), s.mean());
      rows.add(s.summary());
    }
    m.put("shots", rows);
    return JsonValues.clean(m);
  }

  @Override
  public String headline() {
    StringBuilder sb = new StringBuilder("top-1");
    for (FewShot.Shot s : shots) {
      sb.append(String.format(java.util.Locale.ROOT, " %d-shot %.2f", s.k(), s.mean()));
    }
    return sb.toString();
  }
}
