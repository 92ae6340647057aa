package io.remoteclip.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Benchmark command (not a test): single-thread decode + eval preprocessing time per image.
 *
 * <pre>
 * java -cp remoteclip-core/target/classes:remoteclip-core/target/test-classes \
 *     io.remoteclip.image.PreprocessBenchmark ../shared/data/ucm-captions/images [rounds]
 * </pre>
 */
public final class PreprocessBenchmark {
  private PreprocessBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/ucm-captions/images");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".jpg")).sorted().collect(Collectors.toList());
    }
    EvalTransform eval = new EvalTransform(PreprocessConfig.openAi());
    double checksum = 0;
    for (int i = 0; i < Math.min(300, files.size()); i++) { // warm-up
      checksum += eval.apply(files.get(i))[0];
    }
    for (int r = 0; r < rounds; r++) {
      long decodeNs = 0;
      long preprocessNs = 0;
      for (Path f : files) {
        long t0 = System.nanoTime();
        DecodedImage im = ImageDecoder.decode(f);
        long t1 = System.nanoTime();
        float[] x = eval.apply(im);
        long t2 = System.nanoTime();
        decodeNs += t1 - t0;
        preprocessNs += t2 - t1;
        checksum += x[x.length / 2];
      }
      System.out.printf("round %d: %d images, decode %.3f ms/image, resize+crop+normalise %.3f ms/image, total %.3f ms/image%n",
          r + 1, files.size(), decodeNs / 1e6 / files.size(), preprocessNs / 1e6 / files.size(),
          (decodeNs + preprocessNs) / 1e6 / files.size());
    }
    System.out.println("checksum " + checksum);
  }
}
