package io.remoteclip.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.remoteclip.DataFormatException;
import io.remoteclip.testing.CountingTextEncoder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Repeated zero-shot labels split their probability: the library refuses them before encoding anything. */
class ClassLabelsTest {
  @Test
  void theFirstRepeatedLabelIsNamed() throws Exception {
    assertNull(ClassLabels.firstDuplicate(List.of("forest", "beach", "Forest")));
    assertEquals("beach", ClassLabels.firstDuplicate(List.of("forest", "beach", "river", "beach", "forest")));
    assertEquals(List.of("a", "b"), ClassLabels.requireDistinct(List.of("a", "b"), "x"));
  }

  @Test
  void theClassifierEveryCommandBuildsRefusesRepeatedLabels() {
    CountingTextEncoder encoder = CountingTextEncoder.of(null);
    DataFormatException e = assertThrows(DataFormatException.class, () -> ZeroShotClassifier.build(encoder,
        List.of("forest", "beach", "forest"), List.of("a satellite photo of {}."), 100f));
    assertEquals("labels: label 'forest' is given twice", e.getMessage());
    assertEquals(0, encoder.calls.get());
  }
}
