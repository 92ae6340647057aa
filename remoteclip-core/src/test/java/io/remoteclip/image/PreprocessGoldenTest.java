package io.remoteclip.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.npy.Npy;
import io.remoteclip.npy.NpyArray;
import io.remoteclip.testing.Fixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every image of golden/preprocess/: decoded pixels against the manifest's hashes, resize/crop geometry,
 * the uint8 image before ToTensor and the normalised tensor. The README allows 1 level and 0.02 / 0.002;
 * this implementation is bit-exact, which is asserted too (a regression to "within tolerance" should be seen).
 */
class PreprocessGoldenTest {
  static Stream<JsonNode> images() throws Exception {
    Path manifest = Fixtures.require("golden/preprocess/manifest.json");
    List<JsonNode> list = new ArrayList<>();
    new ObjectMapper().readTree(manifest.toFile()).get("images").forEach(list::add);
    assertEquals(11, list.size());
    return list.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void decodedPixelsMatchManifest(JsonNode entry) throws Exception {
    Path dir = Fixtures.require("golden/preprocess");
    DecodedImage im = ImageDecoder.decode(dir.resolve(entry.get("file").asText()));
    assertEquals(entry.get("mode").asText(), im.mode().pilName());
    assertEquals(entry.get("size_wh").get(0).asInt(), im.width());
    assertEquals(entry.get("size_wh").get(1).asInt(), im.height());
    assertEquals(entry.get("decoded_array").get("sha256").asText(), sha256(asNumpyBytes(im)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void geometryMatchesManifest(JsonNode entry) {
    int w = entry.get("size_wh").get(0).asInt();
    int h = entry.get("size_wh").get(1).asInt();
    int[] size = EvalTransform.resizedSize(w, h, 224);
    assertEquals(entry.get("resized_wh").get(0).asInt(), size[0]);
    assertEquals(entry.get("resized_wh").get(1).asInt(), size[1]);
    int[] offset = EvalTransform.centerCropOffset(size[0], size[1], 224);
    assertEquals(entry.get("crop_left_top").get(0).asInt(), offset[0]);
    assertEquals(entry.get("crop_left_top").get(1).asInt(), offset[1]);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void tensorMatchesOpenClip(JsonNode entry) throws Exception {
    Path dir = Fixtures.require("golden/preprocess");
    EvalTransform transform = new EvalTransform(PreprocessConfig.openAi());
    DecodedImage im = ImageDecoder.decode(dir.resolve(entry.get("file").asText()));
    NpyArray expectedArray = Npy.read(dir.resolve(entry.get("npy").asText()));
    assertArrayEquals(new int[] {3, 224, 224}, expectedArray.shape());
    float[] expected = expectedArray.floats();
    float[] actual = transform.apply(im);
    double max = 0;
    double sum = 0;
    int differing = 0;
    for (int i = 0; i < expected.length; i++) {
      double d = Math.abs(actual[i] - expected[i]);
      max = Math.max(max, d);
      sum += d;
      differing += actual[i] != expected[i] ? 1 : 0;
    }
    assertTrue(max < 0.02, "max abs diff " + max);
    assertTrue(sum / expected.length < 0.002, "mean abs diff " + sum / expected.length);
    assertEquals(0, differing, "values not bit-identical (max diff " + max + ")");

    if (!entry.get("resized_npy").isNull()) {
      NpyArray resized = Npy.read(dir.resolve(entry.get("resized_npy").asText()));
      assertArrayEquals(new int[] {224, 224, 3}, resized.shape());
      byte[] exp = new byte[resized.data().remaining()];
      resized.data().duplicate().get(exp);
      byte[] act = transform.resizedRgb(im);
      int worst = 0;
      for (int i = 0; i < exp.length; i++) {
        worst = Math.max(worst, Math.abs((exp[i] & 0xFF) - (act[i] & 0xFF)));
      }
      assertTrue(worst <= 1, "uint8 image differs by " + worst + " levels");
      assertArrayEquals(exp, act, "uint8 image not identical");
    }
  }

  /** The bytes of {@code np.asarray(img)}: uint8 samples, int32 little-endian for mode I. */
  static byte[] asNumpyBytes(DecodedImage im) {
    if (im.mode() != ImageMode.I) {
      return im.bytes();
    }
    ByteBuffer b = ByteBuffer.allocate(im.ints().length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asIntBuffer().put(im.ints());
    return b.array();
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
