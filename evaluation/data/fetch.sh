#!/usr/bin/env bash
# Fetches the full evaluation data sets from their public sources and checks their sha256 sums:
#   - JQaRA's published ranx run files and qrels (MIT), github.com/hotchpotch/JQaRA, evaluator/data/eval_results/
#   - JGLUE JSQuAD v1.3 valid and test (CC BY-SA 4.0), github.com/yahoojapan/JGLUE, datasets/jsquad-v1.3/
# into a directory laid out like the project's shared data (the layout DataLocations and the tests expect):
#   DIR/jqara-runs/{LICENSE,qrels.trec,runs/*.lz4}
#   DIR/jsquad-v1.3/{LICENSE,valid-v1.3.json,test-v1.3.json}
#
# Usage: evaluation/data/fetch.sh [--from SRC] [DIR]
#   DIR         where to put the data (default: evaluation/data/full, which git ignores). The tests and
#               `ja-reranker eval jsquad` find it there, or anywhere if JA_RERANKER_DATA=DIR is set.
#   --from SRC  copy from a local directory laid out as above instead of downloading (offline; the
#               same checksums are verified).
#
# The checksums were computed from the copies the project was developed against. NOTE: this script's
# download path has NOT been run here (the machines this project is built on have no internet); the
# --from path has. If upstream changed a file, the check fails and names it: nothing unverified is kept.
# JGLUE holds no separate licence file next to the data; the CC BY-SA 4.0 text is copied from
# evaluation/data/jsquad/LICENSE (the same text the project vendors).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JQARA_BASE="${JQARA_BASE:-https://raw.githubusercontent.com/hotchpotch/JQaRA/main}"
JGLUE_BASE="${JGLUE_BASE:-https://raw.githubusercontent.com/yahoojapan/JGLUE/main}"

from=""
dest=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --from) from="${2:?--from needs a directory}"; shift 2 ;;
    -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fetch.sh: unknown option $1" >&2; exit 2 ;;
    *) dest="$1"; shift ;;
  esac
done
dest="${dest:-$here/full}"

# target path (relative to DIR) | sha256 | upstream URL (empty: copied from the vendored licence)
files=(
  "jqara-runs/LICENSE|56cb2da261555f113bb92c4c9bc45e4e8c2a9c484f4a70adc3419071377f8ecc|$JQARA_BASE/evaluator/LICENSE"
  "jqara-runs/qrels.trec|8e64d4d97cdc98936f26aa466537353ab64b8f4fdf6158d0d51b25b61a4a0101|$JQARA_BASE/evaluator/data/eval_results/qrels/qrels.trec"
  "jsquad-v1.3/LICENSE|3b2890eacd851373001c4a14623458e3adaf1b1967939aa9c38a318e28d61c00|"
  "jsquad-v1.3/valid-v1.3.json|fb0a57a35281ff03bbe7f0e878cff5b577985fbe6fcb242e7e8ddb63d1c0ab11|$JGLUE_BASE/datasets/jsquad-v1.3/valid-v1.3.json"
  "jsquad-v1.3/test-v1.3.json|0078f3f2e1604a201700c24139e198344fa689e02282fc00adaa31687cce2aff|$JGLUE_BASE/datasets/jsquad-v1.3/test-v1.3.json"
)
runs=(
  "bge-reranker-base|0ab2eb567c39d5645dcd670389fb44aac6ef3f6d329c7b104a8d700d920de5c0"
  "bge-reranker-large|0a0c479232b3518308b038944e1c2cfb6be529236746bb8b5468f7b6b16bd8ca"
  "bge-reranker-v2-m3|65dfe0f64338d159caf5d1e168e2c877d1d294b9f79a78fe8134c19af017d7b2"
  "bm25|0299bca824f231c5c91abe74970a462bd74506322d77be23bbf5d6ff79187d01"
  "cross-encoder-mmarco-mMiniLMv2-L12-H384-v1|fc9a0e58124d497c8f359443c4021b8ebcc01c4d96d8d4fa5e77555f54bfd712"
  "japanese-bge-reranker-v2-m3-v1|ada63bab1e4a6d15e061a6e1b66c7b01ab2478fb181b00eee92aaf31e98ec768"
  "japanese-reranker-cross-encoder-base-v1|0f6164ec30c2ebd29a44785b385ff56e392808b14033cf07864d1aa4f5ee7401"
  "japanese-reranker-cross-encoder-large-v1|625840e8b7a5dba2cfe10e8e022b53e9f01575ebbf588e3dbb8e4cc596b64462"
  "japanese-reranker-cross-encoder-small-v1|ca46668e0c89b598c1d5db5eb4daab8c68f11e49584724ecd6580a6a7fb26308"
  "japanese-reranker-cross-encoder-xsmall-v1|4e723806286c10960dd69cbde1e1b8772c148834fa907ef659e97baed7717e8d"
  "japanese-splade-base-v1|90f1128061406d796ae20bfd9308017bccfac39d41274800cc76acf5c9e3466e"
  "multilingual-e5-small|d6c522efca59d6a5bc111837038bd3a8edfa19eb6c9be9ee8eedf929fe2511c4"
  "random|f2317205e60b5c66e7af556fbe816def9e9b60346c2a62d05664f0756ed3db93"
  "ruri-reranker-base|8d783971b594cff19f8c2e2f6b3ab3cbd2de82da5e346719fea266d1040f414a"
  "ruri-reranker-large|da0e68275de052a326c088aa754131f114a4be6245bc192e7ec2d1e5027f3f6d"
  "ruri-reranker-small|070bf4b8c89d96f27675e9d5c16d11899422869f0a4696b19c0a3a1c69bfdc9b"
  "shioriha-large-reranker|5ccb7a5fde0362cb67081d2da704b3fd7f62af43fd58842675f45dc421005024"
)
for r in "${runs[@]}"; do
  files+=("jqara-runs/runs/${r%%|*}.lz4|${r#*|}|$JQARA_BASE/evaluator/data/eval_results/runs/${r%%|*}.lz4")
done

if [ -n "$from" ]; then
  [ -d "$from" ] || { echo "fetch.sh: --from $from: not a directory" >&2; exit 2; }
  echo "fetch.sh: copying from $from (offline) into $dest"
else
  command -v curl >/dev/null 2>&1 || { echo "fetch.sh: needs curl" >&2; exit 2; }
  echo "fetch.sh: downloading into $dest"
fi

mkdir -p "$dest"
failed=0
for f in "${files[@]}"; do
  IFS='|' read -r path sum url <<<"$f"
  target="$dest/$path"
  if [ -f "$target" ] && echo "$sum  $target" | sha256sum --check --status; then
    echo "  ok (already there)  $path"
    continue
  fi
  mkdir -p "$(dirname "$target")"
  part="$target.part"
  rm -f "$part"
  if [ -n "$from" ]; then
    src="$from/$path"
  elif [ -z "$url" ]; then
    src="$here/jsquad/LICENSE"
  else
    src="$url"
  fi
  if [ -n "$from" ] || [ -z "$url" ]; then
    got=0; cp "$src" "$part" || got=$?
  else
    got=0; curl -fsSL --retry 3 -o "$part" "$src" || got=$?
  fi
  if [ "$got" -ne 0 ]; then
    rm -f "$part"
    echo "  NOT FETCHED         $path ($src)" >&2
    failed=1
    continue
  fi
  if echo "$sum  $part" | sha256sum --check --status; then
    mv -f "$part" "$target"
    echo "  ok                  $path"
  else
    rm -f "$part"
    echo "  CHECKSUM MISMATCH   $path ($src): not kept" >&2
    failed=1
  fi
done
if [ "$failed" -ne 0 ]; then
  echo "fetch.sh: some files are missing or did not match their sha256 sums (see above)" >&2
  exit 1
fi
echo "fetch.sh: ${#files[@]} files verified in $dest"
if [ "$(cd "$dest" && pwd)" = "$here/full" ]; then
  echo "  the tests and 'ja-reranker eval jsquad' find it there by themselves"
else
  echo "  to use it: export JA_RERANKER_DATA=$(cd "$dest" && pwd)"
fi
