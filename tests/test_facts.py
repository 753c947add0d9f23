"""A sample of facts per treaty, across regions and consent kinds, pinned to the depositary's
dates (UN Treaty Collection tables and treaty-body announcements, as cited in data/), with the
entry into force the rules engine derives for each state."""

from __future__ import annotations

from datetime import date

import pytest

from treatykg import answers

# treaty, state, consent kind, deposit, in force for the state (derived; None: not in force)
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
    # UNTC status pages as at 3 Feb 2026 (ATT, CCW and Protocols, CWC), the UNODA BWC records,
    # the UNTC CTBT table (not in force: no state is bound) and the Open Skies party table
    ("att", "CHN", "Accession", "2020-07-06", "2020-10-04"),
    ("att", "FRA", "Ratification", "2014-04-02", "2014-12-24"),
    ("att", "GBR", "Ratification", "2014-04-02", "2014-12-24"),
    ("att", "DEU", "Ratification", "2014-04-02", "2014-12-24"),
    ("att", "BRA", "Ratification", "2018-08-14", "2018-11-12"),
    ("att", "ZAF", "Ratification", "2014-12-22", "2014-12-24"),
    ("att", "JPN", "Acceptance", "2014-05-09", "2014-12-24"),
    ("att", "AUS", "Ratification", "2014-06-03", "2014-12-24"),
    ("att", "NGA", "Ratification", "2013-08-12", "2014-12-24"),
    ("att", "MEX", "Ratification", "2013-09-25", "2014-12-24"),
    ("att", "FIN", "Ratification", "2014-04-02", "2014-12-24"),
    ("bwc", "USA", "Ratification", "1975-03-26", "1975-03-26"),
    ("bwc", "RUS", "Ratification", "1975-03-26", "1975-03-26"),
    ("bwc", "CHN", "Accession", "1984-11-15", "1984-11-15"),
    ("bwc", "FRA", "Accession", "1984-09-27", "1984-09-27"),
    ("bwc", "GBR", "Ratification", "1975-03-26", "1975-03-26"),
    ("bwc", "DEU", "Ratification", "1983-04-07", "1983-04-07"),
    ("bwc", "IND", "Ratification", "1974-07-15", "1975-03-26"),
    ("bwc", "BRA", "Ratification", "1973-02-27", "1975-03-26"),
    ("bwc", "ZAF", "Ratification", "1975-11-03", "1975-11-03"),
    ("bwc", "JPN", "Ratification", "1982-06-08", "1982-06-08"),
    ("bwc", "AUS", "Ratification", "1977-10-05", "1977-10-05"),
    ("ccw", "USA", "Ratification", "1995-03-24", "1995-09-24"),
    ("ccw", "RUS", "Ratification", "1982-06-10", "1983-12-02"),
    ("ccw", "CHN", "Ratification", "1982-04-07", "1983-12-02"),
    ("ccw", "FRA", "Ratification", "1988-03-04", "1988-09-04"),
    ("ccw", "GBR", "Ratification", "1995-02-13", "1995-08-13"),
    ("ccw", "DEU", "Ratification", "1992-11-25", "1993-05-25"),
    ("ccw", "IND", "Ratification", "1984-03-01", "1984-09-01"),
    ("ccw", "BRA", "Accession", "1995-10-03", "1996-04-03"),
    ("ccw", "ZAF", "Accession", "1995-09-13", "1996-03-13"),
    ("ccw", "JPN", "Acceptance", "1982-06-09", "1983-12-02"),
    ("ccw", "AUS", "Ratification", "1983-09-29", "1984-03-29"),
    ("ccw-protocol-ii-amended", "USA", "Acceptance", "1999-05-24", "1999-11-24"),
    ("ccw-protocol-ii-amended", "RUS", "Acceptance", "2005-03-02", "2005-09-02"),
    ("ccw-protocol-ii-amended", "CHN", "Acceptance", "1998-11-04", "1999-05-04"),
    ("ccw-protocol-ii-amended", "FRA", "Acceptance", "1998-07-23", "1999-01-23"),
    ("ccw-protocol-ii-amended", "GBR", "Acceptance", "1999-02-11", "1999-08-11"),
    ("ccw-protocol-ii-amended", "DEU", "Acceptance", "1997-05-02", "1998-12-03"),
    ("ccw-protocol-ii-amended", "IND", "Acceptance", "1999-09-02", "2000-03-02"),
    ("ccw-protocol-ii-amended", "BRA", "Acceptance", "1999-10-04", "2000-04-04"),
    ("ccw-protocol-ii-amended", "ZAF", "Acceptance", "1998-06-26", "1998-12-26"),
    ("ccw-protocol-ii-amended", "JPN", "Acceptance", "1997-06-10", "1998-12-03"),
    ("ccw-protocol-ii-amended", "AUS", "Acceptance", "1997-08-22", "1998-12-03"),
    ("ccw-protocol-v", "USA", "Acceptance", "2009-01-21", "2009-07-21"),
    ("ccw-protocol-v", "RUS", "Acceptance", "2008-07-21", "2009-01-21"),
    ("ccw-protocol-v", "CHN", "Acceptance", "2010-06-10", "2010-12-10"),
    ("ccw-protocol-v", "FRA", "Acceptance", "2006-10-31", "2007-04-30"),
    ("ccw-protocol-v", "GBR", "Acceptance", "2024-05-13", "2024-11-13"),
    ("ccw-protocol-v", "DEU", "Acceptance", "2005-03-03", "2006-11-12"),
    ("ccw-protocol-v", "IND", "Acceptance", "2005-05-18", "2006-11-12"),
    ("ccw-protocol-v", "BRA", "Acceptance", "2010-11-30", "2011-05-30"),
    ("ccw-protocol-v", "ZAF", "Acceptance", "2012-01-24", "2012-07-24"),
    ("ccw-protocol-v", "AUS", "Acceptance", "2007-01-04", "2007-07-04"),
    ("ccw-protocol-v", "UKR", "Acceptance", "2005-05-17", "2006-11-12"),
    ("cwc", "USA", "Ratification", "1997-04-25", "1997-04-29"),
    ("cwc", "RUS", "Ratification", "1997-11-05", "1997-12-05"),
    ("cwc", "CHN", "Ratification", "1997-04-25", "1997-04-29"),
    ("cwc", "FRA", "Ratification", "1995-03-02", "1997-04-29"),
    ("cwc", "GBR", "Ratification", "1996-05-13", "1997-04-29"),
    ("cwc", "DEU", "Ratification", "1994-08-12", "1997-04-29"),
    ("cwc", "IND", "Ratification", "1996-09-03", "1997-04-29"),
    ("cwc", "BRA", "Ratification", "1996-03-13", "1997-04-29"),
    ("cwc", "ZAF", "Ratification", "1995-09-13", "1997-04-29"),
    ("cwc", "JPN", "Ratification", "1995-09-15", "1997-04-29"),
    ("cwc", "AUS", "Ratification", "1994-05-06", "1997-04-29"),
    ("ctbt", "RUS", "Ratification", "2000-06-30", None),
    ("ctbt", "FRA", "Ratification", "1998-04-06", None),
    ("ctbt", "GBR", "Ratification", "1998-04-06", None),
    ("ctbt", "DEU", "Ratification", "1998-08-20", None),
    ("ctbt", "BRA", "Ratification", "1998-07-24", None),
    ("ctbt", "ZAF", "Ratification", "1999-03-30", None),
    ("ctbt", "JPN", "Ratification", "1997-07-08", None),
    ("ctbt", "AUS", "Ratification", "1998-07-09", None),
    ("ctbt", "NGA", "Ratification", "2001-09-27", None),
    ("ctbt", "MEX", "Ratification", "1999-10-05", None),
    ("ctbt", "UKR", "Ratification", "2001-02-23", None),
    ("open-skies", "USA", "Ratification", "1993-12-03", "2002-01-01"),
    ("open-skies", "RUS", "Ratification", "2001-11-02", "2002-01-01"),
    ("open-skies", "FRA", "Ratification", "1993-07-30", "2002-01-01"),
    ("open-skies", "GBR", "Ratification", "1993-12-08", "2002-01-01"),
    ("open-skies", "DEU", "Ratification", "1994-01-27", "2002-01-01"),
    ("open-skies", "UKR", "Ratification", "2000-04-20", "2002-01-01"),
    ("open-skies", "FIN", "Accession", "2002-12-12", "2003-02-10"),
    ("open-skies", "CZE", "Succession", "1992-12-21", "2002-01-01"),
    ("open-skies", "SVK", "Succession", "1992-12-21", "2002-01-01"),
]


@pytest.mark.parametrize(("treaty", "state", "kind", "deposit", "in_force"), FACTS,
                         ids=[f"{t}-{s}" for t, s, *_ in FACTS])
def test_consent_and_entry_into_force(built, db, treaty, state, kind, deposit, in_force):
    report = answers.explain(state, treaty, as_of="2026-11-22", project=built, db=db)
    consents = [e for e in report["events"] if e["kind"] == kind]
    assert [str(e["date"]) for e in consents] == [deposit]
    first_bound = next((i["since"] for i in report["intervals"] if i["bound"]), None)
    assert first_bound == (date.fromisoformat(in_force) if in_force else None)
