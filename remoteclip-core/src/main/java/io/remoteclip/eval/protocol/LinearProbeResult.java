package io.remoteclip.eval.protocol;

import io.remoteclip.eval.ClassificationMetrics;
import io.remoteclip.eval.LinearProbe;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Linear-probe figures on the test rows, with the C used (and validation top-1 per C after a search). */
public record LinearProbeResult(LinearProbe.Result probe, List<String> classNames, int trainRows, String source)
    implements EvalResult, ClassificationResult {

  @Override
  public ClassificationMetrics metrics() {
    return probe.metrics();
  }

  @Override
  public Protocol protocol() {
    return Protocol.LINEAR_PROBE;
  }

  @Override
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("train", trainRows);
    m.put("classes", classNames.size());
    JsonValues.putSummary(m, probe.metrics());
    m.put("C", probe.c());
    m.put("iterations", probe.iterations());
    m.put("converged", probe.converged());
    if (!probe.validationTop1().isEmpty()) {
      Map<String, Object> v = new LinkedHashMap<>();
      probe.validationTop1().forEach((c, a) -> v.put(Double.toString(c), a));
      m.put("validation_top1", v);
    }
    JsonValues.putPerClass(m, probe.metrics(), classNames);
    return JsonValues.clean(m);
  }

  @Override
  public String headline() {
    return JsonValues.top1(probe.metrics());
  }
}
