"""Event candidates from GTA, the IEA tracker and lanthanides.io, and their link to the curated events.

Team-written fixtures with the real layouts and quirks, hand-built frames for the link rule, and the
real files (and curated record) where present.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from rare_earths.common import paths, registry
from rare_earths.datasets import event_links
from rare_earths.datasets.sources import DatasetError, SourceInput, events_gta, events_iea, events_lanthanides

FIXTURES = Path(__file__).parents[1] / "fixtures" / "datasets"
GTA = FIXTURES / "events_gta_quirks.json"
IEA = FIXTURES / "events_iea_quirks.json"
LAN_EVENTS = FIXTURES / "events_lanthanides_policy_events_quirks.yml"
LAN_DEVELOPMENTS = FIXTURES / "events_lanthanides_key_developments_quirks.yml"
REAL_GTA = paths.EXTERNAL / events_gta.FILE
REAL_IEA = paths.EXTERNAL / events_iea.FILE
REAL_LAN = paths.EXTERNAL / events_lanthanides.FILES[0]
REAL_LAN_DEV = paths.EXTERNAL / events_lanthanides.FILES[1]


def curated_frame(*rows: tuple[str, str, str, str, str, str]) -> pd.DataFrame:
    """A hand-built curated events table: (event_id, date, precision, jurisdiction, description, actors)."""
    frame = pd.DataFrame(
        rows, columns=["event_id", "date", "date_precision", "jurisdiction", "description", "actors"]
    )
    return frame.assign(date=pd.to_datetime(frame["date"]))


def candidate_frame(*rows: tuple) -> pd.DataFrame:
    """Hand-built candidates: (candidate_id, date, precision, jurisdiction, title[, jurisdictions])."""
    records = [
        dict(
            zip(
                ["candidate_id", "date", "date_precision", "jurisdiction", "title", "jurisdictions"],
                row,
                strict=False,
            )
        )
        for row in rows
    ]
    frame = pd.DataFrame(records)
    return frame.assign(date=pd.to_datetime(frame["date"]))


CURATED = curated_frame(
    (
        "US-2021-01",
        "2021-02-01",
        "day",
        "US",
        "DoD awards Lynas USA funding under DPA Title III for a separation plant in Texas.",
        "DoD;Lynas",
    ),
    (
        "US-2021-02",
        "2021-02-24",
        "day",
        "US",
        "President signs an executive order launching supply-chain reviews.",
        "White House",
    ),
    (
        "CN-2011-01",
        "2011-01-01",
        "day",
        "CN",
        "Export duty on neodymium raised from 1 Jan 2011; Dy, Tb stay.",
        "Customs Tariff Commission",
    ),
    (
        "CN-2025-02",
        "2025-04-04",
        "day",
        "CN",
        "MOFCOM/GAC Announcement No.18 of 2025: export licences for Sm, Gd, Tb, Dy items incl. magnets.",
        "MOFCOM",
    ),
    (
        "EU-2024-05",
        "2024-05-23",
        "day",
        "EU",
        "Critical Raw Materials Act enters into force.",
        "European Commission",
    ),
)


# --- GTA ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gta():
    return events_gta.clean(events_gta.extract(GTA))


def test_gta_extract_keeps_the_fields_and_lists(tmp_path):
    frame = events_gta.extract(GTA)
    assert list(frame.columns) == [
        "id",
        "title",
        "evaluation",
        "deal_type",
        "intervention_type",
        "minerals",
        "implementers",
        "date",
        "date_iso",
        "link",
        "description",
    ]
    assert (
        len(frame) == 6
        and frame.loc[3, "implementers"][:2] == ["Austria", "Belgium"]
        and len(frame.loc[3, "implementers"]) == 27
    )
    assert frame.loc[0, "description"].startswith("<p>On 1 February 2021")


def test_gta_clean_strips_html_and_decodes_entities(gta):
    text = gta.loc[0, "description"]
    assert "<p>" not in text and "&amp;" not in text and "Title III & related" in text
    assert "<br />" not in gta.loc[1, "description"] and "\xa0" not in gta.loc[1, "description"]


def test_gta_annual_rows_are_year_precision(gta):
    assert list(gta["date_precision"]) == ["day", "day", "year", "day", "day", "day"]
    assert gta.loc[2, "date"] == pd.Timestamp("2019-01-01") and gta.loc[1, "date"] == pd.Timestamp(
        "2011-01-01"
    )
    assert gta["problem"].isna().all()


def test_gta_jurisdictions(gta):
    # the 27 member states are the Union; two countries give None with both codes kept; "Turkiye" is Turkey
    assert list(gta["jurisdiction"].fillna("")) == ["US", "CN", "CN", "EU", "", "TR"]
    assert gta.loc[4, "jurisdictions"] == "BG;DE"


def test_gta_rare_earth_rule(gta):
    # tag, or the title (the mis-tagged 2011 tariff row); a passing mention in the description is not enough
    assert list(gta["rare_earths"]) == [True, True, True, False, False, False]
    assert list(gta["rare_earths_by"].fillna("")) == ["minerals tag", "title", "minerals tag", "", "", ""]


def test_gta_candidates_layout_and_link(gta):
    frame = events_gta.candidates(gta, CURATED)
    assert tuple(frame.columns) == tuple(registry.field_names("event_candidates"))
    assert list(frame["candidate_id"]) == [f"gta-90000{n}" for n in range(1, 7)]
    assert frame.loc[0, "curated_event_id"] == "US-2021-01"
    assert (
        frame.loc[0, "match_rule"]
        == "jurisdiction:US+date:0d<=14d+keywords:Defense Production Act,Lynas,separation"
    )
    assert frame.loc[1, "curated_event_id"] == "CN-2011-01" and frame.loc[1, "kind"] == "Export tax"
    assert frame.loc[3, "minerals"] == "Copper;Nickel" and frame["curated_event_id"].notna().sum() == 2


def _rewrite_gta(tmp_path: Path, index: int, **changes) -> Path:
    data = json.loads(GTA.read_text(encoding="utf-8"))
    data["interventions"][index].update(changes)
    path = tmp_path / "gta.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_gta_bad_date_names_the_intervention(tmp_path):
    path = _rewrite_gta(tmp_path, 1, dateISO="2011-13-01")
    with pytest.raises(
        DatasetError,
        match=r"gta\.json: intervention 2 \(id 900002\): dateISO '2011-13-01' is not a YYYY-MM-DD date",
    ):
        events_gta.clean(events_gta.extract(path))


def test_gta_disagreeing_dates_and_unknown_implementer(tmp_path):
    with pytest.raises(
        DatasetError,
        match=r"intervention 1 \(id 900001\): date 'Feb 02, 2021' and dateISO '2021-02-01' disagree",
    ):
        events_gta.clean(events_gta.extract(_rewrite_gta(tmp_path, 0, date="Feb 02, 2021")))
    with pytest.raises(
        DatasetError, match=r"intervention 6 \(id 900006\): implementer 'Atlantis' has no ISO code"
    ):
        events_gta.clean(events_gta.extract(_rewrite_gta(tmp_path, 5, implementers=["Atlantis"])))


def test_gta_missing_field_names_the_intervention(tmp_path):
    data = json.loads(GTA.read_text(encoding="utf-8"))
    del data["interventions"][4]["dateISO"]
    (tmp_path / "gta.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DatasetError, match=r"gta\.json: intervention 5 lacks field\(s\) dateISO"):
        events_gta.extract(tmp_path / "gta.json")


# --- IEA ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def iea():
    return events_iea.clean(events_iea.extract(IEA))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023", ("2023-01-01", "year")),
        ("2025-04-04", ("2025-04-04", "day")),
        ("20-05-2024", ("2024-05-20", "day")),
        ("04-04-2016", ("2016-04-04", "day")),
    ],
)
def test_iea_date_forms(text, expected):
    date, precision = events_iea.parse_date(text)
    assert (date.strftime("%Y-%m-%d"), precision) == expected


def test_iea_clean_dates_precisions_and_problems(iea):
    assert [d.strftime("%Y-%m-%d") for d in iea["date"]] == [
        "2023-01-01",
        "2025-04-04",
        "2024-05-20",
        "2022-01-01",
        "2025-12-04",
        "2025-02-22",
        "2021-01-01",
        "2021-01-01",
    ]
    assert list(iea["date_precision"]) == ["year", "day", "day", "year", "day", "day", "year", "year"]
    # 1997-12-06 filed under 2022: dated by the tracker's year, and said so
    assert iea["problem"].notna().tolist() == [False, False, False, True, False, False, False, False]
    assert "1997-12-06 is outside the tracker's year 2022" in iea.loc[3, "problem"]


def test_iea_jurisdictions_text_and_links(iea):
    assert list(iea["jurisdiction"].fillna("")) == ["AU", "CN", "EU", "PK", "", "CD", "CA", "EU"]
    assert iea.loc[4, "jurisdictions"] == "US;CD"
    assert "within & outside" in iea.loc[2, "description"]
    assert pd.isna(iea.loc[5, "url"])  # the empty link
    assert iea.loc[1, "policy_types"] == "Trade: Export controls and restrictions;Trade: Non-tariff measures"
    assert list(iea["rare_earths"]) == [False, True, False, False, False, False, False, False]


def test_iea_ids_are_stable_and_unique_per_title_and_country(iea):
    assert iea["candidate_id"].is_unique and iea["candidate_id"].str.fullmatch(r"iea-[0-9a-f]{10}").all()
    assert (
        iea.loc[6, "title"] == iea.loc[7, "title"]
        and iea.loc[6, "candidate_id"] != iea.loc[7, "candidate_id"]
    )
    assert list(events_iea.clean(events_iea.extract(IEA))["candidate_id"]) == list(iea["candidate_id"])


def test_iea_candidates_link_by_document_number(iea):
    frame = events_iea.candidates(iea, CURATED)
    assert tuple(frame.columns) == tuple(registry.field_names("event_candidates"))
    assert frame["minerals"].isna().all() and frame.loc[1, "curated_event_id"] == "CN-2025-02"
    assert frame.loc[1, "match_rule"] == "jurisdiction:CN+date:0d<=14d+keyword:No. 18"
    assert frame["curated_event_id"].notna().sum() == 1


def test_iea_bad_date_and_repeated_entry(tmp_path):
    data = json.loads(IEA.read_text(encoding="utf-8"))
    data[2]["datePromulgated"] = "May 2024"
    (tmp_path / "iea.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(
        DatasetError,
        match=(
            r"iea\.json: policy 3 \('Regulation on shipments of waste'\): datePromulgated 'May 2024' is "
            r"neither"
        ),
    ):
        events_iea.clean(events_iea.extract(tmp_path / "iea.json"))
    data = json.loads(IEA.read_text(encoding="utf-8"))
    data[7]["countries"] = ["Canada"]
    (tmp_path / "iea.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DatasetError, match=r"policy 7, policy 8 repeat the same title and countries"):
        events_iea.clean(events_iea.extract(tmp_path / "iea.json"))


# --- lanthanides.io ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lanthanides():
    return events_lanthanides.clean(events_lanthanides.extract(LAN_EVENTS))


def test_lanthanides_keeps_the_date_field_and_reports_the_id_mismatch(lanthanides):
    assert lanthanides.loc[0, "date"] == pd.Timestamp("2023-07-03")
    assert (
        lanthanides.loc[0, "problem"]
        == "id pe-2023-07-23 implies 2023-07-23 but the date field is 2023-07-03; the date field is kept"
    )
    assert lanthanides["problem"].notna().sum() == 1


def test_lanthanides_codes_elements_and_rare_earth_rule(lanthanides):
    assert list(lanthanides["jurisdiction"]) == ["CN", "EU", "CN", "CN"]
    assert list(lanthanides["affected_elements"].fillna("")) == ["Ga;Ge", "", "Sm;Gd;Tb;Dy;Lu;Sc;Y", ""]
    # elements, or the text (the EU act names rare earths but lists no elements)
    assert list(lanthanides["rare_earths"]) == [False, True, True, False]
    assert lanthanides["url"].isna().all() and set(lanthanides["date_precision"]) == {"day"}


def test_lanthanides_candidates_and_key_developments(lanthanides):
    frame = events_lanthanides.candidates(lanthanides, CURATED)
    assert tuple(frame.columns) == tuple(registry.field_names("event_candidates"))
    assert list(frame["candidate_id"])[:2] == ["lanthanides-pe-2023-07-23", "lanthanides-pe-2024-05-23"]
    assert list(frame["curated_event_id"].fillna("")) == ["", "EU-2024-05", "CN-2025-02", ""]
    assert frame.loc[1, "match_rule"] == "jurisdiction:EU+date:0d<=14d+keyword:Critical Raw Materials Act"
    developments = events_lanthanides.key_developments(events_lanthanides.extract(LAN_DEVELOPMENTS))
    assert list(developments["status"]) == ["active", "active"] and list(developments["rare_earths"]) == [
        True,
        False,
    ]
    assert "date" not in developments.columns


def test_lanthanides_bad_date_and_bad_yaml(tmp_path):
    text = LAN_EVENTS.read_text(encoding="utf-8").replace('date: "2025-04-04"', 'date: "2025-04-31"')
    (tmp_path / "events.yml").write_text(text, encoding="utf-8")
    with pytest.raises(
        DatasetError,
        match=r"events\.yml: event 3 \(id pe-2025-04-04\): date '2025-04-31' is not a YYYY-MM-DD date",
    ):
        events_lanthanides.clean(events_lanthanides.extract(tmp_path / "events.yml"))
    (tmp_path / "broken.yml").write_text("- id: pe-1\n  title: [unclosed\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"broken\.yml: not valid YAML \(line \d+, column \d+\)"):
        events_lanthanides.extract(tmp_path / "broken.yml")


# --- the link rule -----------------------------------------------------------------------------


def test_link_clear_match():
    candidates = candidate_frame(("c1", "2021-02-03", "day", "US", "DoD funds Lynas separation plant"))
    linked = event_links.link(candidates, CURATED)
    assert linked.loc[0, "curated_event_id"] == "US-2021-01"
    assert linked.loc[0, "match_rule"] == "jurisdiction:US+date:2d<=14d+keywords:Lynas,separation"


def test_link_near_date_but_other_jurisdiction():
    candidates = candidate_frame(("c1", "2021-02-01", "day", "AU", "Government funds Lynas separation plant"))
    assert event_links.link(candidates, CURATED)["curated_event_id"].isna().all()


def test_link_same_jurisdiction_and_day_but_no_shared_keyword():
    candidates = candidate_frame(
        ("c1", "2021-02-01", "day", "US", "DOE announces funding for a battery factory")
    )
    assert event_links.link(candidates, CURATED)["curated_event_id"].isna().all()


def test_link_dates_beyond_the_window_or_outside_the_year():
    candidates = candidate_frame(
        ("c1", "2021-02-16", "day", "US", "DoD funds Lynas"),  # 15 days after US-2021-01
        (
            "c2",
            "2021-01-01",
            "year",
            "US",
            "Lynas awarded funding in 2021",
        ),  # year precision: any date in 2021
        ("c3", "2020-01-01", "year", "US", "Lynas awarded funding in 2020"),
    )
    linked = event_links.link(candidates, CURATED)
    assert list(linked["curated_event_id"].fillna("")) == ["", "US-2021-01", ""]
    assert linked.loc[1, "match_rule"] == "jurisdiction:US+same year+keyword:Lynas"


def test_link_two_candidates_for_one_event():
    candidates = candidate_frame(
        ("c1", "2025-04-04", "day", "CN", "Announcement No. 18 on rare earth export controls"),
        ("c2", "2025-04-05", "day", "CN", "Export licences for dysprosium and terbium items"),
    )
    linked = event_links.link(candidates, CURATED)
    assert list(linked["curated_event_id"]) == ["CN-2025-02", "CN-2025-02"]
    assert linked.loc[1, "match_rule"] == "jurisdiction:CN+date:1d<=14d+keywords:dysprosium,licensing,terbium"


def test_link_takes_the_closest_date_and_leaves_ties_unlinked():
    curated = curated_frame(
        (
            "US-2022-01",
            "2022-02-22",
            "day",
            "US",
            "DoD awards MP Materials funds for heavy rare earth separation.",
            "DoD;MP Materials",
        ),
        (
            "US-2022-02",
            "2022-02-25",
            "day",
            "US",
            "MP Materials pledges investment in magnets.",
            "MP Materials",
        ),
        ("US-2022-03", "2022-02-22", "day", "US", "MP Materials signs a supply deal.", "MP Materials"),
    )
    closest = event_links.link(
        candidate_frame(("c1", "2022-02-24", "day", "US", "MP Materials magnet plant")), curated
    )
    assert closest.loc[0, "curated_event_id"] == "US-2022-02"  # one day away, against two
    tie = event_links.link(
        candidate_frame(("c2", "2022-02-22", "day", "US", "Funding to MP Materials")), curated
    )
    assert (
        tie.loc[0, "curated_event_id"] is None
        and tie.loc[0, "link_note"] == "ambiguous: US-2022-01, US-2022-03 match equally"
    )
    more = event_links.link(
        candidate_frame(("c3", "2022-02-22", "day", "US", "MP Materials heavy rare earth separation")),
        curated,
    )
    assert more.loc[0, "curated_event_id"] == "US-2022-01"  # same day, more shared keywords


def test_link_needs_a_measure_with_a_topic_unless_distinctive():
    curated = curated_frame(
        (
            "CN-2024-04",
            "2024-12-01",
            "day",
            "CN",
            "Regulations on export control of dual-use items took effect.",
            "State Council",
        ),
        (
            "US-2021-04",
            "2021-09-21",
            "day",
            "US",
            "Commerce opens a probe into NdFeB permanent magnet imports.",
            "Commerce",
        ),
    )
    candidates = candidate_frame(
        (
            "c1",
            "2024-12-03",
            "day",
            "CN",
            "Strengthening the export control of dual-use items to the United States",
        ),  # two measures, 2 days apart
        ("c2", "2021-10-05", "day", "US", "Funding for neodymium magnet production"),  # two topics
    )
    assert event_links.link(candidates, curated)["curated_event_id"].isna().all()


def test_link_uses_several_jurisdictions():
    curated = curated_frame(
        (
            "US-2022-05",
            "2022-06-14",
            "day",
            "US",
            "State Department announces the Minerals Security Partnership.",
            "State",
        )
    )
    candidates = candidate_frame(
        ("c1", "2022-01-01", "year", None, "Minerals Security Partnership", "CA;JP;US")
    )
    linked = event_links.link(candidates, curated)
    assert linked.loc[0, "curated_event_id"] == "US-2022-05"
    assert linked.loc[0, "match_rule"] == "jurisdiction:US+same year+keyword:Minerals Security Partnership"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MOFCOM/GAC Announcement No.18 of 2025", {"No. 18"}),
        ("Announcement 46 from the Ministry", {"No. 46"}),
        ("Announcement 2025/18 and No. 46/2024", set()),
        ("MOFCOM Announcements No. 70 and No. 72 of 2025", {"No. 70", "No. 72"}),
        ("Regulation (EU) 2024/1252 in force", {"2024/1252"}),
        ("Decision No. 001/ARECOMS/2025", set()),
    ],
)
def test_document_numbers(text, expected):
    assert {label for label in event_links.keywords(text) if label.startswith(("No.", "20"))} == expected


def test_rare_earth_text_rule():
    assert event_links.mentions_rare_earths("Rare-earth tax") and event_links.mentions_rare_earths(
        "REE refining project"
    )
    assert event_links.mentions_rare_earths(
        "Neodymium export tariff"
    ) and not event_links.mentions_rare_earths("Lithium and cobalt")
    assert not event_links.mentions_rare_earths("Free trade agreement")  # "ree" inside a word


# --- the real files ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def curated_events():
    from rare_earths.datasets import curated, record

    tables = curated.load()
    return record.events(tables["measures"], tables["milestones"], tables["fx_rates"], tables["us_deflator"])


@pytest.mark.needs_external
@pytest.mark.skipif(not REAL_GTA.is_file(), reason=f"{REAL_GTA} is absent: run `rare-earths data fetch`")
def test_real_gta_values_as_in_the_file():
    frame = events_gta.clean(events_gta.extract(REAL_GTA))
    assert len(frame) == 292 and frame["deal_type"].value_counts().to_dict() == {
        "Subsidy": 254,
        "Trade Control": 38,
    }
    assert frame["minerals"].str.contains("Rare Earths").sum() == 57
    # four rows with a rare-earth title are tagged Lithium (2011: China export tariff, rare earth tax, prices;
    # Japan aid)
    assert frame["rare_earths_by"].value_counts().to_dict() == {"minerals tag": 57, "title": 4}
    assert frame["date_precision"].value_counts().to_dict() == {"day": 194, "year": 98}
    first = frame.iloc[0]
    assert (first["id"], first["date"], first["jurisdiction"]) == ("155768", pd.Timestamp("2026-05-19"), "US")
    assert frame["jurisdiction"].isna().sum() == 2 and (frame["jurisdiction"] == "EU").sum() == 2
    assert frame["date"].min() == pd.Timestamp("2009-01-01") and frame["date"].max() == pd.Timestamp(
        "2026-05-19"
    )


@pytest.mark.needs_external
@pytest.mark.skipif(not REAL_IEA.is_file(), reason=f"{REAL_IEA} is absent: run `rare-earths data fetch`")
def test_real_iea_values_as_in_the_file():
    frame = events_iea.clean(events_iea.extract(REAL_IEA))
    assert len(frame) == 110 and frame["status"].value_counts().to_dict() == {"In force": 97, "Announced": 13}
    assert frame["date_precision"].value_counts().to_dict() == {"year": 73, "day": 37}
    assert sorted(frame.loc[frame["problem"].notna(), "date_promulgated"]) == [
        "1992-12-08",
        "1997-12-06",
        "2024-05-31",
    ]
    controls = frame[frame["title"] == "Export controls on certain medium and heavy rare earth items"].iloc[0]
    assert (controls["date"], controls["date_precision"], controls["jurisdiction"]) == (
        pd.Timestamp("2025-04-04"),
        "day",
        "CN",
    )
    assert int(frame["rare_earths"].sum()) == 6 and frame["candidate_id"].is_unique


@pytest.mark.needs_external
@pytest.mark.skipif(
    not REAL_LAN.is_file() or not REAL_LAN_DEV.is_file(),
    reason=f"{REAL_LAN} is absent: run `rare-earths data fetch`",
)
def test_real_lanthanides_values_as_in_the_file():
    frame = events_lanthanides.clean(events_lanthanides.extract(REAL_LAN))
    assert len(frame) == 11 and frame["url"].isna().all()
    assert frame["date"].min() == pd.Timestamp("2023-07-03") and frame["date"].max() == pd.Timestamp(
        "2026-02-24"
    )
    problems = frame[frame["problem"].notna()]
    assert list(problems["id"]) == ["pe-2023-07-23"] and problems["date"].iloc[0] == pd.Timestamp(
        "2023-07-03"
    )
    assert frame["jurisdiction"].value_counts().to_dict() == {"CN": 10, "EU": 1}
    assert int(frame["rare_earths"].sum()) == 6
    developments = events_lanthanides.key_developments(events_lanthanides.extract(REAL_LAN_DEV))
    assert len(developments) == 6 and developments["status"].value_counts().to_dict() == {
        "active": 5,
        "suspended": 1,
    }


@pytest.mark.needs_external
@pytest.mark.skipif(
    not (REAL_GTA.is_file() and REAL_IEA.is_file() and REAL_LAN.is_file()),
    reason="external event files absent",
)
def test_real_known_pairs_link(curated_events):
    """The reviewed crosswalk (tracker_review.csv) holds the known pairs; the automatic linker, where it links
    one of them, agrees with it."""
    from rare_earths.datasets import curated

    tables = [
        module.read(SourceInput(paths.EXTERNAL, curated_events)).tables["event_candidates"]
        for module in (events_gta, events_iea, events_lanthanides)
    ]
    frame = pd.concat(tables, ignore_index=True)
    assert frame["candidate_id"].is_unique and tuple(frame.columns) == tuple(
        registry.field_names("event_candidates")
    )
    review = curated.load()["tracker_review"].set_index("candidate_id")["measure_id"]
    known = {
        "gta-83932": "M-US-2021-02",  # DoD award to Lynas, 2021-02-01
        "gta-104353": "M-US-2022-06",  # DoD award to Lynas, 2022-06-14
        "gta-101392": "M-US-2022-03",  # DoD award to MP Materials, 2022-02-22
        "gta-144320": "M-CN-2025-01",  # April 2025 controls on medium and heavy rare earths
        "lanthanides-pe-2025-04-04": "M-CN-2025-01",
        "gta-15740": "M-CN-2010-04",  # the 2011 neodymium export duty, tagged Lithium in GTA
    }
    assert {candidate: review[candidate] for candidate in known} == known
    links = frame.set_index("candidate_id")["curated_event_id"]
    automatic = {c: links[c] for c in known if pd.notna(links[c])}
    assert len(automatic) >= 4 and all(automatic[c] == known[c] for c in automatic if c != "gta-101392"), (
        automatic
    )
    # the subsidy rows of listed companies never link to the WTO tungsten ruling or anything else by a metal
    # in a name
    annual = frame[frame["date_precision"].eq("year") & frame["source"].eq("events_gta")]
    assert annual["curated_event_id"].isna().all()
