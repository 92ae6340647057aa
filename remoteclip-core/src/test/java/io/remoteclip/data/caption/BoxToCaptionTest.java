package io.remoteclip.data.caption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.data.annotation.BoundingBox;
import io.remoteclip.data.annotation.ClassRole;
import io.remoteclip.data.annotation.LabeledObject;
import io.remoteclip.data.caption.BoxToCaption.StuffMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BoxToCaptionTest {
  static LabeledObject obj(String cls, double cx, double cy) {
    return new LabeledObject(cls, new BoundingBox(cx - 2, cy - 2, cx + 2, cy + 2), null, false, ClassRole.COUNT, 0);
  }

  static BoxToCaption b2c(long seed) {
    return new BoxToCaption(PhraseSet.SATELLITE, 1.0 / 3, StuffMode.PRESENCE, seed, Map.of());
  }

  @Test
  void singleObjectInTheMiddle() {
    List<Caption> c = b2c(0).captions("a.png", 300, 300, List.of(obj("airplane", 150, 150)));
    assertEquals(5, c.size());
    assertEquals("An airplane is in the middle of the picture.", c.get(0).text());
    assertEquals("There is an airplane in the middle of the picture.", c.get(1).text());
    assertTrue(c.get(2).text().matches("There is (1|one) airplane in the picture\\."), c.get(2).text());
    assertTrue(c.get(3).text().matches("The picture contains (1|one) airplane\\."), c.get(3).text());
    assertEquals("There is only one airplane in the picture.", c.get(4).text());
    assertEquals(List.of(CaptionKind.LOCATION, CaptionKind.LOCATION, CaptionKind.COUNT, CaptionKind.COUNT,
        CaptionKind.CLASSES), c.stream().map(Caption::kind).toList());
  }

  @Test
  void countsUseDigitsInOneCaptionAndWordsInTheOther() {
    List<LabeledObject> objs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      objs.add(obj("ship", 10 + i * 5, 10));
    }
    objs.add(obj("harbor", 20, 280));
    List<Caption> c = b2c(1).captions("b.png", 300, 300, objs);
    String both = c.get(2).text() + " | " + c.get(3).text();
    assertTrue(both.contains("3 ships and 1 harbor") && both.contains("three ships and one harbor"), both);
    assertEquals("There are both ships and a harbor in the picture.", c.get(4).text());
    assertEquals(Map.of("ship", 3, "harbor", 1), c.get(2).counts());
    assertTrue(c.get(0).text().contains("at the edge of the picture"), c.get(0).text());
  }

  @Test
  void moreThanTenBecomesVagueAndStuffIsOnlyMentioned() {
    List<LabeledObject> objs = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      objs.add(obj("small vehicle", 10 + i * 20, 150));
    }
    objs.add(new LabeledObject("low vegetation", new BoundingBox(0, 0, 300, 300), null, false, ClassRole.STUFF, 0));
    List<Caption> c = b2c(2).captions("c.png", 300, 300, objs);
    assertTrue(c.get(2).text().matches("There are (many|lots of|a large number of) small vehicles in the picture, "
        + "with low vegetation\\."), c.get(2).text());
    assertTrue(!c.get(3).text().contains("11") && !c.get(3).text().contains("eleven"));
    assertEquals("Small vehicles are both in the middle and at the edge of the picture.", c.get(0).text());
    assertEquals("There are only small vehicles in the picture.", c.get(4).text());
    for (Caption x : c) {
      assertTrue(!x.objects().stream().anyMatch(o -> !o.counted()));
    }
  }

  @Test
  void deterministicForASeedAndNothingWithoutObjects() {
    List<LabeledObject> objs = List.of(obj("ship", 10, 10), obj("bridge", 150, 150), obj("harbor", 290, 20),
        obj("harbor", 280, 40));
    assertEquals(b2c(7).captions("x", 300, 300, objs), b2c(7).captions("x", 300, 300, objs));
    boolean differs = false;
    for (long s = 0; s < 20 && !differs; s++) {
      differs = !b2c(s).captions("x", 300, 300, objs).equals(b2c(7).captions("x", 300, 300, objs));
    }
    assertTrue(differs, "some seed changes the choices");
    assertEquals(List.of(), b2c(0).captions("y", 300, 300, List.of()));
    assertEquals("There are ships, bridges and harbors in the picture.".length() > 0, true);
    assertEquals("There are harbors, a bridge and a ship in the picture.", b2c(0).captions("x", 300, 300, objs).get(4).text());
  }

  @Test
  void phraseFileOverridesWordingAndRejectsUnknownKeys(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    java.nio.file.Path f = tmp.resolve("p.yaml");
    java.nio.file.Files.writeString(f, "picture: scene\ncountTemplates: ['We see {list} in the {picture}.', '{list} here.']\n"
        + "vague: [plenty of]\n");
    PhraseSet p = PhraseSet.named(f.toString());
    List<LabeledObject> objs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      objs.add(obj("ship", 10 + i * 20, 150));
    }
    List<Caption> c = new BoxToCaption(p, 1.0 / 3, StuffMode.NONE, 0, Map.of()).captions("s", 300, 300, objs);
    assertEquals("We see plenty of ships in the scene.", c.get(2).text());
    assertEquals("Plenty of ships here.", c.get(3).text());
    assertEquals("Ships are both in the middle and at the edge of the scene.", c.get(0).text());
    java.nio.file.Files.writeString(f, "picture: scene\npictur: x\n");
    var e = org.junit.jupiter.api.Assertions.assertThrows(io.remoteclip.DataFormatException.class,
        () -> PhraseSet.named(f.toString()));
    assertTrue(e.getMessage().startsWith(f + ":2: unknown key 'pictur'"), e.getMessage());
  }

  @Test
  void uavWording() {
    BoxToCaption uav = new BoxToCaption(PhraseSet.UAV, 1.0 / 3, StuffMode.NONE, 0, Map.of("person", "persons"));
    List<Caption> c = uav.captions("d", 300, 300, List.of(obj("person", 150, 150), obj("person", 140, 150)));
    assertEquals("Persons are in the middle of the aerial image.", c.get(0).text());
    assertTrue(c.get(2).text().matches("There are (2|two) persons in this aerial image\\."), c.get(2).text());
    assertNotEquals(c.get(2).text(), c.get(3).text());
  }
}
