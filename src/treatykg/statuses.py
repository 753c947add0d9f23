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


# Who a count of "parties" holds: every state that consented (as UNTC headers and "Nth State
# Party" announcements count), or only those for which the treaty is in force (the Vienna
# Convention's parties, Art. 2(1)(g): a withdrawal pending or a suspension claimed included).
CONSENTED = frozenset({Status.CONSENTED, Status.PARTY, Status.SUSPENDED,
                       Status.WITHDRAWAL_PENDING, Status.WITHDRAWAL_DEFERRED})
IN_FORCE = CONSENTED - {Status.CONSENTED}
