package io.remoteclip.data.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ObjectNamesTest {
  @Test
  void normalisesDatasetLabels() {
    assertEquals("small vehicle", ObjectNames.normalize("small-vehicle"));
    assertEquals("storage tank", ObjectNames.normalize("storage_tank"));
    assertEquals("ground track field", ObjectNames.normalize("Ground_Track_Field"));
    assertEquals("ground track field", ObjectNames.normalize("groundtrackfield"));
    assertEquals("golf field", ObjectNames.normalize("golffield"));
    assertEquals("expressway service area", ObjectNames.normalize("Expressway-Service-area"));
    assertEquals("T junction", ObjectNames.normalize("T junction"));
    assertEquals("airplane", ObjectNames.normalize("plane"));
    assertEquals("motorcycle", ObjectNames.normalize("motor"));
  }

  @Test
  void pluralsComeFromTableThenRules() {
    assertEquals("ships", ObjectNames.plural("ship"));
    assertEquals("harbors", ObjectNames.plural("harbor"));
    assertEquals("buses", ObjectNames.plural("bus"));
    assertEquals("ground track fields", ObjectNames.plural("ground track field"));
    assertEquals("people", ObjectNames.plural("person"));
    assertEquals("boxes", ObjectNames.plural("box"));
    assertEquals("factories", ObjectNames.plural("factory"));
    assertEquals("chimneys", ObjectNames.plural("chimney"));
    assertEquals("T junctions", ObjectNames.plural("T junction"));
    assertEquals("awning tricycles", ObjectNames.plural("awning tricycle"));
    assertEquals("an", ObjectNames.article("airplane"));
    assertEquals("a", ObjectNames.article("harbor"));
  }
}
