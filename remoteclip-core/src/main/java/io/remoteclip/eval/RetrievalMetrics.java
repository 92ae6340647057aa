package io.remoteclip.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/** Image→text and text→image recall at 1, 5 and 10 and their mean, in percent (0–100). */
public record RetrievalMetrics(int images, int texts, double i2tR1, double i2tR5, double i2tR10, double t2iR1,
    double t2iR5, double t2iR10) {

  /** Mean of the six recalls (RemoteCLIP's "mean recall", mR). */
  public double meanRecall() {
    return (i2tR1 + i2tR5 + i2tR10 + t2iR1 + t2iR5 + t2iR10) / 6;
  }

  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("images", images);
    m.put("texts", texts);
    m.put("i2t_r1", i2tR1);
    m.put("i2t_r5", i2tR5);
    m.put("i2t_r10", i2tR10);
    m.put("t2i_r1", t2iR1);
    m.put("t2i_r5", t2iR5);
    m.put("t2i_r10", t2iR10);
    m.put("mean_recall", meanRecall());
    return m;
  }
}
