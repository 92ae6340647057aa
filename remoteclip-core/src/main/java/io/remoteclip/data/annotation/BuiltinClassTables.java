package io.remoteclip.data.annotation;

import static io.remoteclip.data.annotation.ClassRole.COUNT;
import static io.remoteclip.data.annotation.ClassRole.IGNORE;
import static io.remoteclip.data.annotation.ClassRole.STUFF;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Class tables of the public segmentation sets, so their masks convert without a classes file.
 *
 * <ul>
 *   <li>{@code isprs}: Potsdam/Vaihingen index masks as mmsegmentation's converter writes them (0 eroded
 *       boundary, ignored; 1 impervious surface, 2 building, 3 low vegetation, 4 tree, 5 car, 6 clutter —
 *       the loader's {@code reduce_zero_label} shifts these down by one only in memory). Checked against the
 *       sample tiles: roads are 1, roofs 2, cars 5.
 *   <li>{@code isprs-rgb}: the original ISPRS colour-coded label images.
 *   <li>{@code loveda}: LoveDA index masks (0 no-data, 1 background … 7 agriculture).
 *   <li>{@code isaid}: iSAID colour masks (colours of the devkit's {@code labels.py}).
 * </ul>
 * Impervious surface, low vegetation, clutter, road, water, barren, forest and agriculture are
 * stuff (LoveDA background, no-data and ISPRS boundary are ignored); buildings, trees, cars and the iSAID object classes are counted.
 */
public final class BuiltinClassTables {
  private BuiltinClassTables() {}

  public static Set<String> names() {
    return Set.of("isprs", "isprs-rgb", "loveda", "isaid");
  }

  /** The named table, or null. */
  public static ClassTable get(String name) {
    Map<String, ClassTable.Entry> m = new LinkedHashMap<>();
    switch (name) {
      case "isprs" -> {
        m.put("0", ClassTable.entry("boundary", IGNORE));
        m.put("1", ClassTable.entry("impervious surface", STUFF));
        m.put("2", ClassTable.entry("building", COUNT));
        m.put("3", ClassTable.entry("low vegetation", STUFF));
        m.put("4", ClassTable.entry("tree", COUNT));
        m.put("5", ClassTable.entry("car", COUNT));
        m.put("6", ClassTable.entry("clutter", STUFF));
        m.put("255", ClassTable.entry("ignored", IGNORE));
      }
      case "isprs-rgb" -> {
        m.put("255,255,255", ClassTable.entry("impervious surface", STUFF));
        m.put("0,0,255", ClassTable.entry("building", COUNT));
        m.put("0,255,255", ClassTable.entry("low vegetation", STUFF));
        m.put("0,255,0", ClassTable.entry("tree", COUNT));
        m.put("255,255,0", ClassTable.entry("car", COUNT));
        m.put("255,0,0", ClassTable.entry("clutter", STUFF));
        m.put("0,0,0", ClassTable.entry("boundary", IGNORE));
      }
      case "loveda" -> {
        m.put("0", ClassTable.entry("no data", IGNORE));
        m.put("1", ClassTable.entry("background", IGNORE));
        m.put("2", ClassTable.entry("building", COUNT));
        m.put("3", ClassTable.entry("road", STUFF));
        m.put("4", ClassTable.entry("water", STUFF));
        m.put("5", ClassTable.entry("barren land", STUFF));
        m.put("6", ClassTable.entry("forest", STUFF));
        m.put("7", ClassTable.entry("agricultural land", STUFF));
      }
      case "isaid" -> {
        m.put("0,0,0", ClassTable.entry("unlabeled", IGNORE));
        m.put("0,0,63", ClassTable.entry("ship", COUNT));
        m.put("0,63,63", ClassTable.entry("storage tank", COUNT));
        m.put("0,63,0", ClassTable.entry("baseball diamond", COUNT));
        m.put("0,63,127", ClassTable.entry("tennis court", COUNT));
        m.put("0,63,191", ClassTable.entry("basketball court", COUNT));
        m.put("0,63,255", ClassTable.entry("ground track field", COUNT));
        m.put("0,127,63", ClassTable.entry("bridge", COUNT));
        m.put("0,127,127", ClassTable.entry("large vehicle", COUNT));
        m.put("0,0,127", ClassTable.entry("small vehicle", COUNT));
        m.put("0,0,191", ClassTable.entry("helicopter", COUNT));
        m.put("0,0,255", ClassTable.entry("swimming pool", COUNT));
        m.put("0,191,127", ClassTable.entry("roundabout", COUNT));
        m.put("0,127,191", ClassTable.entry("soccer ball field", COUNT));
        m.put("0,127,255", ClassTable.entry("airplane", COUNT));
        m.put("0,100,155", ClassTable.entry("harbor", COUNT));
      }
      default -> {
        return null;
      }
    }
    return ClassTable.of(m);
  }
}
