#!/usr/bin/env bash
# Downloads a Japanese cross-encoder's tokenizer.json and ONNX file from Hugging Face into
# models/<name>/ and verifies sizes and SHA-256 checksums where they are known.
#
#   models/download-model.sh japanese-reranker-xsmall-v2          # int8 ONNX for this CPU
#   models/download-model.sh japanese-reranker-tiny-v2 --arch arm64
#   models/download-model.sh --list
#
# Options:
#   --arch avx2|arm64   which int8 build to fetch (default: arm64 on aarch64/arm64, else avx2)
#   --revision REV      a Hugging Face commit (default: the pinned revision in pins.tsv, else main)
#   --force             download again even if a verified file is present
#   JA_RERANKER_HUB     (environment) another hub or mirror than https://huggingface.co, same layout
#
# Known sizes/checksums (models/pins.tsv) come from public pins of these exact files (see
# ../shared/research/model-contract.md §1.2 in the project workspace); where none is known the
# script says so and prints the SHA-256 it computed, so you can record it. Never invent a checksum.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() { sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

# The pins (name | repo | pinned revision | path | bytes | sha256, "-" = unknown) live in pins.tsv next to this
# script: the one table this script and the demo's first-run download (cli: ModelCatalog) both read.
[ -r "$HERE/pins.tsv" ] || { echo "download-model.sh: $HERE/pins.tsv is missing" >&2; exit 1; }
CATALOG=$(grep -v -e '^#' -e '^[[:space:]]*$' "$HERE/pins.tsv" | tr '\t' '|')

HUB="${JA_RERANKER_HUB:-https://huggingface.co}"
HUB="${HUB%/}"
ARCH=""
REVISION=""
FORCE=0
NAME=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --list)
      echo "Models with pinned files (others: any hotchpotch/<name> repo with tokenizer.json and onnx/*.onnx):"
      echo "$CATALOG" | cut -d'|' -f1 | sort -u | sed 's/^/  /'
      exit 0 ;;
    --arch) ARCH="${2:-}"; shift 2 ;;
    --revision) REVISION="${2:-}"; shift 2 ;;
    --force) FORCE=1; shift ;;
    -*) echo "download-model.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) [ -z "$NAME" ] || { echo "download-model.sh: one model name only" >&2; exit 2; }; NAME="$1"; shift ;;
  esac
done
[ -n "$NAME" ] || { usage >&2; exit 2; }
case "$NAME" in
  */*) REPO="$NAME"; NAME="${NAME##*/}" ;;
  *) REPO="hotchpotch/$NAME" ;;
esac
if ! [[ "$REPO" =~ ^[A-Za-z0-9_-][A-Za-z0-9_.-]*/[A-Za-z0-9_-][A-Za-z0-9_.-]*$ ]] || [[ "$REPO" == *..* ]]; then
  echo "download-model.sh: bad model name '$REPO': expected NAME or OWNER/NAME (letters, digits, . _ -)" >&2
  exit 2
fi
if [ -z "$ARCH" ]; then
  case "$(uname -m)" in aarch64|arm64) ARCH=arm64 ;; *) ARCH=avx2 ;; esac
fi
case "$ARCH" in avx2|arm64) ;; *) echo "download-model.sh: --arch must be avx2 or arm64" >&2; exit 2 ;; esac

command -v curl >/dev/null || { echo "download-model.sh: curl is required" >&2; exit 1; }
if command -v sha256sum >/dev/null; then SHA() { sha256sum "$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null; then SHA() { shasum -a 256 "$1" | cut -d' ' -f1; }
else echo "download-model.sh: sha256sum or shasum is required" >&2; exit 1; fi
SIZE() { wc -c < "$1" | tr -d ' '; }

FILES=("tokenizer.json" "onnx/model_qint8_${ARCH}.onnx")
PINNED_REV=$(echo "$CATALOG" | awk -F'|' -v n="$NAME" '$1==n {print $3; exit}')
REV="${REVISION:-${PINNED_REV:-main}}"
DEST="$HERE/$NAME"
mkdir -p "$DEST/onnx"
echo "Model $REPO at revision $REV -> $DEST"

status=0
for f in "${FILES[@]}"; do
  row=$(echo "$CATALOG" | awk -F'|' -v n="$NAME" -v p="$f" '$1==n && $4==p {print; exit}')
  want_size=$(echo "$row" | cut -d'|' -f5); want_sha=$(echo "$row" | cut -d'|' -f6)
  # Pinned values only hold for the pinned revision.
  if [ -z "$row" ] || [ "$REV" != "$PINNED_REV" ]; then want_size="-"; want_sha="-"; fi
  out="$DEST/$f"
  if [ $FORCE -eq 0 ] && [ -f "$out" ] && [ "$want_sha" != "-" ] && [ "$(SHA "$out")" = "$want_sha" ]; then
    echo "  $f: present and verified"
    continue
  fi
  url="$HUB/$REPO/resolve/$REV/$f"
  echo "  $f: downloading $url"
  if ! curl -fL --retry 3 --progress-bar -o "$out.part" "$url"; then
    rm -f "$out.part"
    echo "  $f: download failed (does $REPO have $f at $REV?)" >&2
    status=1
    continue
  fi
  got_size=$(SIZE "$out.part"); got_sha=$(SHA "$out.part")
  if [ "$want_size" != "-" ] && [ "$got_size" != "$want_size" ]; then
    echo "  $f: SIZE MISMATCH: expected $want_size bytes, got $got_size; file removed" >&2
    rm -f "$out.part"; status=1; continue
  fi
  if [ "$want_sha" != "-" ] && [ "$got_sha" != "$want_sha" ]; then
    echo "  $f: CHECKSUM MISMATCH: expected sha256 $want_sha, got $got_sha; file removed" >&2
    rm -f "$out.part"; status=1; continue
  fi
  mv "$out.part" "$out"
  if [ "$want_sha" = "-" ]; then
    echo "  $f: $got_size bytes, sha256 $got_sha (no known checksum for this file/revision: not verified; record it if you trust the source)"
  else
    echo "  $f: $got_size bytes, sha256 verified"
  fi
done

rmdir "$DEST/onnx" "$DEST" 2>/dev/null || true   # only if nothing was downloaded
if [ $status -eq 0 ]; then
  echo "Done. Use it with:  bin/ja-reranker demo --model $DEST"
  echo "or in solrconfig.xml: modelDirectory=$DEST, onnxFile=onnx/model_qint8_${ARCH}.onnx"
fi
exit $status
