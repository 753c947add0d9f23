"""The statuses a state can have in a treaty or alliance, as the rules engine derives them.

Apart from the engine so that a reader (the CLI's `--status` choices, `answers.STATUSES`)
names them without importing the engine and the records it runs on.
"""

from __future__ import annotations

from enum import Enum


class Status(Enum):
    SIGNATORY = "signatory"
    CONSENTED = "consented"
    PARTY = "party"
    SUSPENDED = "suspended"
    WITHDRAWAL_PENDING = "withdrawal-pending"
    WITHDRAWAL_DEFERRED = "withdrawal-deferred"
    WITHDRAWN = "withdrawn"
    TERMINATED = "terminated"
    MEMBER = "member"
    RENOUNCED = "signature-renounced"
    LAPSED = "lapsed"
    MEMBERSHIP_SUSPENDED = "membership-suspended"
