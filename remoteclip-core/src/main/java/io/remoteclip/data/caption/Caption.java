package io.remoteclip.data.caption;

import io.remoteclip.data.annotation.LabeledObject;
import java.util.List;
import java.util.Map;

/**
 * One generated caption with what it is based on.
 *
 * @param objects the objects the caption speaks about (their boxes go to captions.jsonl)
 * @param counts class → the count the caption states (exact; also for vague quantifiers), empty for
 *     location captions
 */
public record Caption(String text, CaptionKind kind, List<LabeledObject> objects, Map<String, Integer> counts) {}
