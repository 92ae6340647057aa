package io.remoteclip.data.annotation;

import java.util.ArrayList;
import java.util.List;

/** What a reader returns: the images it could read and the problems it found on the way. */
public final class Annotations {
  private final List<AnnotatedImage> images = new ArrayList<>();
  private final List<AnnotationIssue> issues = new ArrayList<>();

  public List<AnnotatedImage> images() {
    return images;
  }

  public List<AnnotationIssue> issues() {
    return issues;
  }

  public void add(AnnotatedImage image) {
    images.add(image);
  }

  public void issue(java.nio.file.Path file, int line, String message, AnnotationIssue.Action action) {
    issues.add(new AnnotationIssue(file, line, message, action));
  }

  public long objectCount() {
    return images.stream().mapToLong(i -> i.objects().size()).sum();
  }
}
