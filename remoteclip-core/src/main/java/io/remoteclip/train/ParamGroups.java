package io.remoteclip.train;

/**
 * open_clip's weight-decay rule (src/training/main.py): no decay for tensors with fewer than two
 * dimensions or whose name contains {@code bn}, {@code ln}, {@code bias} or {@code logit_scale}.
 */
public final class ParamGroups {
  private ParamGroups() {}

  public static boolean decays(String name, int rank) {
    return !(rank < 2 || name.contains("bn") || name.contains("ln") || name.contains("bias") || name.contains("logit_scale"));
  }
}
