package io.remoteclip.data.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.data.annotation.AnnotationIssue.Action;
import io.remoteclip.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers on the real samples of ../shared/data (counts from samples/README.md and nwpu-vhr10 README). */
class ReadersTest {
  @TempDir Path tmp;

  static Map<String, Long> perClass(Annotations a) {
    return a.images().stream().flatMap(i -> i.objects().stream())
        .collect(Collectors.groupingBy(LabeledObject::className, TreeMap::new, Collectors.counting()));
  }

  static AnnotatedImage image(Annotations a, String name) {
    return a.images().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void dotaLabelTxtWithHeadersAndCrlf() throws Exception {
    Path dir = Fixtures.require("data/samples/dota-devkit");
    Annotations a = new DotaReader().read(dir.resolve("labelTxt"), dir.resolve("images"), ClassTable.open());
    assertEquals(7, a.images().size());
    assertTrue(a.issues().isEmpty(), () -> a.issues().toString());
    assertEquals(Map.of("ship", 531L, "harbor", 5L), perClass(only(a, "P0706")));
    assertEquals(Map.of("large vehicle", 50L, "small vehicle", 14L), perClass(only(a, "P1888")));
    assertEquals(22, image(a, "P0770").objects().size());
    assertEquals(34, image(a, "P1088").objects().size());
    assertEquals(144, image(a, "P1234").objects().size());
    assertEquals(26, image(a, "P2598").objects().size());
    assertEquals(158, image(a, "P2709").objects().size());
    LabeledObject first = image(a, "P1888").objects().get(0); // 674 375 683 375 684 394 675 395 small-vehicle 0
    assertEquals(new BoundingBox(674, 375, 684, 395), first.box());
    assertEquals(8, first.polygon().length);
    assertEquals(3, first.line());
    assertTrue(Files.exists(image(a, "P0706").imagePath()));
  }

  private static Annotations only(Annotations a, String name) {
    Annotations x = new Annotations();
    x.add(image(a, name));
    return x;
  }

  @Test
  void dotaMalformedLinesAreReportedWithFileAndLineAndSkipped() throws Exception {
    Path labels = Files.createDirectories(tmp.resolve("labelTxt"));
    Files.writeString(labels.resolve("X1.txt"), "imagesource:GoogleEarth\r\ngsd:0.5\r\n"
        + "1 1 10 1 10 10 1 10 ship 0\r\n"
        + "1 1 10 1 1O 10 1 10 ship 0\r\n"
        + "1 1 10 1 10 10 ship 0\r\n"
        + "1 1 10 1 10 10 1 10 ship 2\r\n"
        + "5 5 9 5 9 9 5 9 harbor 1\r\n");
    Path classes = tmp.resolve("classes.txt");
    Files.writeString(classes, "ship | ship\n");
    Annotations a = new DotaReader().read(labels, tmp, ClassTable.read(classes));
    assertEquals(1, a.images().get(0).objects().size());
    assertEquals(4, a.issues().size());
    assertEquals(4, a.issues().get(0).line());
    assertTrue(a.issues().get(0).message().contains("not a number"));
    assertEquals(5, a.issues().get(1).line());
    assertTrue(a.issues().get(2).message().contains("difficult flag"));
    assertTrue(a.issues().get(3).toString().startsWith(labels.resolve("X1.txt") + ":7: unknown class 'harbor'"),
        a.issues().get(3).toString());
  }

  @Test
  void hrrsdVocReadsObjectNamesOnly() throws Exception {
    Path dir = Fixtures.require("data/samples/hrrsd/Annotations");
    Annotations a = new VocReader().read(dir, tmp, ClassTable.open());
    assertEquals(50, a.images().size());
    assertEquals(171, a.objectCount());
    Map<String, Long> expected = new TreeMap<>(Map.ofEntries(Map.entry("ship", 19L), Map.entry("vehicle", 19L),
        Map.entry("T junction", 17L), Map.entry("airplane", 16L), Map.entry("parking lot", 16L),
        Map.entry("storage tank", 16L), Map.entry("harbor", 15L), Map.entry("crossroad", 12L),
        Map.entry("baseball diamond", 10L), Map.entry("basketball court", 10L), Map.entry("tennis court", 10L),
        Map.entry("bridge", 6L), Map.entry("ground track field", 5L)));
    assertEquals(expected, perClass(a));
    AnnotatedImage im = image(a, "00562.jpg");
    assertEquals(1572, im.width());
    assertEquals(new BoundingBox(1270, 562, 1346, 676), im.objects().get(0).box());
  }

  @Test
  void diorROrientedBox() throws Exception {
    Path dir = Fixtures.require("data/samples/mmrotate/dior");
    Annotations a = new VocReader().read(dir.resolve("Annotations/Oriented Bounding Boxes"),
        dir.resolve("JPEGImage"), ClassTable.open());
    AnnotatedImage im = a.images().get(0);
    assertEquals(800, im.width());
    assertTrue(Files.exists(im.imagePath()));
    LabeledObject o = im.objects().get(0);
    assertEquals("golf field", o.className());
    assertEquals(new BoundingBox(133, 237, 684, 672), o.box());
    assertEquals(8, o.polygon().length);
  }

  @Test
  void hrscRotatedShip() throws Exception {
    Path dir = Fixtures.require("data/samples/mmrotate/hrsc/FullDataSet/Annotations");
    Annotations a = new HrscReader().read(dir, tmp, ClassTable.open());
    AnnotatedImage im = a.images().get(0);
    assertEquals("100000006.bmp", im.name());
    assertEquals(1172, im.width());
    assertEquals(816, im.height());
    LabeledObject o = im.objects().get(0);
    assertEquals("ship", o.className());
    assertEquals(new BoundingBox(119, 75, 587, 789), o.box());
    // The rotated box is centred where the file says; its extent encloses the (tighter) hull box.
    BoundingBox r = BoundingBox.enclosing(o.polygon());
    assertEquals(341.2143, r.centerX(), 1e-3);
    assertEquals(443.3325, r.centerY(), 1e-3);
    assertTrue(r.x0() <= 119 && r.y0() <= 75 && r.x1() >= 587 && r.y1() >= 789, r.toString());
    assertTrue(119 - r.x0() < 50 && 75 - r.y0() < 50 && r.x1() - 587 < 50 && r.y1() - 789 < 50, r.toString());
  }

  @Test
  void cocoNwpuCountsEqualTheAnnotationTable() throws Exception {
    Path dir = Fixtures.require("data/nwpu-vhr10");
    Annotations a = new CocoReader().read(dir.resolve("annotations.json"), dir.resolve("images"), ClassTable.open());
    assertEquals(650, a.images().size());
    assertTrue(a.issues().isEmpty());
    Map<String, Long> expected = new TreeMap<>(Map.of("airplane", 757L, "ship", 298L, "storage tank", 662L,
        "baseball diamond", 391L, "tennis court", 524L, "basketball court", 159L, "ground track field", 163L,
        "harbor", 239L, "bridge", 124L, "vehicle", 604L));
    assertEquals(expected, perClass(a));
    assertEquals(3921, a.objectCount());
    AnnotatedImage first = image(a, "001.jpg");
    assertEquals(958, first.width());
    assertEquals(808, first.height());
    assertTrue(Files.exists(first.imagePath()));
  }

  @Test
  void cocoRleAndBadAnnotationsAreLocated() throws Exception {
    Path json = tmp.resolve("c.json");
    Files.writeString(json, """
        {"images": [{"id": 1, "file_name": "a.png", "width": 9, "height": 7}],
         "categories": [{"id": 1, "name": "small-vehicle"}, {"id": 2, "name": "ship"}],
         "annotations": [
          {"id": 10, "image_id": 1, "category_id": 1, "segmentation": {"size": [7, 9], "counts": "?34000b0N[O6"}},
          {"id": 11, "image_id": 1, "category_id": 2, "segmentation": {"size": [7, 9], "counts": [15, 3, 45]}},
          {"id": 12, "image_id": 1, "category_id": 7, "bbox": [1, 1, 2, 2]},
          {"id": 13, "image_id": 1, "category_id": 2, "bbox": [1, "x", 2, 2]},
          {"id": 14, "image_id": 5, "category_id": 2, "bbox": [1, 1, 2, 2]},
          {"id": 15, "image_id": 1, "category_id": 2, "bbox": [1, 1, 2, 2], "iscrowd": 1}
         ]}
        """);
    Annotations a = new CocoReader().read(json, tmp, ClassTable.open());
    var objs = a.images().get(0).objects();
    assertEquals(2, objs.size());
    assertEquals(new BoundingBox(2, 0, 9, 7), objs.get(0).box());
    assertEquals("small vehicle", objs.get(0).className());
    assertEquals(new BoundingBox(2, 1, 3, 4), objs.get(1).box());
    assertEquals(4, a.issues().size());
    assertTrue(a.issues().get(0).message().contains("annotations[2] (id 12): unknown category_id 7"));
    assertEquals(6, a.issues().get(0).line());
    assertTrue(a.issues().get(1).message().contains("bbox must be 4 numbers"));
    assertTrue(a.issues().get(2).message().contains("image_id 5 is not in 'images'"));
    assertTrue(a.issues().get(3).message().contains("crowd"));
  }

  @Test
  void visDroneSkipsIgnoredRegionsAndOthers() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("ann"));
    Files.writeString(dir.resolve("0000001.txt"), String.join("\n",
        "684,8,273,116,0,0,0,0", "406,119,265,70,1,4,0,0", "255,22,119,128,1,9,0,0",
        "10,10,5,5,1,11,0,0", "1,2,3,4,1,2,0,1,", "1,2,3,4,1,10,0,0", "1,2,3,4,1,x,0,0", ""));
    Annotations a = new VisDroneReader().read(dir, tmp, ClassTable.open());
    assertEquals(Map.of("car", 1L, "bus", 1L, "person", 1L, "motorcycle", 1L), perClass(a));
    assertEquals(1, a.issues().size());
    assertEquals(7, a.issues().get(0).line());
  }

  @Test
  void malformedXmlSkipsOnlyThatFile() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("xml"));
    Files.writeString(dir.resolve("a.xml"), "<annotation><size><width>10</width><height>10</height></size>"
        + "<object><name>ship</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax></bndbox></object>"
        + "</annotation>");
    Files.writeString(dir.resolve("b.xml"), "<annotation>\n<object><name>ship</name>\n</annotation>");
    Files.writeString(dir.resolve("c.xml"), "<annotation>\n<object><name>ship</name>\n<bndbox><xmin>9</xmin>"
        + "<ymin>1</ymin><xmax>5</xmax><ymax>5</ymax></bndbox></object></annotation>");
    Annotations a = new VocReader().read(dir, tmp, ClassTable.open());
    assertEquals(2, a.images().size());
    assertEquals(2, a.issues().size());
    assertEquals(Action.SKIPPED_FILE, a.issues().get(0).action());
    assertEquals(3, a.issues().get(0).line());
    assertTrue(a.issues().get(1).message().contains("empty box"), a.issues().get(1).message());
    assertEquals(3, a.issues().get(1).line());
  }

  @Test
  void roLabelImgRotatedBoxAndDifficultFlag() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("ro"));
    Files.writeString(dir.resolve("r.xml"), "<annotation><filename>r.png</filename>"
        + "<object><name>ship</name><difficult>1</difficult><robndbox><cx>50</cx><cy>40</cy><w>20</w><h>10</h>"
        + "<angle>1.5707963267948966</angle></robndbox></object></annotation>");
    LabeledObject o = new VocReader().read(dir, tmp, ClassTable.open()).images().get(0).objects().get(0);
    assertTrue(o.difficult());
    BoundingBox b = o.box(); // rotated by 90 degrees: 10 wide, 20 high
    assertEquals(45, b.x0(), 1e-9);
    assertEquals(30, b.y0(), 1e-9);
    assertEquals(55, b.x1(), 1e-9);
    assertEquals(50, b.y1(), 1e-9);
  }

  @Test
  void classesFileFormatAndErrors() throws Exception {
    Path f = tmp.resolve("classes.txt");
    Files.writeString(f, "# DOTA\nsmall-vehicle | small car | small cars\n0\tno data\t\tignore\n2 | low vegetation | | stuff\n");
    ClassTable t = ClassTable.read(f);
    assertEquals("small cars", t.lookup("small-vehicle").plural());
    assertEquals(ClassRole.IGNORE, t.lookup("0").role());
    assertEquals(ClassRole.STUFF, t.lookup("2").role());
    assertEquals(null, t.lookup("ship"));
    Files.writeString(f, "ship | ship\nplane | plane | planes | sometimes\n");
    var e = org.junit.jupiter.api.Assertions.assertThrows(io.remoteclip.DataFormatException.class, () -> ClassTable.read(f));
    assertEquals(f + ":2: role must be count, stuff or ignore, not 'sometimes'", e.getMessage());
    assertNotNull(BuiltinClassTables.get("isaid").lookup("0,0,63"));
    assertFalse(BuiltinClassTables.get("isaid").lookup("0,0,0").role() == ClassRole.COUNT);
  }
}
