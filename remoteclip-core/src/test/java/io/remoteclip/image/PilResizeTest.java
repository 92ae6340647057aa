package io.remoteclip.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.remoteclip.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Resizes real and golden images with each filter and compares the SHA-256 of the result with Pillow 9.4's
 * {@code Image.open(f).resize(size, filter)} (hashes computed once with Pillow, over {@code np.asarray}).
 */
class PilResizeTest {
  @ParameterizedTest(name = "{0} {1}x{2} {3}")
  @CsvSource({
    "data/samples/ucm-tif/harbor00.tif, 100, 77, BILINEAR, RGB, 7cffdc2fa07779fccb6de0970b06045b0c6edd61c96da989ea480c9df858b95b",
    "data/samples/ucm-tif/harbor00.tif, 100, 77, NEAREST, RGB, 6db71e8f790ce86d7eef23b6414ae845d81bdacc821890f2381d11f8d65544f7",
    "data/samples/ucm-tif/harbor00.tif, 300, 290, BICUBIC, RGB, 59184daef2d784a49829046290d52bb91ed0b9e2f7d6a18a867f5da237d2018d",
    "data/samples/ucm-tif/harbor00.tif, 61, 400, BICUBIC, RGB, 80d9f17f5977e901318b47b7635a1f8a8ba0bb0cee37a4d7b780064b6e6fa48d",
    "golden/preprocess/synth_rgba.png, 123, 45, BILINEAR, RGBA, eccf42f0769718d31c0a082195b69680516feaa6f4884d0010d6c10b73e30599",
    "golden/preprocess/synth_rgba.png, 123, 45, NEAREST, RGBA, 46925478e60737fcf9e6adb7d32196b525694181ba985ed7a27c713114361233",
    "golden/preprocess/synth_gray16.png, 123, 45, BILINEAR, I, adf1f49ffd028b63a7aa8f7524283f30770f7e81f15ba912ab017a50c54f6f6a",
    "golden/preprocess/synth_gray16.png, 401, 333, BICUBIC, I, 40a2e5211ea6aeab4bc8613860612cd3f8c79984145d31f3083b63841a85a0a8",
    "golden/preprocess/synth_palette_P.png, 77, 300, BICUBIC, P, b1130084ca0f58d47e7bb0463d23ca5a87696bff3c0fae5f12937322f40ae5ac",
    "golden/preprocess/synth_gray_L.png, 33, 17, BILINEAR, L, 7245f517e8446df718004e6ad28d8d942f835821fc0c53bf7d1498c5de964d5e",
  })
  void matchesPillow(String file, int w, int h, Resample filter, String mode, String sha256) throws Exception {
    DecodedImage im = ImageDecoder.decode(Fixtures.require(file));
    DecodedImage out = PilResize.resize(im, w, h, filter);
    assertEquals(mode, out.mode().pilName());
    assertEquals(w, out.width());
    assertEquals(h, out.height());
    assertEquals(sha256, PreprocessGoldenTest.sha256(PreprocessGoldenTest.asNumpyBytes(out)));
  }

  @Test
  void nearestAccumulatesTheSourceCoordinateLikePillow() {
    // Pillow: 4 -> 6 pixels gives 0,1,1,2,2,3 (floor((i + 0.5) * 4 / 6) would give 0,1,1,2,3,3).
    assertArrayEquals(new int[] {0, 1, 1, 2, 2, 3}, PilResize.nearestIndices(4, 6));
    assertArrayEquals(new int[] {1, 4, 6, 9, 12}, PilResize.nearestIndices(14, 5));
  }

  @Test
  void sameSizeIsUnchanged() throws Exception {
    DecodedImage im = ImageDecoder.decode(Fixtures.require("golden/preprocess/synth_tiny_17x9.png"));
    assertEquals(im, PilResize.resize(im, 17, 9, Resample.BICUBIC));
  }
}
