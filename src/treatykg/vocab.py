"""The closed vocabulary: every ontology term reachable from Python, and the IRIs of resources.

A mistyped term fails at import (rdflib's DefinedNamespace), so no IRI is spelled as a string
anywhere else. A test checks that this list and ontology/treatykg.ttl name the same terms.

>>> str(TKG.Party)
'https://w3id.org/treatykg/ontology#Party'
>>> str(resource("state", "LTU"))
'https://w3id.org/treatykg/id/state/LTU'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/treatykg/"
ONTOLOGY = URIRef(BASE + "ontology")
ID = Namespace(BASE + "id/")
WD = Namespace("http://www.wikidata.org/entity/")
ORG = Namespace("http://www.w3.org/ns/org#")


class TKG(DefinedNamespace):
    """Terms of ontology/treatykg.ttl."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    Acceptance: URIRef
    Accession: URIRef
    AgreedNotice: URIRef
    Alliance: URIRef
    AllianceAccession: URIRef
    Approval: URIRef
    ArmedConflictEngagement: URIRef
    Clause: URIRef
    ConsentRevocation: URIRef
    ConsentToBeBound: URIRef
    Consented: URIRef
    DatePrecision: URIRef
    DayPrecision: URIRef
    DaysAfterDeposit: URIRef
    EntryIntoForceClause: URIRef
    EntryIntoForceForState: URIRef
    EntryIntoForceRule: URIRef
    ExactNotice: URIRef
    FirstDayOfMonthAfterDeposit: URIRef
    FoundingMembership: URIRef
    HistoricState: URIRef
    InternationalOrganization: URIRef
    Lapsed: URIRef
    Member: URIRef
    MembershipEvent: URIRef
    MembershipLapse: URIRef
    MembershipSuspended: URIRef
    MembershipSuspension: URIRef
    MinimumNotice: URIRef
    MonthPrecision: URIRef
    MonthsAfterDeposit: URIRef
    NoticeKind: URIRef
    OnDeposit: URIRef
    OpeningForSignature: URIRef
    Party: URIRef
    Ratification: URIRef
    Signatory: URIRef
    Signature: URIRef
    SignatureRenounced: URIRef
    SignatureRenunciation: URIRef
    Source: URIRef
    State: URIRef
    StateSuccession: URIRef
    Status: URIRef
    StatusInterval: URIRef
    Succession: URIRef
    Suspended: URIRef
    Suspension: URIRef
    SuspensionEnded: URIRef
    Terminated: URIRef
    Termination: URIRef
    Treaty: URIRef
    TreatyEntryIntoForce: URIRef
    WithdrawalClause: URIRef
    WithdrawalDeferred: URIRef
    WithdrawalNotification: URIRef
    WithdrawalPending: URIRef
    WithdrawalTakesEffect: URIRef
    Withdrawn: URIRef
    YearPrecision: URIRef
    afterEntryIntoForce: URIRef
    appliedClause: URIRef
    article: URIRef
    bound: URIRef
    boundBy: URIRef
    category: URIRef
    code: URIRef
    date: URIRef
    datePrecision: URIRef
    daysAfterDeposit: URIRef
    deferredDuringArmedConflict: URIRef
    depositary: URIRef
    depositaryReference: URIRef
    entryIntoForceRule: URIRef
    foundedBy: URIRef
    hasClause: URIRef
    hypothetical: URIRef
    lastChecked: URIRef
    minimumYearsInForce: URIRef
    monthsAfterDeposit: URIRef
    noticeKind: URIRef
    noticePeriod: URIRef
    officialText: URIRef
    organization: URIRef
    predecessor: URIRef
    rule: URIRef
    since: URIRef
    state: URIRef
    stateKind: URIRef
    status: URIRef
    subject: URIRef
    successionKind: URIRef
    successor: URIRef
    suspensionClause: URIRef
    treaty: URIRef
    until: URIRef
    verified: URIRef
    wikidata: URIRef


def resource_name(kind: str, *parts: str) -> str:
    """The IRI of a resource, as text: a kind (state, treaty, alliance, event, interval...) and
    its key. The emitter mints one for every event and interval, where a URIRef costs 13x more."""
    return f"{ID}{kind}/{'/'.join(parts)}"


def resource(kind: str, *parts: str) -> URIRef:
    """The IRI of a resource, as an rdflib term."""
    return URIRef(resource_name(kind, *parts))
