package io.remoteclip.cli.perf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Distinct remote-sensing text queries for load tests: scene types (the UCM, AID and RSICD classes) with
 * quantities, surroundings and phrasings: 28,800 different texts of 3 to 18 token positions (mean 11) in a
 * shuffled order, so that a load test is not answered from a query cache.
 */
public final class QueryPhrases {
  private static final String[] SCENES = {
    "agricultural fields", "airplanes", "an airport", "baseball diamonds", "a beach", "bridges", "buildings",
    "chaparral", "a church", "a commercial area", "a dense residential area", "a desert", "farmland", "a forest",
    "a freeway", "a golf course", "a harbor", "an industrial area", "an intersection", "a lake", "meadows",
    "a medium residential area", "a mobile home park", "mountains", "an overpass", "a park", "a parking lot",
    "a playground", "ponds", "a port", "a railway station", "a river", "a runway", "a school", "a sparse residential area",
    "a stadium", "storage tanks", "tennis courts", "a viaduct", "a square"};
  private static final String[] QUANTITIES = {
    "", "many", "a few", "two", "three", "several large", "some small", "lots of", "dense", "scattered", "green",
    "white"};
  private static final String[] SURROUNDINGS = {
    "", "next to a river", "near a highway", "surrounded by trees", "beside a parking lot", "with roads around it",
    "in a desert", "along the coast", "between tall buildings", "at the edge of a city", "on a hillside",
    "with long shadows"};
  private static final String[] PHRASINGS = {
    "%s %s", "an aerial image of %s %s", "a satellite photo of %s %s", "remote sensing image showing %s %s",
    "there are %s %s"};

  private QueryPhrases() {}

  /** Every phrase once, shuffled with {@code seed}. */
  public static List<String> all(long seed) {
    Set<String> out = new LinkedHashSet<>();
    for (String scene : SCENES) {
      for (String quantity : QUANTITIES) {
        // a quantity before an article reads badly ("many a harbor"): such scenes take the bare noun or none
        String subject = quantity.isEmpty() ? scene : quantity + " " + bare(scene);
        for (String around : SURROUNDINGS) {
          for (String phrasing : PHRASINGS) {
            out.add(String.format(phrasing, subject, around).strip());
          }
        }
      }
    }
    List<String> list = new ArrayList<>(out);
    Collections.shuffle(list, new Random(seed));
    return list;
  }

  private static String bare(String scene) {
    return scene.startsWith("a ") ? scene.substring(2) : scene.startsWith("an ") ? scene.substring(3) : scene;
  }
}
