package io.remoteclip.model;

/**
 * Floating-point operations of one forward pass per item, counted from the architecture: every matrix product
 * and convolution the towers run, two operations per multiply-add (the convention of PyTorch's
 * {@code FlopCounterMode}, which open_clip's model profile uses). Normalisation, activations, softmax and
 * pooling are left out: they are a few percent and bound by memory, not by arithmetic.
 */
public final class TowerFlops {
  private TowerFlops() {}

  /** Image tower, one image at the configured size (patch or stem convolutions to the projection). */
  public static double image(ClipConfig config) {
    if (config.vision() instanceof SiglipVisionConfig s) {
      return siglip(s);
    }
    return config.vision() instanceof VitConfig v ? vit(v, config.embedDim())
        : resNet((ResNetConfig) config.vision(), config.embedDim());
  }

  /**
   * Text tower, one text run over {@code positions} positions: the causal attention lets the engines stop at
   * the longest text of a batch, so this is the work a batch of that length needs.
   */
  public static double text(ClipConfig config, int positions) {
    TextConfig t = config.text();
    double mlpRatio = (double) t.mlpWidth() / t.width();
    return 2.0 * (t.layers() * transformerLayerMacs(positions, positions, t.width(), mlpRatio)
        + (double) t.width() * config.embedDim());
  }

  /** SigLIP: no class token, MLPs of their own width, and a MAP head (one query) instead of a projection. */
  private static double siglip(SiglipVisionConfig s) {
    double tokens = (double) s.grid() * s.grid();
    double w = s.width();
    double patchEmbedding = tokens * 3.0 * s.patchSize() * s.patchSize() * w;
    double layers = s.layers() * transformerLayerMacs(tokens, tokens, w, s.mlpWidth() / w);
    double head = (1 + 2 * tokens) * w * w + 2 * tokens * w + w * w + 2 * w * s.mlpWidth();
    return 2.0 * (patchEmbedding + layers + head);
  }

  private static double vit(VitConfig v, int embedDim) {
    double patches = (double) v.grid() * v.grid();
    double patchEmbedding = patches * 3.0 * v.patchSize() * v.patchSize() * v.width();
    double tokens = patches + 1;
    double layers = v.layers() * transformerLayerMacs(tokens, tokens, v.width(), 4);
    return 2.0 * (patchEmbedding + layers + (double) v.width() * embedDim);
  }

  /** One pre-norm block: q/k/v and output projections, the two attention products, the MLP (4× in CLIP). */
  private static double transformerLayerMacs(double queries, double keys, double width, double mlpRatio) {
    double projections = (queries + 2 * keys) * width * width + queries * width * width;
    double attention = 2 * queries * keys * width;
    double mlp = 2 * mlpRatio * queries * width * width;
    return projections + attention + mlp;
  }

  /** open_clip ModifiedResNet: three-convolution stem, bottlenecks with average-pool strides, attention pool. */
  private static double resNet(ResNetConfig r, int embedDim) {
    int width = r.width();
    double side = r.imageSize() / 2.0; // the stem's first convolution has stride 2
    double macs = conv(side, 3, width / 2, 3) + conv(side, width / 2, width / 2, 3) + conv(side, width / 2, width, 3);
    side /= 2; // average pool
    int inplanes = width;
    for (int stage = 0; stage < 4; stage++) {
      int planes = width << stage;
      int stride = stage == 0 ? 1 : 2;
      for (int block = 0; block < r.layers()[stage]; block++) {
        int s = block == 0 ? stride : 1;
        double out = side / s;
        macs += conv(side, inplanes, planes, 1) + conv(side, planes, planes, 3) + conv(out, planes, planes * 4, 1);
        if (s > 1 || inplanes != planes * 4) {
          macs += conv(out, inplanes, planes * 4, 1); // downsample after its average pool
        }
        inplanes = planes * 4;
        side = out;
      }
    }
    // the pool attends from the mean token only: one query, keys and values over the grid plus that token
    double tokens = side * side + 1;
    double c = r.poolWidth();
    macs += (1 + 2 * tokens) * c * c + 2 * tokens * c + c * embedDim;
    return 2.0 * macs;
  }

  private static double conv(double outSide, int in, int out, int kernel) {
    return outSide * outSide * in * out * kernel * kernel;
  }
}
