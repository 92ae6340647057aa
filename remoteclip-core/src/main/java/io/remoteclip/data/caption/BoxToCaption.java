package io.remoteclip.data.caption;

import io.remoteclip.data.annotation.ObjectNames;
import io.remoteclip.data.annotation.LabeledObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * B2C (SPEC §5): five rule-based captions for an image with counted objects.
 *
 * <ol>
 *   <li>Location of one class, chosen at random: an object whose box centre lies in the central region (the
 *       middle {@code central} fraction of both axes, default 1/3) is "in the middle of the picture", others
 *       "at the edge"; several objects of a class at both places are "both in the middle and at the edge".
 *   <li>Location of another class (of the same class in the other phrasing when there is only one).
 *   <li>Counts of every counted class with the first count template.
 *   <li>The same counts with the second template, in the other number style: digits in one, words in the
 *       other (which comes first is random). Counts above 10 become a vague quantifier.
 *   <li>The class combination ("There are both ships and harbors in the picture."), or for a single class
 *       "There is only one …" / "There are only N …".
 * </ol>
 * Stuff classes are never counted; in {@link StuffMode#PRESENCE} caption 3 ends with the presence phrase
 * ("…, with low vegetation and clutter."). Classes are listed by decreasing count, then name. The random
 * choices come from {@code java.util.Random} seeded with {@code seed} and the image key, so a run is
 * reproducible.
 */
public final class BoxToCaption {
  private static final String[] WORDS = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"
  };

  /** Whether stuff classes are mentioned. */
  public enum StuffMode { PRESENCE, NONE }

  private final PhraseSet phrases;
  private final double central;
  private final StuffMode stuffMode;
  private final long seed;
  private final Map<String, String> plurals;

  /**
   * @param plurals plural of a class name where it differs from {@link ObjectNames#plural} (from a classes
   *     file)
   */
  public BoxToCaption(PhraseSet phrases, double central, StuffMode stuffMode, long seed, Map<String, String> plurals) {
    if (!(central > 0 && central <= 1)) {
      throw new IllegalArgumentException("central region fraction must be in (0, 1], got " + central);
    }
    this.phrases = phrases;
    this.central = central;
    this.stuffMode = stuffMode;
    this.seed = seed;
    this.plurals = Map.copyOf(plurals);
  }

  public String plural(String name) {
    return plurals.getOrDefault(name, ObjectNames.plural(name));
  }

  /** Five captions, or none when no object is counted. */
  public List<Caption> captions(String imageKey, int width, int height, List<LabeledObject> objects) {
    Map<String, List<LabeledObject>> byClass = new LinkedHashMap<>();
    List<String> stuff = new ArrayList<>();
    for (LabeledObject o : objects) {
      if (o.counted()) {
        byClass.computeIfAbsent(o.className(), k -> new ArrayList<>()).add(o);
      } else if (!stuff.contains(o.className())) {
        stuff.add(o.className());
      }
    }
    if (byClass.isEmpty()) {
      return List.of();
    }
    List<String> classes = new ArrayList<>(byClass.keySet());
    classes.sort(Comparator.<String>comparingInt(c -> -byClass.get(c).size()).thenComparing(c -> c));
    Random rng = new Random(seed * 0x9E3779B97F4A7C15L ^ stableHash(imageKey));

    List<Caption> out = new ArrayList<>(5);
    String first = classes.get(rng.nextInt(classes.size()));
    out.add(location(first, byClass.get(first), width, height, false));
    if (classes.size() > 1) {
      List<String> others = new ArrayList<>(classes);
      others.remove(first);
      String second = others.get(rng.nextInt(others.size()));
      out.add(location(second, byClass.get(second), width, height, rng.nextBoolean()));
    } else {
      out.add(location(first, byClass.get(first), width, height, true));
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    List<LabeledObject> all = new ArrayList<>();
    for (String c : classes) {
      counts.put(c, byClass.get(c).size());
      all.addAll(byClass.get(c));
    }
    boolean digitsFirst = rng.nextBoolean();
    String c3 = count(phrases.countTemplates().get(0), classes, counts, digitsFirst, rng);
    if (stuffMode == StuffMode.PRESENCE && !stuff.isEmpty()) {
      c3 = c3.substring(0, c3.length() - 1) + ", " + phrases.presence().replace("{list}", join(stuff)) + ".";
    }
    out.add(new Caption(c3, CaptionKind.COUNT, all, counts));
    out.add(new Caption(count(phrases.countTemplates().get(1), classes, counts, !digitsFirst, rng),
        CaptionKind.COUNT, all, counts));
    out.add(new Caption(combination(classes, counts, rng), CaptionKind.CLASSES, all, counts));
    return out;
  }

  private Caption location(String cls, List<LabeledObject> objs, int w, int h, boolean thereForm) {
    double lo = (1 - central) / 2, hi = (1 + central) / 2;
    int middle = 0;
    for (LabeledObject o : objs) {
      double cx = o.box().centerX() / w, cy = o.box().centerY() / h;
      if (cx >= lo && cx <= hi && cy >= lo && cy <= hi) {
        middle++;
      }
    }
    String suffix = " of the " + phrases.picture();
    String where;
    if (middle == objs.size()) {
      where = phrases.middle() + suffix;
    } else if (middle == 0) {
      where = phrases.edge() + suffix;
    } else {
      where = "both " + phrases.middle() + " and " + phrases.edge() + suffix;
    }
    String text;
    if (objs.size() == 1) {
      String np = ObjectNames.article(cls) + " " + cls;
      text = thereForm ? "There is " + np + " " + where + "." : capitalize(np) + " is " + where + ".";
    } else {
      text = thereForm ? "There are " + plural(cls) + " " + where + "." : capitalize(plural(cls)) + " are " + where + ".";
    }
    return new Caption(text, CaptionKind.LOCATION, objs, Map.of());
  }

  private String count(String template, List<String> classes, Map<String, Integer> counts, boolean digits, Random rng) {
    List<String> parts = new ArrayList<>();
    for (String c : classes) {
      parts.add(quantity(counts.get(c), digits, rng) + " " + (counts.get(c) == 1 ? c : plural(c)));
    }
    String be = counts.get(classes.get(0)) == 1 ? "is" : "are";
    return capitalize(template.replace("{be}", be).replace("{list}", join(parts)).replace("{picture}", phrases.picture()));
  }

  private String combination(List<String> classes, Map<String, Integer> counts, Random rng) {
    String pic = " in the " + phrases.picture() + ".";
    if (classes.size() == 1) {
      String c = classes.get(0);
      int n = counts.get(c);
      if (n == 1) {
        return "There is only one " + c + pic;
      }
      if (n <= 10) {
        return "There are only " + WORDS[n] + " " + plural(c) + pic;
      }
      return "There are only " + plural(c) + pic;
    }
    List<String> parts = new ArrayList<>();
    for (String c : classes) {
      parts.add(counts.get(c) == 1 ? ObjectNames.article(c) + " " + c : plural(c));
    }
    String lead = classes.size() == 2 ? "There are both " : "There are ";
    return lead + join(parts) + pic;
  }

  private String quantity(int n, boolean digits, Random rng) {
    if (n > 10) {
      return phrases.vague().get(rng.nextInt(phrases.vague().size()));
    }
    return digits ? Integer.toString(n) : WORDS[n];
  }

  /** "a", "a and b", "a, b and c". */
  static String join(List<String> items) {
    if (items.size() == 1) {
      return items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** FNV-1a of the UTF-8 bytes: stable across JVMs and runs, unlike identity hashes. */
  static long stableHash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
