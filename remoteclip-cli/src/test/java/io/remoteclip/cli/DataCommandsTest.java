package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
