"""Personal links: the random token goes in the link, only its hash in the database.

One rule for invitations, applicant links and survey links, so a leaked database opens
none of them.
"""

from __future__ import annotations

import hashlib


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
