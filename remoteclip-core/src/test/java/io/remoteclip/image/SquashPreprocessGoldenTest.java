package io.remoteclip.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.remoteclip.Json;
import io.remoteclip.npy.Npy;
import io.remoteclip.npy.NpyArray;
import io.remoteclip.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * SigLIP's preprocessing (open_clip's {@code resize_mode="squash"}, mean = std = 0.5, bicubic at 256) against the
 * golden siglip-tiny images: the 8-bit image after the resize and the normalised tensor, bit for bit (the README
 * allows 1 level; Pillow's integer bicubic makes exact achievable). Includes a 256×256 input (returned unfiltered)
 * and 1192×564, squashed 4.66× horizontally and 2.20× vertically.
 */
class SquashPreprocessGoldenTest {
  static final PreprocessConfig SIGLIP_256 = new PreprocessConfig(256, new float[] {0.5f, 0.5f, 0.5f},
      new float[] {0.5f, 0.5f, 0.5f}, Resample.BICUBIC, ResizeMode.SQUASH);

  @Test
  void resizedImagesAndTensorsAreOpenClips() throws Exception {
    Path dir = Fixtures.require("golden/siglip-tiny");
    Path sources = Fixtures.require("golden/preprocess");
    List<String> names = Json.mapper().readValue(dir.resolve("image_names.json").toFile(),
        Json.mapper().getTypeFactory().constructCollectionType(List.class, String.class));
    NpyArray resized = Npy.read(dir.resolve("images_resized_u8.npy"));
    byte[] allResized = new byte[resized.data().remaining()];
    resized.data().duplicate().get(allResized);
    float[] allTensors = Npy.read(dir.resolve("images.npy")).floats();
    EvalTransform transform = new EvalTransform(SIGLIP_256);
    int pixels = 256 * 256 * 3;
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      Path file;
      try (Stream<Path> s = Files.list(sources)) {
        file = s.filter(p -> p.getFileName().toString().startsWith(name + ".") && !p.toString().endsWith(".npy"))
            .findFirst().orElseThrow();
      }
      DecodedImage im = ImageDecoder.decode(file);
      assertArrayEquals(java.util.Arrays.copyOfRange(allResized, i * pixels, (i + 1) * pixels), transform.resizedRgb(im),
          name + ": uint8 image after the squash");
      assertArrayEquals(java.util.Arrays.copyOfRange(allTensors, i * pixels, (i + 1) * pixels), transform.apply(im),
          name + ": normalised tensor");
    }
  }
}
