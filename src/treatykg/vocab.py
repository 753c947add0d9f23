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
    Communication: URIRef
    ConsentRevocation: URIRef
    ConsentToBeBound: URIRef
    Consented: URIRef
    DatePrecision: URIRef
    DayPrecision: URIRef
    DaysAfterDeposit: URIRef
    Decision: URIRef
    Declaration: URIRef
    DeclarationKind: URIRef
    DefinitionsTopic: URIRef
    DisputeSettlementTopic: URIRef
    EntryIntoForceClause: URIRef
    EntryIntoForceForState: URIRef
    EntryIntoForceRule: URIRef
    ExactNotice: URIRef
    FirstDayOfMonthAfterDeposit: URIRef
    FoundingMembership: URIRef
    GeneralDeclaration: URIRef
    HistoricState: URIRef
    InternationalOrganization: URIRef
    InterpretiveDeclaration: URIRef
    JointOperationsTopic: URIRef
    Lapsed: URIRef
    Later: URIRef
    Member: URIRef
    MembershipEvent: URIRef
    MembershipLapse: URIRef
    MembershipSuspended: URIRef
    MembershipSuspension: URIRef
    MinimumNotice: URIRef
    MonthPrecision: URIRef
    MonthsAfterDeposit: URIRef
    NoticeKind: URIRef
    Objection: URIRef
    Occasion: URIRef
    OccasionUnknown: URIRef
    OnAcceptance: URIRef
    OnAccession: URIRef
    OnApproval: URIRef
    OnDeposit: URIRef
    OnRatification: URIRef
    OnSignature: URIRef
    OnSuccession: URIRef
    OpeningForSignature: URIRef
    OtherTopic: URIRef
    Party: URIRef
    ProvisionalApplication: URIRef
    ProvisionalApplicationTopic: URIRef
    Ratification: URIRef
    Reservation: URIRef
    ReservationsClause: URIRef
    Signatory: URIRef
    Signature: URIRef
    SignatureRenounced: URIRef
    SignatureRenunciation: URIRef
    Source: URIRef
    State: URIRef
    StateSuccession: URIRef
    StatehoodTopic: URIRef
    Statement: URIRef
    Status: URIRef
    StatusInterval: URIRef
    Succession: URIRef
    Suspended: URIRef
    Suspension: URIRef
    SuspensionEnded: URIRef
    SuspensionTopic: URIRef
    Terminated: URIRef
    Termination: URIRef
    TerritorialDeclaration: URIRef
    TerritorialScopeTopic: URIRef
    Topic: URIRef
    Treaty: URIRef
    TreatyBody: URIRef
    TreatyEntryIntoForce: URIRef
    WithdrawalClause: URIRef
    WithdrawalDeferred: URIRef
    WithdrawalNotification: URIRef
    WithdrawalPending: URIRef
    WithdrawalTakesEffect: URIRef
    WithdrawalTopic: URIRef
    Withdrawn: URIRef
    YearPrecision: URIRef
    afterEntryIntoForce: URIRef
    appliedClause: URIRef
    article: URIRef
    bodyOf: URIRef
    bound: URIRef
    boundBy: URIRef
    category: URIRef
    code: URIRef
    concernsArticle: URIRef
    date: URIRef
    datePrecision: URIRef
    daysAfterDeposit: URIRef
    declarationKind: URIRef
    deferredDuringArmedConflict: URIRef
    depositary: URIRef
    depositaryKind: URIRef
    depositaryReference: URIRef
    entryIntoForceRule: URIRef
    foundedBy: URIRef
    hasClause: URIRef
    hypothetical: URIRef
    lastChecked: URIRef
    madeAt: URIRef
    minimumYearsInForce: URIRef
    monthsAfterDeposit: URIRef
    noticeKind: URIRef
    noticePeriod: URIRef
    officialText: URIRef
    organization: URIRef
    predecessor: URIRef
    reservationsAllowed: URIRef
    respondsTo: URIRef
    rule: URIRef
    since: URIRef
    state: URIRef
    stateKind: URIRef
    status: URIRef
    subject: URIRef
    successionKind: URIRef
    successor: URIRef
    suspensionClause: URIRef
    topic: URIRef
    treaty: URIRef
    until: URIRef
    verified: URIRef
    wikidata: URIRef


# The ontology's class of each kind of event data/ records (records.EventKind's values); an
# accession to an alliance is a tkg:AllianceAccession.
EVENT_CLASSES = {
    "signature": TKG.Signature,
    "ratification": TKG.Ratification,
    "accession": TKG.Accession,
    "acceptance": TKG.Acceptance,
    "approval": TKG.Approval,
    "succession": TKG.Succession,
    "entry-into-force": TKG.EntryIntoForceForState,
    "withdrawal-notification": TKG.WithdrawalNotification,
    "withdrawal-effective": TKG.WithdrawalTakesEffect,
    "suspension": TKG.Suspension,
    "suspension-ended": TKG.SuspensionEnded,
    "consent-revoked": TKG.ConsentRevocation,
    "signature-renounced": TKG.SignatureRenunciation,
    "membership-lapsed": TKG.MembershipLapse,
    "membership-suspended": TKG.MembershipSuspension,
    "founding": TKG.FoundingMembership,
}


def resource_name(kind: str, *parts: str) -> str:
    """The IRI of a resource, as text: a kind (state, treaty, alliance, organization, clause,
    event, interval, conflict, succession, declaration, body; README.md's Identifiers) and its
    key. The emitter
    mints one for every event and interval, where a URIRef costs 13x more."""
    return f"{ID}{kind}/{'/'.join(parts)}"


def resource(kind: str, *parts: str) -> URIRef:
    """The IRI of a resource, as an rdflib term."""
    return URIRef(resource_name(kind, *parts))
