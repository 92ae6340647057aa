package io.remoteclip.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Locale;

/**
 * Where ONNX Runtime runs the towers: {@code cpu}, or {@code cuda[:N]} through the CUDA execution provider,
 * which exists only in the {@code onnxruntime_gpu} artifact (build with {@code -Ponnxruntime-gpu}) and needs
 * CUDA 12 and cuDNN 9 libraries on the library path.
 */
public record OnnxDevice(String kind, int index) {
  public static final OnnxDevice CPU = new OnnxDevice("cpu", 0);

  public static OnnxDevice parse(String s) {
    String d = s.toLowerCase(Locale.ROOT).trim();
    if (d.equals("cpu")) {
      return CPU;
    }
    if (d.equals("cuda")) {
      return new OnnxDevice("cuda", 0);
    }
    if (d.startsWith("cuda:")) {
      try {
        int i = Integer.parseInt(d.substring(5));
        if (i >= 0) {
          return new OnnxDevice("cuda", i);
        }
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new IllegalArgumentException("--device " + s + " (expected cpu, cuda or cuda:N)");
  }

  /** Adds the execution provider; a device this build or machine cannot serve is a usage error, said in one line. */
  void configure(OrtSession.SessionOptions o) {
    if (kind.equals("cuda")) {
      try {
        o.addCUDA(index);
      } catch (OrtException e) {
        throw new DeviceUnavailableException("device cuda:" + index + " needs the onnxruntime_gpu build "
            + "(./mvnw -Ponnxruntime-gpu clean package) and the CUDA 12 / cuDNN 9 libraries on LD_LIBRARY_PATH; ONNX Runtime says: "
            + e.getMessage().replace('\n', ' '));
      }
    }
  }

  @Override
  public String toString() {
    return kind.equals("cpu") ? "cpu" : "cuda:" + index;
  }
}
