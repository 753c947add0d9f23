"""A sample of facts per treaty, across regions and consent kinds, pinned to the depositary's
dates (UN Treaty Collection tables and treaty-body announcements, as cited in data/), with the
entry into force the rules engine derives for each state."""

from __future__ import annotations

from datetime import date

import pytest

from treatykg import answers

# treaty, state, consent kind, deposit, in force for the state (derived)
FACTS = [
    ("apmbc", "AFG", "Accession", "2002-09-11", "2003-03-01"),
    ("apmbc", "ALB", "Ratification", "2000-02-29", "2000-08-01"),
    ("apmbc", "AUS", "Ratification", "1999-01-14", "1999-07-01"),
    ("apmbc", "BLR", "Accession", "2003-09-03", "2004-03-01"),
    ("apmbc", "BRA", "Ratification", "1999-04-30", "1999-10-01"),
    ("apmbc", "CAN", "Ratification", "1997-12-03", "1999-03-01"),  # before the treaty's EIF
    ("apmbc", "FIN", "Accession", "2012-01-09", "2012-07-01"),
    ("apmbc", "JPN", "Acceptance", "1998-09-30", "1999-03-01"),
    ("apmbc", "MHL", "Ratification", "2025-03-12", "2025-09-01"),
    ("apmbc", "MNE", "Succession", "2006-10-23", "2006-06-03"),  # from independence
    ("apmbc", "SSD", "Succession", "2011-11-11", "2011-07-09"),  # from independence
    ("apmbc", "TON", "Accession", "2025-06-25", "2025-12-01"),
    ("apmbc", "UKR", "Ratification", "2005-12-27", "2006-06-01"),
    ("apmbc", "ZAF", "Ratification", "1998-06-26", "1999-03-01"),
    ("cmc", "AFG", "Ratification", "2011-09-08", "2012-03-01"),
    ("cmc", "ALB", "Ratification", "2009-06-16", "2010-08-01"),  # before the treaty's EIF
    ("cmc", "CAN", "Ratification", "2015-03-16", "2015-09-01"),
    ("cmc", "DEU", "Ratification", "2009-07-08", "2010-08-01"),
    ("cmc", "GBR", "Ratification", "2010-05-04", "2010-11-01"),
    ("cmc", "JPN", "Acceptance", "2009-07-14", "2010-08-01"),
    ("cmc", "LTU", "Ratification", "2011-03-24", "2011-09-01"),
    ("cmc", "MDV", "Accession", "2019-09-27", "2020-03-01"),
    ("cmc", "MEX", "Ratification", "2009-05-06", "2010-08-01"),
    ("cmc", "NGA", "Ratification", "2023-02-28", "2023-08-01"),
    ("cmc", "NZL", "Ratification", "2009-12-22", "2010-08-01"),
    ("cmc", "PSE", "Accession", "2015-01-02", "2015-07-01"),
    ("cmc", "SSD", "Accession", "2023-08-03", "2024-02-01"),
    ("cmc", "VUT", "Accession", "2025-09-05", "2026-03-01"),
]


@pytest.mark.parametrize(("treaty", "state", "kind", "deposit", "in_force"), FACTS,
                         ids=[f"{t}-{s}" for t, s, *_ in FACTS])
def test_consent_and_entry_into_force(built, db, treaty, state, kind, deposit, in_force):
    report = answers.explain(state, treaty, as_of="2026-11-22", project=built, db=db)
    consents = [e for e in report["events"] if e["kind"] == kind]
    assert [str(e["date"]) for e in consents] == [deposit]
    first_bound = next(i for i in report["intervals"] if i["bound"])
    assert first_bound["since"] == date.fromisoformat(in_force)
