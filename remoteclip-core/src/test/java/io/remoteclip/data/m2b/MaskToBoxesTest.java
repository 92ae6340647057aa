package io.remoteclip.data.m2b;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.remoteclip.image.BufferedImages;
import io.remoteclip.data.annotation.BuiltinClassTables;
import io.remoteclip.data.annotation.ClassRole;
import io.remoteclip.data.annotation.LabeledObject;
import io.remoteclip.data.annotation.SemanticMaskReader;
import io.remoteclip.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Component counts on the real masks were cross-checked with an independent Python/numpy BFS labelling
 * (8-connectivity) of the same files.
 */
class MaskToBoxesTest {

  @Test
  void eightConnectivityJoinsDiagonalsAndMinAreaDrops() {
    // 0 0 1 0 0
    // 0 1 0 0 2
    // 1 0 0 0 2
    int[] ids = {0, 0, 1, 0, 0, 0, 1, 0, 0, 2, 1, 0, 0, 0, 2};
    LabelRaster r = new LabelRaster(5, 3, ids, List.of("0", "1", "2"));
    List<MaskToBoxes.Component> all = MaskToBoxes.components(r, 1);
    var ones = all.stream().filter(c -> c.labelId() == 1).toList();
    assertEquals(1, ones.size(), "diagonal pixels are one component under 8-connectivity");
    assertEquals(new MaskToBoxes.Component(1, 0, 0, 3, 3, 3), ones.get(0));
    assertEquals(3, ones.get(0).pixels());
    var twos = all.stream().filter(c -> c.labelId() == 2).toList();
    assertEquals(new MaskToBoxes.Component(2, 4, 1, 5, 3, 2), twos.get(0));
    assertEquals(List.of(0), MaskToBoxes.components(r, 4).stream().map(MaskToBoxes.Component::labelId).distinct().toList(),
        "only background regions reach 4 pixels");
  }

  static Map<String, Long> counted(List<LabeledObject> objs) {
    return objs.stream().filter(LabeledObject::counted)
        .collect(Collectors.groupingBy(LabeledObject::className, TreeMap::new, Collectors.counting()));
  }

  @Test
  void isaidColourMask() throws Exception {
    Path mask = Fixtures.require("data/samples/isaid/P0003_instance_color_RGB.png");
    LabelRaster r = LabelRaster.of(BufferedImages.read(mask));
    var table = BuiltinClassTables.get("isaid");
    assertEquals(Map.of("large vehicle", 39L, "small vehicle", 18L, "storage tank", 1L),
        counted(SemanticMaskReader.objects(r, table, MinArea.parse("40px"), mask, null)));
    // Default 0.1 % of 1147x1023 = 1174 px keeps only the bigger (merged) vehicle regions.
    assertEquals(Map.of("large vehicle", 36L), counted(SemanticMaskReader.objects(r, table, MinArea.DEFAULT, mask, null)));
  }

  @Test
  void potsdamAndVaihingenIndexMasks() throws Exception {
    Path p = Fixtures.require("data/samples/mmseg/pseudo_potsdam_dataset/ann_dir/2_10_0_0_512_512.png");
    var table = BuiltinClassTables.get("isprs");
    List<LabeledObject> objs = SemanticMaskReader.objects(LabelRaster.of(BufferedImages.read(p)), table, MinArea.DEFAULT, p, null);
    assertEquals(Map.of("building", 2L, "tree", 3L, "car", 4L), counted(objs));
    assertEquals(List.of("impervious surface", "low vegetation"),
        objs.stream().filter(o -> o.role() == ClassRole.STUFF).map(LabeledObject::className).sorted().toList());
    Path v = Fixtures.require("data/samples/mmseg/pseudo_vaihingen_dataset/ann_dir/area1_0_0_512_512.png");
    assertEquals(Map.of("building", 4L, "tree", 2L, "car", 8L),
        counted(SemanticMaskReader.objects(LabelRaster.of(BufferedImages.read(v)), table, MinArea.DEFAULT, v, null)));
  }

  @Test
  void minAreaParsing() {
    assertEquals(263, MinArea.DEFAULT.pixelsFor(512, 512));
    assertEquals(40, MinArea.parse("40px").pixelsFor(512, 512));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> MinArea.parse("2"));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> MinArea.parse("abc"));
  }
}
