package io.remoteclip.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Counts against open_clip's published model profile (docs/model_profile.csv: GFLOPs per image and per 77-token
 * text, measured with PyTorch's FlopCounterMode on its own modules) — an independent count of the same
 * architectures.
 */
class TowerFlopsTest {
  @ParameterizedTest
  @CsvSource({"ViT-B-32, 8.82, 5.96", "ViT-B-16, 35.13, 5.96", "ViT-L-14, 162.03, 13.30"})
  void vitTowersMatchOpenClipsProfile(String arch, double imageGflops, double textGflops) throws Exception {
    ClipConfig config = Architectures.parse(arch, 0);
    assertEquals(imageGflops, TowerFlops.image(config) / 1e9, imageGflops * 0.003);
    assertEquals(textGflops, TowerFlops.text(config, 77) / 1e9, textGflops * 0.003);
  }

  /**
   * The profiled attention pool ran its query, attention and output projection over all grid tokens and kept
   * the first; ours (like open_clip's current code) runs the mean token alone. Adding that difference back
   * must give the profile's figure, so the stem, the bottleneck stages and the pool are all counted right.
   */
  @ParameterizedTest
  @CsvSource({"RN50, 12.22", "RN101, 19.54"})
  void resNetTowersMatchOpenClipsProfile(String arch, double profiledGflops) throws Exception {
    ClipConfig config = Architectures.parse(arch, 0);
    ResNetConfig r = (ResNetConfig) config.vision();
    double tokens = Math.pow(r.imageSize() / 32.0, 2) + 1;
    double c = r.poolWidth();
    double fullQueryExtra = 2 * ((tokens - 1) * c * c + 2 * tokens * (tokens - 1) * c + (tokens - 1) * c * config.embedDim());
    assertEquals(profiledGflops, (TowerFlops.image(config) + fullQueryExtra) / 1e9, profiledGflops * 0.003);
  }

  @ParameterizedTest
  @CsvSource({"ViT-B-32", "RN50"})
  void textWorkGrowsWithThePositionsRun(String arch) throws Exception {
    ClipConfig config = Architectures.parse(arch, 0);
    // 21 of 77 positions: the linear layers shrink in proportion, the attention products quadratically
    double full = TowerFlops.text(config, 77);
    double trimmed = TowerFlops.text(config, 21);
    double w = config.text().width();
    double perLayerDifference = 12 * 56 * w * w + 2 * (77 * 77 - 21 * 21) * w;
    assertEquals(2 * config.text().layers() * perLayerDifference, full - trimmed, 1e-6 * full);
  }
}
