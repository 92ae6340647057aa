package io.remoteclip.eval.protocol;

import java.util.Arrays;
import java.util.List;

/**
 * The evaluation protocols of RemoteCLIP (SPEC §7). Each has one request and one result type; adding a
 * protocol is a constant here, a request and a result record, and a case in {@link Evaluator#run}.
 */
public enum Protocol {
  ZEROSHOT("zeroshot"),
  /** Zero-shot with the images of a set classified jointly (TransCLIP); not in {@link #defaults()}. */
  ZEROSHOT_TRANSDUCTIVE("zeroshot-transductive"),
  LINEAR_PROBE("linear-probe"),
  KNN("knn"),
  FEWSHOT("fewshot"),
  RETRIEVAL("retrieval"),
  COUNTING("counting");

  private final String id;

  Protocol(String id) {
    this.id = id;
  }

  /** The name used in configs, JSON ({@code "protocol"}) and command names. */
  public String id() {
    return id;
  }

  /** Zero-shot, linear probe, k-NN and few-shot score labelled scene images. */
  public boolean isClassification() {
    return this != RETRIEVAL && this != COUNTING;
  }

  /** The unit of the result's figures, as the JSON {@code "unit"} says it. */
  public String unit() {
    return this == COUNTING ? "percent (top1, top3); instances (mean_absolute_error)" : "percent";
  }

  /**
   * The protocols a benchmark runs when its config names none: all but transductive zero-shot, whose k-NN
   * search grows with the square of a set's size (name it in {@code protocols} to run it).
   */
  public static List<Protocol> defaults() {
    return Arrays.stream(values()).filter(p -> p != ZEROSHOT_TRANSDUCTIVE).toList();
  }

  public static List<String> ids() {
    return Arrays.stream(values()).map(Protocol::id).toList();
  }

  /** The protocol named {@code id} (its id or enum name, any case). */
  public static Protocol parse(String id) {
    for (Protocol p : values()) {
      if (p.id.equalsIgnoreCase(id) || p.name().equalsIgnoreCase(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException("protocol=" + id + " (known: " + String.join(", ", ids()) + ")");
  }

  @Override
  public String toString() {
    return id;
  }
}
