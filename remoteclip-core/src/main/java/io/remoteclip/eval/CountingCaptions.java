package io.remoteclip.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * The ten count captions of RemoteCount: {@code "There are {count} {objects} in the image."} for counts
 * 1..10, the count written in digits by default (the RemoteCLIP paper's template is used for every
 * count, including 1, since items carry only a plural form). Template and number style are settable.
 */
public final class CountingCaptions {
  public static final int MIN_COUNT = 1;
  public static final int MAX_COUNT = 10;
  public static final String DEFAULT_TEMPLATE = "There are {count} {objects} in the image.";
  private static final String[] WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};

  private final String template;
  private final boolean words;

  public CountingCaptions(String template, boolean numbersAsWords) {
    if (!template.contains("{count}") || !template.contains("{objects}")) {
      throw new IllegalArgumentException("template=" + template + " (needs {count} and {objects})");
    }
    this.template = template;
    this.words = numbersAsWords;
  }

  public static CountingCaptions defaults() {
    return new CountingCaptions(DEFAULT_TEMPLATE, false);
  }

  /** Captions for counts 1..10 of {@code plural}, in count order. */
  public List<String> captions(String plural) {
    List<String> out = new ArrayList<>(MAX_COUNT);
    for (int c = MIN_COUNT; c <= MAX_COUNT; c++) {
      out.add(template.replace("{count}", words ? WORDS[c - 1] : Integer.toString(c)).replace("{objects}", plural));
    }
    return out;
  }

  /** The ten captions of every item, item after item ([items × 10] rows). */
  public List<String> captions(List<CountingItem> items) {
    List<String> out = new ArrayList<>(items.size() * MAX_COUNT);
    items.forEach(i -> out.addAll(captions(i.plural())));
    return out;
  }
}
