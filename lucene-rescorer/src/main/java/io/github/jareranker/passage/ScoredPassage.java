package io.github.jareranker.passage;

/**
 * A passage and what the model made of it.
 *
 * @param passage the passage
 * @param score the model score (after the activation)
 * @param logit the raw model logit
 */
public record ScoredPassage(Passage passage, float score, float logit) {}
