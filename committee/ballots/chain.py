"""The hash chain over a ballot's log, and the codes the engine hands out.

Entry n's hash is the SHA-256 (hex) of the UTF-8 text

    <hash of entry n-1>\\n<n>\\n<kind>\\n<canonical JSON of the payload>

with 64 zeros before entry 1; canonical JSON is `json.dumps(payload, ensure_ascii=False, sort_keys=True,
separators=(",", ":"))`. Anyone can recompute it from the published log (`verify`)."""

import hashlib
import json
import secrets

GENESIS = "0" * 64
# No 0/O, 1/I/L: codes are read off paper and typed on phones.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def canonical(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(prev_hash: str, seq: int, kind: str, payload: dict) -> str:
    text = f"{prev_hash}\n{seq}\n{kind}\n{canonical(payload)}"
    return hashlib.sha256(text.encode()).hexdigest()


def verify(entries: list[dict]) -> bool:
    """Recompute the chain from published entries ({seq, kind, payload, prev_hash, hash}, in order)."""
    prev = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        if entry["seq"] != expected_seq or entry["prev_hash"] != prev:
            return False
        if entry_hash(prev, entry["seq"], entry["kind"], entry["payload"]) != entry["hash"]:
            return False
        prev = entry["hash"]
    return True


def digest(value) -> str:
    return hashlib.sha256(canonical(value).encode()).hexdigest()


def new_code(groups: int = 3) -> str:
    """A random code in groups of four: XXXX-XXXX-XXXX (59 bits with three groups)."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(groups))


def normalise_code(text: str) -> str:
    """What a person typed, as the engine stores it: upper case, no spaces, dashes every four characters."""
    raw = "".join(ch for ch in text.upper() if ch in ALPHABET)
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()
