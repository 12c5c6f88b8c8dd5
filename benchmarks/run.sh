#!/usr/bin/env bash
# The performance numbers of docs/performance.md, in one command (not part of CI; ~25 min on 2 cores):
#
#   benchmarks/run.sh            # everything: peak, engine latency vs peers, tuning variants, Solr end to end, charts
#   benchmarks/run.sh --quick    # the same steps on a tiny workload (a smoke test of the harness, numbers meaningless)
#   benchmarks/run.sh --sweep    # only step 6 and the charts (~10 min)
#   benchmarks/run.sh --profile  # only step 8 (~2 min)
#   benchmarks/run.sh --attention  # only the long-pages latency of step 3: fused attention vs MatMul/Softmax (~8 min)
#   benchmarks/run.sh --solr     # only step 5 (~10 min)
#   benchmarks/run.sh --ab REV   # only step 9: user-level A/B against commit REV (benchmarks/ab-solr.sh; ~15 min)
#
# Steps:
#   1. random-weight models shaped like japanese-reranker-{tiny,xsmall}-v2 (models/generator, Debian's
#      python3-torch/python3-onnx/python3-sentencepiece), the fused graph the engine runs by default written out as a
#      file for the profiler (bin/ja-reranker optimize-model) and single-GEMM graphs at their shapes;
#   2. PeakBenchmark: the GEMM peak of this CPU through ONNX Runtime (1 thread, all cores, 1 thread per core);
#   3. LatencyBenchmark per model and ONNX file: ja-reranker (defaults: the fused graph), its previous configuration,
#      langchain4j's OnnxScoringModel and ja-reranker on the file as it is (optimizeGraph=false), interleaved query by
#      query, all on the same file and pairs; share of peak;
#      the same on long pages (--workload longpages) for tiny; the fused graph's load time (LoadTimeBenchmark);
#   4. the tuning variants behind the defaults (workers, batch size, maxLength);
#   5. bin/ja-reranker bench-solr: 1, 4 and 16 concurrent clients, BM25 vs reranked;
#   6. latency by number of candidates (10, 25, 50, 100): ja-reranker vs langchain4j, tiny and xsmall, int8 and fp32;
#   7. Charts → docs/images/*.png. Raw results: benchmarks/target/results/*.json;
#   8. ProfileBenchmark: kernel time by operator of one-pair runs (ONNX Runtime's profiler), int8 plain and fused.
#   9. (--ab REV only) one Solr client, top 100 long pages, tiny int8: this checkout's plugin vs REV's, alternating.
# Reads JSQuAD from ../shared/data, JA_RERANKER_DATA or evaluation/data/full (evaluation/data/fetch.sh).
# Run it on an otherwise idle machine: every figure is CPU time on shared cores.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
QUICK=false
SWEEP_ONLY=false
PROFILE_ONLY=false
ONLY=""
[ "${1:-}" = "--quick" ] && QUICK=true
[ "${1:-}" = "--sweep" ] && SWEEP_ONLY=true
[ "${1:-}" = "--profile" ] && PROFILE_ONLY=true
case "${1:-}" in --attention | --solr | --ab) ONLY="${1#--}" ;; esac
RESULTS="$ROOT/benchmarks/target/results"
mkdir -p "$RESULTS"
PY=/usr/bin/python3

for preset in tiny-v2 xsmall-v2; do
  [ -f "models/bench-$preset/onnx/model_qint8_avx2.onnx" ] || "$PY" models/generator/generate_test_model.py --preset "$preset"
done
for m in tiny xsmall; do
  for f in model.onnx onnx/model_qint8_avx2.onnx; do
    fused="${f%.onnx}.fused.onnx"
    [ -f "models/bench-$m-v2/$fused" ] || bin/ja-reranker optimize-model --model "models/bench-$m-v2" --onnx-file "$f" | tail -2
    # The same fusions but attention, which stays the exported MatMul/Softmax graph (the --attention comparison).
    decomposed="${f%.onnx}.decomposed.onnx"
    [ -f "models/bench-$m-v2/$decomposed" ] || bin/ja-reranker optimize-model --model "models/bench-$m-v2" --onnx-file "$f" \
      --fusions SKIP_LAYER_NORM,GEGLU_SPLIT,POOLED_ROW --out "$decomposed" | tail -2
    # Every fusion, kept even where the verifier refuses it (the random-weight int8 graphs): what a model that passes
    # would gain, measured as the unverified-full variant; the engine never runs it by itself.
    full="${f%.onnx}.full-unverified.onnx"
    [ -f "models/bench-$m-v2/$full" ] || bin/ja-reranker optimize-model --model "models/bench-$m-v2" --onnx-file "$f" \
      --fusions ATTENTION,SKIP_LAYER_NORM,GEGLU_SPLIT,POOLED_ROW,UNPADDED_GLOBAL_ATTENTION --keep-unverified \
      --out "$full" | tail -1
    # The engine's default fusions without the banded sliding-window attention (the --attention comparison): float32
    # the full set, int8 the bitwise-exact set the engine keeps for these random-weight models.
    unbanded="${f%.onnx}.unbanded.onnx"
    set_of=ATTENTION_KEEPING_ROTARY,SKIP_LAYER_NORM,GEGLU_SPLIT,POOLED_ROW,UNPADDED_GLOBAL_ATTENTION
    [ "$f" = model.onnx ] && set_of="ATTENTION,$set_of"
    [ -f "models/bench-$m-v2/$unbanded" ] || bin/ja-reranker optimize-model --model "models/bench-$m-v2" --onnx-file "$f" \
      --fusions "$set_of" --out "$unbanded" | tail -1
  done
done
$PROFILE_ONLY || $SWEEP_ONLY || \
  "$PY" benchmarks/peak/make_gemm_graphs.py --config models/bench-tiny-v2/config.json --out benchmarks/target/gemm >/dev/null
mvn -q -B -DskipTests -pl benchmarks -am package
JAR="benchmarks/target/benchmarks.jar"
# run NAME [OPTIONS]: one benchmark main of the jar (java -jar "$JAR" --help lists them).
run() { java -Xmx4g -DOPT_OUT_TRACKING=true -Dai.djl.offline=true -Dja-reranker.home="$ROOT" -jar "$JAR" "$@" 2> >(grep -v ' WARN \| INFO ' >&2); }

echo "== machine"; lscpu | grep -E 'Model name|^CPU\(s\)|Flags' | sed 's/^Flags:.*\(avx512_vnni\).*/Flags: ... \1 .../'; uptime
if $QUICK; then SIZE=(--queries 2 --rounds 1); SECONDS_PER=0.1; REQUESTS=8; else SIZE=(--queries 12 --rounds 2); SECONDS_PER=0.6; REQUESTS=100; fi

sweep() {
  for m in tiny xsmall; do
    for precision in int8:onnx/model_qint8_avx2.onnx fp32:model.onnx; do
      for c in 10 25 50 100; do
        echo "== latency by candidates: $m ${precision%%:*}, $c candidates"
        run latency --model "models/bench-$m-v2" \
          --onnx-file "${precision#*:}" --candidates "$c" "${SWEEP_SIZE[@]}" --methods ja-reranker,langchain4j \
          --out "$RESULTS/sweep-$m-${precision%%:*}-c$c.json"
      done
    done
  done
}
if $QUICK; then SWEEP_SIZE=(--queries 2 --rounds 1); else SWEEP_SIZE=(--queries 8 --rounds 1); fi
profile() {
  for m in tiny xsmall; do
    for f in model_qint8_avx2 model_qint8_avx2.fused; do
      echo "== profile: $m $f"
      run profile --model "models/bench-$m-v2" --onnx-file "onnx/$f.onnx" \
        --pairs "$($QUICK && echo 10 || echo 200)" --out "$RESULTS/profile-$m-${f/model_qint8_avx2/int8}.json"
    done
  done
}
if $PROFILE_ONLY; then
  profile
  exit 0
fi
if [ "$ONLY" = ab ]; then
  [ -n "${2:-}" ] || { echo "usage: benchmarks/run.sh --ab REV" >&2; exit 2; }
  echo "== user-level A/B against $2"; uptime
  benchmarks/ab-solr.sh "$2" --model models/bench-tiny-v2 --onnx-file onnx/model_qint8_avx2.onnx \
    --out "$RESULTS/ab-solr-$(git rev-parse --short "$2")-tiny-int8.json"
  exit 0
fi
if $SWEEP_ONLY; then
  sweep
  run charts --results "$RESULTS" --out "$ROOT/docs/images"
  exit 0
fi

solr_end_to_end() {
  echo "== Solr end to end"; uptime
  for m in tiny xsmall; do
    bin/ja-reranker bench-solr --model "models/bench-$m-v2" --onnx-file onnx/model_qint8_avx2.onnx \
      --requests "$REQUESTS" --out "$RESULTS/solr-$m-int8.json"
  done
}
if [ "$ONLY" = solr ]; then
  solr_end_to_end
  exit 0
fi

[ "$ONLY" = attention ] || { echo "== peak"
run peak --graphs benchmarks/target/gemm --seconds "$SECONDS_PER" --out "$RESULTS/peak.json"; }

latency() { # name model onnx-file [extra args]
  local name=$1 model=$2 onnx=$3; shift 3
  echo "== latency $name"; uptime
  local peak=()
  [ -f "$RESULTS/peak.json" ] && peak=(--peak "$RESULTS/peak.json")
  run latency --model "models/$model" --onnx-file "$onnx" "${SIZE[@]}" "${peak[@]}" \
    --out "$RESULTS/latency-$name.json" "$@"
}
if [ "$ONLY" != attention ]; then
  latency tiny-int8 bench-tiny-v2 onnx/model_qint8_avx2.onnx --variant as-is:optimizeGraph=false
  latency tiny-fp32 bench-tiny-v2 model.onnx --variant as-is:optimizeGraph=false
  latency xsmall-int8 bench-xsmall-v2 onnx/model_qint8_avx2.onnx --variant as-is:optimizeGraph=false
  latency xsmall-fp32 bench-xsmall-v2 model.onnx --variant as-is:optimizeGraph=false
fi
# Long pages (1,500-5,000 characters, most pairs cut at 512 tokens): where attention weighs most. The default (fused
# MultiHeadAttention, global layers unmasked) against the same fusions with the exported MatMul/Softmax attention.
# --attention: ja-reranker's graphs only (no peers), 6 queries x 2 rounds, latency-attention-longpages-*.json.
PEERS=(); LONG=longpages
[ "$ONLY" = attention ] && { PEERS=(--methods ja-reranker); SIZE=(--queries 6 --rounds 2); LONG=attention-longpages; }
latency "$LONG-tiny-int8" bench-tiny-v2 onnx/model_qint8_avx2.onnx --workload longpages "${PEERS[@]}" \
  --variant as-is:optimizeGraph=false --variant matmul-softmax:onnxFile=onnx/model_qint8_avx2.decomposed.onnx,optimizeGraph=false \
  --variant unverified-full:onnxFile=onnx/model_qint8_avx2.full-unverified.onnx,optimizeGraph=false
latency "$LONG-tiny-fp32" bench-tiny-v2 model.onnx --workload longpages "${PEERS[@]}" \
  --variant as-is:optimizeGraph=false --variant matmul-softmax:onnxFile=model.decomposed.onnx,optimizeGraph=false
# The default (with the banded sliding-window attention) against the same without it, on the same long pages.
KEPT_SIZE=("${SIZE[@]}")
$QUICK || SIZE=(--queries 6 --rounds 2)
for p in int8:onnx/model_qint8_avx2 fp32:model; do
  latency "attention-banded-longpages-tiny-${p%%:*}" bench-tiny-v2 "${p#*:}.onnx" --workload longpages --methods ja-reranker \
    --variant "unbanded:onnxFile=${p#*:}.unbanded.onnx,optimizeGraph=false"
done
SIZE=("${KEPT_SIZE[@]}")
[ "$ONLY" = attention ] && exit 0

echo "== load time of the fused graph (first load: rewrite + verify; then cached)"
for m in tiny xsmall; do
  for f in onnx/model_qint8_avx2.onnx model.onnx; do
    p=$([ "$f" = model.onnx ] && echo fp32 || echo int8)
    run load-time --model "models/bench-$m-v2" --onnx-file "$f" \
      --repeats "$($QUICK && echo 1 || echo 3)" --out "$RESULTS/load-time-$m-$p.json"
  done
done

echo "== tuning (ja-reranker variants only)"
run latency --model models/bench-tiny-v2 --onnx-file onnx/model_qint8_avx2.onnx \
  "${SIZE[@]}" --methods ja-reranker,ja-reranker-previous --variant workers1:workers=1 --variant maxLength256:maxLength=256 \
  --out "$RESULTS/tuning-tiny-int8.json"
run latency --model models/bench-tiny-v2 --onnx-file model.onnx \
  "${SIZE[@]}" --methods ja-reranker --variant batch1:maxBatchSize=1 --variant batch8:maxBatchSize=8 \
  --variant workers1:workers=1 --out "$RESULTS/tuning-tiny-fp32.json"

echo "== stop latency (a deadline inside one long run)"
run stop-latency --model models/bench-xsmall-v2 --onnx-file model.onnx \
  --trials "$($QUICK && echo 3 || echo 20)" | tee "$RESULTS/stop-latency.txt"

solr_end_to_end

sweep
profile

run charts --results "$RESULTS" --out "$ROOT/docs/images"
uptime
