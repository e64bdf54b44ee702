"""The city's own settings: who issues the city briefing, its on-time target, who signs.
Read from the `[city]` table of the config file (wardbrief.toml or
~/.config/wardbrief/config.toml), each with a default:

    [city]
    issuer = "UBND thành phố Hải Phòng"   # the issuing body (NĐ 30/2020 header)
    place = "Hải Phòng"                     # of the date line
    on_time_target = 95                     # percent
    signer_title = "CHỦ TỊCH"
    signer_name = ""
    doc_symbol = "/BC-UBND"
    sheet_reads = 60                        # Google Sheets reads the wards of a run share
    sheet_read_seconds = 60                 # ... in any window of this many seconds
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wardbrief.config import ConfigError, read_config_file

COMMITTEE_SHORT = "UBND"
COMMITTEE = "ỦY BAN NHÂN DÂN"


@dataclass(frozen=True)
class CitySettings:
    issuer: str = "UBND thành phố Hải Phòng"
    place: str = "Hải Phòng"
    on_time_target: float = 0.95
    signer_title: str = "CHỦ TỊCH"
    signer_name: str = ""
    doc_symbol: str = "/BC-UBND"
    sheet_reads: int = 60
    sheet_read_seconds: float = 60.0

    def issuer_lines(self) -> tuple[str, ...]:
        """The header's issuing body: `UBND thành phố Hải Phòng` -> `ỦY BAN NHÂN DÂN`,
        `THÀNH PHỐ HẢI PHÒNG` (NĐ 30/2020: the body's name in capitals, spelled out)."""
        text = " ".join(self.issuer.split())
        if text.upper().startswith(COMMITTEE_SHORT + " "):
            return (COMMITTEE, text[len(COMMITTEE_SHORT) + 1:].upper())
        if text.upper().startswith(COMMITTEE + " "):
            return (COMMITTEE, text[len(COMMITTEE) + 1:].upper())
        return (text.upper(),)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def city_settings() -> CitySettings:
    """The `[city]` table over the defaults; ConfigError names a value that is wrong."""
    path, table = read_config_file()
    given = table.get("city") or {}
    if not isinstance(given, dict):
        raise ConfigError(f"{path}: [city] must be a table")
    defaults = CitySettings()
    values: dict[str, Any] = {}
    for key in defaults.__dict__:
        if key not in given:
            continue
        value = given[key]
        if key == "on_time_target":
            if not isinstance(value, (int, float)) or not 0 < value <= 100:
                raise ConfigError(f"{path}: [city] on_time_target must be a percent in (0, 100]")
            value = value / 100
        elif key == "sheet_reads":
            if not isinstance(value, int) or value < 1:
                raise ConfigError(f"{path}: [city] sheet_reads must be a positive integer")
        elif key == "sheet_read_seconds":
            if not isinstance(value, (int, float)) or value <= 0:
                raise ConfigError(f"{path}: [city] sheet_read_seconds must be a positive number")
            value = float(value)
        elif not isinstance(value, str):
            raise ConfigError(f"{path}: [city] {key} must be text")
        values[key] = value
    return CitySettings(**{**defaults.__dict__, **values})
