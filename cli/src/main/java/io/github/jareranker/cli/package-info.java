/**
 * {@code bin/ja-reranker}: the command line (score, demo and its page, eval, optimize-model, the bench and soak
 * commands) and the in-process Solr it starts, and {@code bench-ab}'s Solr node in a JVM of its own ({@link
 * io.github.jareranker.cli.AbSolrNode}), which loads no plugin class itself. May import every module of this project;
 * nothing imports it.
 */
package io.github.jareranker.cli;
