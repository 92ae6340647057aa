package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DataCommandsTest {
  @TempDir Path tmp;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    CommandLine cmd = Main.newCommandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void captionsOnDotaSampleWarnsAboutMissingImagesAndSucceeds() {
    Path dota = Fixtures.require("data/samples/dota-devkit");
    Path o = tmp.resolve("d");
    int code = run("captions", "--format", "dota", "--annotations", dota.resolve("labelTxt").toString(),
        "--images", dota.resolve("images").toString(), "--tile", "512", "--overlap", "128", "--out", o.toString());
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("dota (dota): 7 annotated images, 2 with objects, 5 skipped, 13 output images"
        + " (2 scenes tiled), 65 captions"), out.toString());
    assertTrue(err.toString().contains("P0770.txt: image not found"), err.toString());
    assertTrue(Files.isRegularFile(o.resolve("captions.csv")));
    // Same output again: refused before any work, usage error.
    assertEquals(2, run("captions", "--format", "dota", "--annotations", dota.resolve("labelTxt").toString(),
        "--images", dota.resolve("images").toString(), "--out", o.toString()));
    assertTrue(err.toString().contains("output directory exists"), err.toString());
  }

  @Test
  void exitCodesForMissingInputNothingUsableAndStrict() throws Exception {
    assertEquals(66, run("captions", "--format", "coco", "--annotations", tmp.resolve("nope.json").toString(),
        "--images", tmp.toString(), "--out", tmp.resolve("x").toString()));
    assertTrue(err.toString().contains("nope.json: no such file"), err.toString());
    Path hrsc = Fixtures.require("data/samples/mmrotate/hrsc/FullDataSet/Annotations");
    assertEquals(65, run("captions", "--format", "hrsc", "--annotations", hrsc.toString(), "--images", tmp.toString(),
        "--out", tmp.resolve("h").toString()));
    assertTrue(err.toString().contains("nothing written"), err.toString());
    assertFalse(Files.exists(tmp.resolve("h")));
    assertEquals(2, run("captions", "--format", "yolo", "--annotations", hrsc.toString(), "--images", tmp.toString(),
        "--out", tmp.resolve("y").toString()));
    assertTrue(err.toString().contains("unknown annotation format 'yolo'"), err.toString());
    Path dota = Fixtures.require("data/samples/dota-devkit");
    assertEquals(65, run("captions", "--strict", "--format", "dota", "--annotations", dota.resolve("labelTxt").toString(),
        "--images", dota.resolve("images").toString(), "--out", tmp.resolve("s").toString()));
    assertTrue(Files.exists(tmp.resolve("s/captions.csv")), "--strict still writes the data set");
  }

  @Test
  void countingSetAndDedup() throws Exception {
    Path dota = Fixtures.require("data/samples/dota-devkit");
    Path c = tmp.resolve("c");
    assertEquals(0, run("counting-set", "--format", "dota", "--annotations", dota.resolve("labelTxt").toString(),
        "--images", dota.resolve("images").toString(), "--tile", "256", "--overlap", "0", "--out", c.toString()),
        err.toString());
    assertTrue(out.toString().contains("items; wrote"), out.toString());
    String first = Files.readAllLines(c.resolve("items.jsonl")).get(0);
    assertTrue(first.matches("\\{\"image\":\"images/dota/P\\d+__\\d+___\\d+\\.png\",\"category\":\"[a-z ]+\","
        + "\"plural\":\"[a-z ]+\",\"count\":\\d+}"), first);

    Path d = tmp.resolve("d");
    assertEquals(0, run("captions", "--format", "dota", "--annotations", dota.resolve("labelTxt").toString(),
        "--images", dota.resolve("images").toString(), "--tile", "512", "--out", d.toString()));
    String tile = "images/dota/P1888__0___0.png";
    assertEquals(0, run("dedup", "--dataset", d.toString(), "--exclude", d.resolve(tile).toString(), "--dry-run"));
    assertTrue(out.toString().contains("dropped " + tile + ": near-duplicate of a reference (test) image"), out.toString());
    assertTrue(out.toString().contains("(dry run, nothing written)"));
    assertEquals(0, run("dedup", "--dataset", d.toString(), "--exclude", d.resolve(tile).toString(),
        "--out", tmp.resolve("e").toString()));
    assertFalse(Files.readString(tmp.resolve("e/captions.csv")).contains(tile));
    assertEquals(2, run("dedup", "--dataset", d.toString()));
  }

  /** A DOTA source the test writes itself: two 256 px images, one ship each. */
  private Path[] dotaSource() throws Exception {
    Path images = Files.createDirectories(tmp.resolve("src/images"));
    Path labels = Files.createDirectories(tmp.resolve("src/labels"));
    for (String name : new String[] {"A", "B"}) {
      io.remoteclip.testing.SampleImages.write(images.resolve(name + ".png"), name.charAt(0));
      Files.writeString(labels.resolve(name + ".txt"), "10 10 60 10 60 40 10 40 ship 0\n");
    }
    return new Path[] {labels, images};
  }

  private static String lastLine(StringWriter w) {
    List<String> lines = w.toString().lines().toList();
    return lines.get(lines.size() - 1);
  }

  @Test
  void overwriteReplacesOnlyWhatTheSameCommandWrote() throws Exception {
    Path[] src = dotaSource();
    Path mine = Files.createDirectories(tmp.resolve("my-photos"));
    Files.writeString(mine.resolve("holiday.txt"), "keep me");
    String[] captions = {"captions", "--format", "dota", "--annotations", src[0].toString(), "--images", src[1].toString(),
        "--overwrite", "--out"};
    err.getBuffer().setLength(0);
    assertEquals(65, run(concat(captions, mine.toString())));
    assertTrue(err.toString().startsWith("remoteclip: " + mine.toAbsolutePath() + ": directory is not empty and was not "
        + "written by 'captions'") && err.toString().lines().count() == 1, err.toString());
    assertEquals("keep me", Files.readString(mine.resolve("holiday.txt")));

    Path set = tmp.resolve("set");
    assertEquals(0, run(concat(captions, set.toString())), err.toString());
    assertEquals(0, run(concat(captions, set.toString())), "its own earlier output is replaced: " + err);
    assertTrue(Files.isRegularFile(set.resolve("captions.csv")));

    String[] dedup = {"dedup", "--dataset", set.toString(), "--overwrite", "--out"};
    err.getBuffer().setLength(0);
    assertEquals(65, run(concat(dedup, mine.toString())));
    assertTrue(lastLine(err).contains("was not written by 'dedup'"), err.toString());
    assertEquals(65, run(concat(dedup, set.toString())));
    assertTrue(lastLine(err).contains("holds the output of 'captions', not of 'dedup'"), err.toString());
    assertEquals("keep me", Files.readString(mine.resolve("holiday.txt")));
    assertTrue(Files.isRegularFile(set.resolve("captions.csv")));
    Path deduped = tmp.resolve("deduped");
    assertEquals(0, run(concat(dedup, deduped.toString())), err.toString());
    assertEquals(0, run(concat(dedup, deduped.toString())), err.toString());
    assertTrue(Files.isRegularFile(deduped.resolve("captions.csv")));
  }

  @Test
  void countingSetNamesBothAnnotationFilesOfOneImage() throws Exception {
    Path[] src = dotaSource();
    Files.writeString(src[0].resolve("A.TXT"), "12 12 60 12 60 40 12 40 ship 0\n");
    err.getBuffer().setLength(0);
    assertEquals(65, run("counting-set", "--format", "dota", "--annotations", src[0].toString(), "--images",
        src[1].toString(), "--out", tmp.resolve("c").toString()));
    assertEquals("remoteclip: " + src[0].resolve("A.txt") + ": annotates image " + src[1].resolve("A.png") + ", as "
        + src[0].resolve("A.TXT") + " does; keep one of the two annotation files", err.toString().strip());
    assertFalse(Files.exists(tmp.resolve("c")));
  }

  private static String[] concat(String[] head, String last) {
    String[] all = java.util.Arrays.copyOf(head, head.length + 1);
    all[head.length] = last;
    return all;
  }
}
