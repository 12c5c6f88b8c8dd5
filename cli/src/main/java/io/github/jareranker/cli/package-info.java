/**
 * {@code bin/ja-reranker}: the command line (score, demo and its page, eval, optimize-model, the bench and soak
 * commands) and the in-process Solr it starts. May import every module of this project; nothing imports it.
 */
package io.github.jareranker.cli;
