package io.remoteclip.hub;

/**
 * A named BPE vocabulary of the registry (the CLIP one is {@code clip-bpe}).
 *
 * @param name registry name
 * @param description one line for {@code remoteclip models}
 * @param file where to download it
 * @param origin where this entry was read from
 */
public record VocabularyEntry(String name, String description, RemoteFile file, String origin) {}
