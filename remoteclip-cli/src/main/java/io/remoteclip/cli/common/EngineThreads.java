package io.remoteclip.cli.common;

/** Sets PyTorch's intra-op thread count before the engine starts (DJL reads it once). */
public final class EngineThreads {
  private EngineThreads() {}

  public static void configure(int threads) {
    if (threads > 0) {
      System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
    }
    // every op already uses all intra-op threads; a second (inter-op) pool would only compete for the cores
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  public static int current() {
    String p = System.getProperty("ai.djl.pytorch.num_threads");
    return p != null ? Integer.parseInt(p) : Runtime.getRuntime().availableProcessors();
  }
}
