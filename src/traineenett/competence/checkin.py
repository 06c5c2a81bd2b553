"""Rotating check-in codes: an HMAC of the session id and the time window (no Django).

The facilitator's screen shows the code of the current window (and a QR code of a link
carrying it); a code is accepted in its own window and the one after, so a trainee who
types it just as it changes is not refused.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

# No 0/O, 1/I/L: easy to read off a screen and to type on a phone.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6


def window_of(moment: datetime, seconds: int) -> int:
    return int(moment.timestamp()) // seconds


def code_for(secret: str, session_id: int, window: int) -> str:
    digest = hmac.new(
        secret.encode(), f"checkin:{session_id}:{window}".encode(), hashlib.sha256
    ).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)


def normalise(code: str) -> str:
    return "".join(code.split()).upper()


def code_matches(secret: str, session_id: int, code: str, moment: datetime, seconds: int) -> bool:
    """Whether ``code`` is the session's code now or in the window just before."""
    window = window_of(moment, seconds)
    typed = normalise(code)
    return any(
        hmac.compare_digest(typed, code_for(secret, session_id, w)) for w in (window, window - 1)
    )


def seconds_left(moment: datetime, seconds: int) -> int:
    return seconds - int(moment.timestamp()) % seconds
