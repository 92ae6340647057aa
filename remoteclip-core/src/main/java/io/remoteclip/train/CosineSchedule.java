package io.remoteclip.train;

/**
 * open_clip {@code cosine_lr}: linear warm-up to the base rate over {@code warmup} steps
 * (lr = base · (step + 1) / warmup), then cosine decay to zero at {@code totalSteps}.
 */
public record CosineSchedule(double baseLr, long warmup, long totalSteps) {
  public double lr(long step) {
    if (step < warmup) {
      return baseLr * (step + 1) / warmup;
    }
    long e = step - warmup;
    long es = Math.max(1, totalSteps - warmup);
    return 0.5 * (1 + Math.cos(Math.PI * e / es)) * baseLr;
  }
}
