package io.remoteclip.index;

/** A zero-shot label and its probability among the labels it was scored against. */
public record LabelScore(String label, double probability) {}
