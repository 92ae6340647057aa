package io.remoteclip.data.annotation;

/** How a class takes part in captions. */
public enum ClassRole {
  /** Countable object ("thing"): boxes are counted and located. */
  COUNT,
  /** Amorphous region (low vegetation, impervious surface): never counted, optionally mentioned. */
  STUFF,
  /** Not a class at all (no-data, unlabeled, ignored regions): dropped silently. */
  IGNORE
}
