package io.remoteclip.spark;

import java.io.Serializable;
import org.apache.spark.TaskContext;

/**
 * Called by the encode stage after each row it emits. Tests use it to fail a task attempt half-way through
 * its output, the situation Spark's task retry and output committer must make harmless.
 */
@FunctionalInterface
interface TaskFault extends Serializable {
  void afterRow(TaskContext task, long rowsEmitted);
}
