# -*- coding: utf-8 -*-
"""Pure-Python port of the parts of Hugging Face `tokenizers` (Rust, 0.21) that the test
tokenizer.json uses, so that golden token ids can be cross-checked without the library.

Ported from:
  * tokenizers/src/models/unigram/model.rs      Unigram::encode_optimized + Model::tokenize
                                                (byte_fallback, fuse_unk)
  * tokenizers/src/pre_tokenizers/metaspace.rs  Metaspace, prepend_scheme "never", split false
                                                => every ' ' becomes '\u2581', no splitting
  * tokenizers/src/utils/truncation.rs          truncate_encodings (LongestFirst/OnlyFirst/
                                                OnlySecond, direction Right, stride 0)
  * tokenizers/src/tokenizer/mod.rs             post_process: max_length minus the number of
                                                special tokens the template adds
The normalizer is null, so nothing else happens to the text.  Added tokens (``<s>``,
``<|user|>``, ...) are split out of the raw text by HF before the model runs; this port does
NOT implement that and the caller must keep such strings out of its inputs.
"""

K_UNK_PENALTY = 10.0
METASPACE = "\u2581"


class Unigram:
    def __init__(self, vocab, unk_id=0, byte_fallback=True):
        self.vocab = [(p, float(s)) for p, s in vocab]
        self.token_to_id = {}
        for i, (p, _) in enumerate(self.vocab):
            self.token_to_id[p] = i
        self.bytes_to_id = {p.encode("utf-8"): i for p, i in self.token_to_id.items()}
        self.max_piece_bytes = max(len(b) for b in self.bytes_to_id)
        self.min_score = min(s for _, s in self.vocab)
        self.unk_id = unk_id
        self.byte_fallback = byte_fallback

    def _prefixes(self, sb, start):
        # Trie::common_prefix_search yields the matching prefixes shortest first.
        end = min(len(sb), start + self.max_piece_bytes)
        for stop in range(start + 1, end + 1):
            i = self.bytes_to_id.get(sb[start:stop])
            if i is not None:
                yield stop, i

    def encode(self, sentence):
        """Unigram::encode_optimized: list of piece strings (unknown runs fused)."""
        if not sentence:
            return []
        sb = sentence.encode("utf-8")
        size = len(sb)
        unk_score = self.min_score - K_UNK_PENALTY
        # best[pos] = [id, best_path_score, starts_at]
        best = [[0, 0.0, None] for _ in range(size + 1)]
        starts_at = 0
        while starts_at < size:
            till_here = best[starts_at][1]
            has_single_node = False
            mblen = len(sb[starts_at:].decode("utf-8", errors="ignore")[:1].encode("utf-8"))
            assert mblen > 0
            for key_pos, tid in self._prefixes(sb, starts_at):
                target = best[key_pos]
                cand = self.vocab[tid][1] + till_here
                if target[2] is None or cand > target[1]:
                    target[0], target[1], target[2] = tid, cand, starts_at
                if not has_single_node and key_pos - starts_at == mblen:
                    has_single_node = True
            if not has_single_node:
                target = best[starts_at + mblen]
                cand = unk_score + till_here
                if target[2] is None or cand > target[1]:
                    target[0], target[1], target[2] = self.unk_id, cand, starts_at
            starts_at += mblen
        results = []
        token = []
        ends_at = size
        while ends_at > 0:
            tid, _, s = best[ends_at]
            piece = sb[s:ends_at].decode("utf-8")
            if tid == self.unk_id:
                token.append(piece)
            else:
                if token:
                    token.reverse()
                    results.append("".join(token))
                    token = []
                results.append(piece)
            ends_at = s
        if token:
            token.reverse()
            results.append("".join(token))
        results.reverse()
        return results

    def tokenize(self, sentence):
        """Model::tokenize: ids, with byte fallback for pieces that are not in the vocab."""
        ids = []
        for piece in self.encode(sentence):
            tid = self.token_to_id.get(piece)
            if tid is not None:
                ids.append(tid)
                continue
            if self.byte_fallback:
                byte_ids = [self.token_to_id.get("<0x%02X>" % b) for b in piece.encode("utf-8")]
                if all(b is not None for b in byte_ids):
                    ids.extend(byte_ids)
                    continue
            ids.append(self.unk_id)
        return ids


def pre_tokenize_metaspace_never_nosplit(text):
    return text.replace(" ", METASPACE)


def encode_sequence(model, text):
    return model.tokenize(pre_tokenize_metaspace_never_nosplit(text))


class TruncationError(Exception):
    pass


def truncate_encodings(a, b, max_length, strategy):
    """truncation.rs::truncate_encodings with direction Right and stride 0.

    ``a``/``b`` are id lists (``b`` None for a single sequence)."""
    if max_length == 0:
        return [], ([] if b is not None else None)
    total = len(a) + (len(b) if b is not None else 0)
    if total <= max_length:
        return list(a), (list(b) if b is not None else None)
    to_remove = total - max_length
    if strategy == "LongestFirst":
        if b is not None:
            n1, n2 = len(a), len(b)
            swap = False
            if n1 > n2:
                swap = True
                n1, n2 = n2, n1
            if n1 > max_length:
                n2 = n1
            else:
                n2 = max(n1, max_length - n1)
            if n1 + n2 > max_length:
                n1 = max_length // 2
                n2 = n1 + max_length % 2
            if swap:
                n1, n2 = n2, n1
            return list(a[:n1]), list(b[:n2])
        return list(a[:total - to_remove]), None
    if strategy in ("OnlyFirst", "OnlySecond"):
        if strategy == "OnlyFirst":
            if len(a) > to_remove:
                return list(a[:len(a) - to_remove]), (list(b) if b is not None else None)
            raise TruncationError("SequenceTooShort")
        if b is None:
            raise TruncationError("SecondSequenceNotProvided")
        if len(b) > to_remove:
            return list(a), list(b[:len(b) - to_remove])
        raise TruncationError("SequenceTooShort")
    raise ValueError(strategy)


BOS_ID = 1
EOS_ID = 2


def post_process_pair(a, b, max_length, strategy):
    """TemplateProcessing pair `<s>:0 $A:0 </s>:0 <s>:1 $B:1 </s>:1` after truncation to
    max_length - 4.  Returns (input_ids, token_type_ids, a_kept, b_kept)."""
    n_added = 4
    a2, b2 = truncate_encodings(a, b, max_length - n_added, strategy)
    ids = [BOS_ID] + a2 + [EOS_ID] + [BOS_ID] + b2 + [EOS_ID]
    types = [0] * (len(a2) + 2) + [1] * (len(b2) + 2)
    return ids, types, a2, b2


def post_process_single(a, max_length, strategy):
    """TemplateProcessing single `<s> $A </s>` after truncation to max_length - 2."""
    a2, _ = truncate_encodings(a, None, max_length - 2, strategy)
    ids = [BOS_ID] + a2 + [EOS_ID]
    return ids, [0] * len(ids), a2
