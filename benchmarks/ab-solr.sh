#!/usr/bin/env bash
# User-level A/B: this checkout's Solr plugin against an older commit's, in one run (not part of CI).
#
#   benchmarks/ab-solr.sh REV [bench-ab options]
#   benchmarks/ab-solr.sh 5db32f1 --model models/bench-tiny-v2 --onnx-file onnx/model_qint8_avx2.onnx \
#       --out docs/results/ab-solr-tiny-int8.json
#
# Builds REV's plugin jars from `git archive REV` in a temporary folder (Maven; its dependencies come from ~/.m2 or
# Maven Central), then runs `bin/ja-reranker bench-ab`: one Solr node in a JVM of its own with two cores over the
# same long pages and model, REV's plugin and configset in one, this checkout's in the other; one client asks every
# question of both, alternating which goes first (cli/.../BenchAbCommand.java). Defaults: top 100 reranked,
# 100 measured questions after 5 warm-up ones; the JSQuAD data as the other commands find it.
# Run it on an otherwise idle machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -lt 1 ] || [[ "$1" == -* ]]; then
  echo "usage: benchmarks/ab-solr.sh REV [bench-ab options]   (REV: the older commit, e.g. 5db32f1)" >&2
  exit 2
fi
REV="$1"
shift
COMMIT="$(git -C "$ROOT" rev-parse --verify --short "$REV^{commit}")" || { echo "ab-solr: no commit '$REV'" >&2; exit 2; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ja-reranker-ab-$COMMIT-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/src" "$WORK/lib"
git -C "$ROOT" archive "$COMMIT" | tar -x -C "$WORK/src"
echo "ab-solr: building the plugin of $COMMIT in $WORK/src ..." >&2
(cd "$WORK/src" && mvn -q -B -DskipTests -Dspotless.check.skip=true -pl solr-plugin -am package) >&2
# The plugin's own jars (the modules solr-plugin is built from); Solr and the third-party jars come from this build.
for jar in "$WORK"/src/*/target/ja-reranker-*.jar; do
  case "$jar" in *-tests.jar | *-sources.jar | *-javadoc.jar) ;; *) cp "$jar" "$WORK/lib/" ;; esac
done
"$ROOT/bin/ja-reranker" bench-ab --baseline-lib "$WORK/lib" --baseline-conf "$WORK/src/example-configset/conf" \
  --baseline-name "$COMMIT" "$@"
