package io.remoteclip.spark;

import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.ClipEncoder;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One loaded model per executor JVM, created by the first task that needs it and shared by every later task
 * (concurrent tasks of the executor's cores included: {@link ClipEncoder} is thread-safe). Static state is the
 * point: tasks are deserialised afresh, the JVM is not. Lives until the executor exits.
 */
final class ExecutorEncoders {
  private static final Map<String, ClipEncoder> LOADED = new HashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();
  private static final AtomicLong LOAD_NANOS = new AtomicLong();

  private ExecutorEncoders() {}

  /** The encoder for {@code shipment}, loading it (once per JVM) if needed. */
  static synchronized ClipEncoder get(ModelShipment shipment) throws IOException, RemoteClipException {
    String key = shipment.loadKey();
    ClipEncoder encoder = LOADED.get(key);
    if (encoder != null) {
      return encoder;
    }
    configureEngine(shipment.intraOpThreads());
    long t0 = System.nanoTime();
    encoder = shipment.onnx() == null
        ? ClipEncoder.open(shipment.localModel(), shipment.localOptions(), ProgressListener.NONE)
        : io.remoteclip.onnx.OnnxEngine.openExport(shipment.localOnnxExport(), shipment.localOptions(),
            new io.remoteclip.onnx.OnnxEngine.Options(shipment.intraOpThreads(),
                io.remoteclip.onnx.OnnxDevice.parse(shipment.onnx().device()), io.remoteclip.onnx.Quantization.FP32));
    if (shipment.modelId() != null && !encoder.modelId().equals(shipment.modelId())) {
      String got = encoder.modelId();
      encoder.close();
      throw new IllegalStateException("executor loaded model " + got + ", the driver's is " + shipment.modelId()
          + " (are the shipped files the driver's?)");
    }
    LOAD_NANOS.addAndGet(System.nanoTime() - t0);
    LOADS.incrementAndGet();
    LOADED.put(key, encoder);
    return encoder;
  }

  /**
   * PyTorch reads its thread counts once, when the engine starts: intra-op threads per forward pass (the
   * executor's tasks run side by side, so cores / concurrent tasks each) and one inter-op thread.
   */
  static void configureEngine(int intraOpThreads) {
    if (intraOpThreads > 0 && System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(intraOpThreads));
    }
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    // Executors have no network in many clusters; the natives come from the jar on the class path.
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  /** Models loaded by this JVM so far (tests and the job summary: the per-executor overhead, measured). */
  static int loads() {
    return LOADS.get();
  }

  static double loadSeconds() {
    return LOAD_NANOS.get() / 1e9;
  }
}
