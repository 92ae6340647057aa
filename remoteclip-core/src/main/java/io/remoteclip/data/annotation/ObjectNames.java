package io.remoteclip.data.annotation;

import java.util.Locale;
import java.util.Map;

/**
 * Turns raw dataset labels into readable English nouns and forms their plurals.
 *
 * <p>Normalisation: lower case, {@code -}/{@code _} become spaces, runs of spaces collapse, and a table
 * splits the run-together names of DIOR ({@code groundtrackfield} → "ground track field") and renames a few
 * terse labels (VisDrone {@code motor} → "motorcycle"). Plurals come from an irregular table first
 * (person → people, bus → buses), then English suffix rules on the last word.
 */
public final class ObjectNames {
  private ObjectNames() {}

  private static final Map<String, String> RENAMES = Map.ofEntries(
      Map.entry("baseballfield", "baseball field"),
      Map.entry("basketballcourt", "basketball court"),
      Map.entry("golffield", "golf field"),
      Map.entry("groundtrackfield", "ground track field"),
      Map.entry("storagetank", "storage tank"),
      Map.entry("tenniscourt", "tennis court"),
      Map.entry("trainstation", "train station"),
      Map.entry("soccerballfield", "soccer ball field"),
      Map.entry("swimmingpool", "swimming pool"),
      Map.entry("expressway service area", "expressway service area"),
      Map.entry("motor", "motorcycle"),
      Map.entry("people", "person"),
      Map.entry("impervious surfaces", "impervious surface"),
      Map.entry("plane", "airplane"));

  private static final Map<String, String> IRREGULAR_PLURALS = Map.ofEntries(
      Map.entry("person", "people"),
      Map.entry("people", "people"),
      Map.entry("man", "men"),
      Map.entry("woman", "women"),
      Map.entry("child", "children"),
      Map.entry("bus", "buses"),
      Map.entry("leaf", "leaves"),
      Map.entry("shelf", "shelves"),
      Map.entry("vegetation", "vegetation"),
      Map.entry("clutter", "clutter"),
      Map.entry("agriculture", "agriculture"),
      Map.entry("water", "water"),
      Map.entry("background", "background"),
      Map.entry("aircraft", "aircraft"),
      Map.entry("sheep", "sheep"),
      Map.entry("cattle", "cattle"));

  /** Readable singular name of a raw label: {@code small-vehicle} → "small vehicle". */
  public static String normalize(String raw) {
    String s = raw.trim().replace('_', ' ').replace('-', ' ').replaceAll("\\s+", " ");
    // Keep an all-caps initial word like "T junction" readable; everything else lower case.
    if (!(s.length() > 1 && Character.isUpperCase(s.charAt(0)) && s.charAt(1) == ' ')) {
      s = s.toLowerCase(Locale.ROOT);
    }
    String renamed = RENAMES.get(s.toLowerCase(Locale.ROOT));
    return renamed != null ? renamed : s;
  }

  /** Plural of a readable name; only the last word changes ("ground track field" → "ground track fields"). */
  public static String plural(String singular) {
    int sp = singular.lastIndexOf(' ');
    String head = sp < 0 ? "" : singular.substring(0, sp + 1);
    String last = singular.substring(sp + 1);
    String lower = last.toLowerCase(Locale.ROOT);
    String irregular = IRREGULAR_PLURALS.get(lower);
    if (irregular != null) {
      return head + irregular;
    }
    if (lower.endsWith("s") || lower.endsWith("x") || lower.endsWith("z") || lower.endsWith("ch")
        || lower.endsWith("sh")) {
      return head + last + "es";
    }
    if (lower.length() > 1 && lower.endsWith("y") && "aeiou".indexOf(lower.charAt(lower.length() - 2)) < 0) {
      return head + last.substring(0, last.length() - 1) + "ies";
    }
    return head + last + "s";
  }

  /** Indefinite article for a readable name ("an airplane", "a ship"). */
  public static String article(String word) {
    return !word.isEmpty() && "aeiouAEIOU".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
  }
}
