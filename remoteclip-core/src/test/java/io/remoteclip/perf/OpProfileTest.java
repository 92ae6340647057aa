package io.remoteclip.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpProfileTest {
  @Test
  void selfTimeIsDurationLessNestedCallsPerThread() throws Exception {
    // thread 1: conv2d [0, 100) calls convolution [10, 90) calls mkldnn [20, 80); then add [100, 110)
    // thread 2: a second conv2d [5, 45) with nothing inside
    String trace = """
        {"traceEvents": [
          {"name": "aten::conv2d", "ph": "X", "ts": 0, "dur": 100, "tid": 1},
          {"name": "aten::convolution", "ph": "X", "ts": 10, "dur": 80, "tid": 1},
          {"name": "aten::mkldnn_convolution", "ph": "X", "ts": 20, "dur": 60, "tid": 1},
          {"name": "aten::add", "ph": "X", "ts": 100, "dur": 10, "tid": 1},
          {"name": "aten::conv2d", "ph": "X", "ts": 5, "dur": 40, "tid": 2},
          {"name": "process_name", "ph": "M", "tid": 1}
        ]}""";
    Map<String, OpProfile.OpTime> ops = OpProfile.summarise(new ObjectMapper().readTree(trace)).stream()
        .collect(Collectors.toMap(OpProfile.OpTime::op, Function.identity()));
    assertEquals(4, ops.size());
    assertEquals(0.060, ops.get("aten::mkldnn_convolution").selfMs(), 1e-12);
    assertEquals(0.020, ops.get("aten::convolution").selfMs(), 1e-12);
    assertEquals(2, ops.get("aten::conv2d").calls());
    assertEquals(0.020 + 0.040, ops.get("aten::conv2d").selfMs(), 1e-12);
    assertEquals(0.140, ops.get("aten::conv2d").totalMs(), 1e-12);
    assertEquals(0.010, ops.get("aten::add").selfMs(), 1e-12);
  }

  @Test
  void profilesRealEngineWork(@TempDir Path dir) throws Exception {
    Path trace = dir.resolve("trace.json");
    List<OpProfile.OpTime> ops;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.randomNormal(new Shape(256, 256));
      ops = OpProfile.record(() -> {
        for (int i = 0; i < 3; i++) {
          a.matMul(a).close();
        }
      }, trace);
    }
    assertTrue(Files.size(trace) > 0);
    OpProfile.OpTime mm = ops.stream().filter(o -> o.op().equals("aten::mm") || o.op().equals("aten::matmul"))
        .findFirst().orElseThrow(() -> new AssertionError("no matmul in " + ops));
    assertEquals(3, mm.calls());
    assertTrue(mm.totalMs() > 0);
  }
}
