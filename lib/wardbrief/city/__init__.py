"""A city over many wards (CONTRACT section 6): the ward registry (`registry`), one
ward's run as the city makes it (`wards`), the roll-up into city.json (`rollup`, ranked
by `ranking`) and the city briefing's document (`document`)."""
