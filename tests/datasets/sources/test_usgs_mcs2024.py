"""USGS MCS 2024 rare-earths world CSV: a team-written file with the real quirks, and the real file where
present."""

from __future__ import annotations

from pathlib import Path

import pytest

from rare_earths.common import paths
from rare_earths.datasets.sources import usgs_mcs2024

QUIRKS = Path(__file__).parents[2] / "fixtures" / "datasets" / "usgs_mcs2024_quirks.csv"
REAL = paths.EXTERNAL / usgs_mcs2024.FILE


@pytest.fixture(scope="module")
def quirks():
    return usgs_mcs2024.clean(usgs_mcs2024.extract(QUIRKS))


def test_extract_strips_the_bom_and_keeps_the_padding_as_it_is():
    frame = usgs_mcs2024.extract(QUIRKS)
    assert list(frame.columns[:3]) == ["source", "country", "type"]  # not "\ufeffsource"
    assert list(frame.columns[8:]) == ["unnamed_8", "unnamed_9", "unnamed_10", "unnamed_11"]
    assert len(frame) == 7  # five countries and two blank padding rows


def test_clean_drops_only_all_empty_padding_and_makes_one_row_per_observation(quirks):
    assert "unnamed_8" not in quirks.columns
    assert len(quirks) == 15  # 5 countries x (2 production years + reserves)
    assert list(quirks["country_iso"].unique()) == ["US", "MM", "CA", "CN", "WLD"]
    assert list(quirks["line"].unique()) == [2, 3, 4, 5, 6]


def test_clean_flags_estimates_and_codes_and_keeps_notes(quirks):
    production = quirks[quirks["statistic"] == "mine_production"]
    assert set(production["value_flag"]) == {"estimated"}  # both headers read Prod_t_est_YYYY
    burma = quirks[(quirks["country"] == "Burma") & (quirks["statistic"] == "reserves")].iloc[0]
    assert (
        burma["value_as_printed"] == "NA"
        and burma["value"] != burma["value"]
        and burma["value_flag"] == "not_available"
    )
    canada = quirks[(quirks["country"] == "Canada") & (quirks["year"] == 2023)].iloc[0]
    assert (
        canada["value"] == 0.0 and canada["value_flag"] == "estimated"
    )  # a printed 0 is a number, not a code
    china = quirks[(quirks["country"] == "China") & (quirks["year"] == 2023)].iloc[0]
    assert (
        china["notes"] == "Production quota; does not include undocumented production."
        and china["value"] == 240000
    )
    us_reserves = quirks[(quirks["country"] == "United States") & (quirks["statistic"] == "reserves")].iloc[0]
    assert us_reserves["notes"].startswith("Reserves for Australia, Russia, Thailand, and the United States")
    assert quirks["year"].isna().sum() == 5  # reserves carry no year in the file


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42000", (42000.0, None)),
        ("1,800,000", (1800000.0, None)),
        ("NA", (None, "not_available")),
        ("W", (None, "withheld")),
        ("—", (0.0, "zero")),
        (">95", (95.0, "more_than")),
    ],
)
def test_parse_value(text, expected):
    assert usgs_mcs2024.parse_value(text, "here") == expected


def test_a_value_in_a_padding_column_is_an_error_naming_line_and_column(tmp_path):
    lines = QUIRKS.read_bytes().split(b"\r\n")
    lines[3] += b"stray"  # into the last (unnamed) cell of Canada's line
    (tmp_path / "bad.csv").write_bytes(b"\r\n".join(lines))
    with pytest.raises(
        usgs_mcs2024.DatasetError, match=r"line 4: value 'stray' in unnamed padding column unnamed_11"
    ):
        usgs_mcs2024.clean(usgs_mcs2024.extract(tmp_path / "bad.csv"))


def test_a_value_that_is_no_number_or_code_names_the_line(tmp_path):
    (tmp_path / "bad.csv").write_bytes(QUIRKS.read_bytes().replace(b",830000,", b",about 830000,"))
    with pytest.raises(usgs_mcs2024.DatasetError, match=r"line 4, column reserves_t: 'about 830000'"):
        usgs_mcs2024.clean(usgs_mcs2024.extract(tmp_path / "bad.csv"))


def test_an_unknown_country_names_the_line(tmp_path):
    (tmp_path / "bad.csv").write_bytes(QUIRKS.read_bytes().replace(b"Burma", b"Atlantis"))
    with pytest.raises(usgs_mcs2024.DatasetError, match=r"line 3: country 'Atlantis' has no ISO code"):
        usgs_mcs2024.clean(usgs_mcs2024.extract(tmp_path / "bad.csv"))


def test_production_layout(quirks):
    production = usgs_mcs2024.production(quirks)
    assert (
        len(production) == 10
        and set(production["edition"]) == {"MCS 2024"}
        and set(production["year"]) == {2022, 2023}
    )
    assert not production.duplicated(["source", "edition", "country_label", "year"]).any()
    china = production[production["country_iso"] == "CN"]["basis"].iloc[0]
    assert china == (
        "mine production, rare-earth oxide equivalent; Production quota; does not include undocumented "
        "production."
    )


@pytest.mark.needs_external
@pytest.mark.skipif(not REAL.is_file(), reason=f"{REAL} is absent: run `rare-earths data fetch`")
def test_real_file_values_as_printed():
    raw = usgs_mcs2024.extract(REAL)
    assert raw.shape == (38, 44)  # 16 countries + 22 blank rows; 8 named + 36 unnamed columns
    frame = usgs_mcs2024.clean(raw)
    assert len(frame) == 48 and frame["country"].nunique() == 16
    production = usgs_mcs2024.production(frame).set_index(["country_iso", "year"])["production_t_reo"]
    assert production[("US", 2022)] == 42000 and production[("US", 2023)] == 43000
    assert production[("CN", 2022)] == 210000 and production[("CN", 2023)] == 240000
    assert (
        production[("AU", 2023)] == 18000
        and production[("MM", 2023)] == 38000
        and production[("VN", 2023)] == 600
    )
    assert production[("WLD", 2022)] == 300000 and production[("WLD", 2023)] == 350000
    reserves = frame[frame["statistic"] == "reserves"].set_index("country")
    assert (
        reserves.loc["Brazil", "value"] == 21000000
        and reserves.loc["World total (rounded)", "value"] == 110000000
    )
    assert sorted(reserves[reserves["value_flag"] == "not_available"].index) == [
        "Burma",
        "Madagascar",
        "Malaysia",
    ]
