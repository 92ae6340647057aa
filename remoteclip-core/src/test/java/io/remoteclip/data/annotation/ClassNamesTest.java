package io.remoteclip.data.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClassNamesTest {
  @Test
  void normalisesDatasetLabels() {
    assertEquals("small vehicle", ClassNames.normalize("small-vehicle"));
    assertEquals("storage tank", ClassNames.normalize("storage_tank"));
    assertEquals("ground track field", ClassNames.normalize("Ground_Track_Field"));
    assertEquals("ground track field", ClassNames.normalize("groundtrackfield"));
    assertEquals("golf field", ClassNames.normalize("golffield"));
    assertEquals("expressway service area", ClassNames.normalize("Expressway-Service-area"));
    assertEquals("T junction", ClassNames.normalize("T junction"));
    assertEquals("airplane", ClassNames.normalize("plane"));
    assertEquals("motorcycle", ClassNames.normalize("motor"));
  }

  @Test
  void pluralsComeFromTableThenRules() {
    assertEquals("ships", ClassNames.plural("ship"));
    assertEquals("harbors", ClassNames.plural("harbor"));
    assertEquals("buses", ClassNames.plural("bus"));
    assertEquals("ground track fields", ClassNames.plural("ground track field"));
    assertEquals("people", ClassNames.plural("person"));
    assertEquals("boxes", ClassNames.plural("box"));
    assertEquals("factories", ClassNames.plural("factory"));
    assertEquals("chimneys", ClassNames.plural("chimney"));
    assertEquals("T junctions", ClassNames.plural("T junction"));
    assertEquals("awning tricycles", ClassNames.plural("awning tricycle"));
    assertEquals("an", ClassNames.article("airplane"));
    assertEquals("a", ClassNames.article("harbor"));
  }
}
