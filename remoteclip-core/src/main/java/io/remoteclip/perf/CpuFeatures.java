package io.remoteclip.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What the CPU offers for reduced-precision inference, read from {@code /proc/cpuinfo} (Linux). */
public final class CpuFeatures {
  private static final List<String> BF16_FLAGS = List.of("avx512_bf16", "amx_bf16");

  private CpuFeatures() {}

  /** The CPU's feature flags; empty when unknown (not Linux). */
  public static Set<String> flags() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("flags")) {
          return new TreeSet<>(List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: unknown
    }
    return Set.of();
  }

  /** True when bf16 dot products run natively (AVX512_BF16 or AMX); otherwise bf16 is emulated and slow. */
  public static boolean hasNativeBf16() {
    Set<String> flags = flags();
    return BF16_FLAGS.stream().anyMatch(flags::contains);
  }

  /** The CPU model name, or "unknown CPU". */
  public static String modelName() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return "unknown CPU";
  }
}
