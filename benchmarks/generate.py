"""Seeded generator of distinct, realistic briefing sources for the benchmarks.

Why: one example is not a workload. A scheduled build keeps a hundred briefings on
different crises, each with its own places, actors, chart and body, so the benchmark
needs many *distinct* sources of realistic size (3–5 pages: 3–7 summary bullets, 4–8 key
facts, a map with 3–8 places, 10–30 events over varied spans, 5–15 actors with every
column, 3–5 sections, 1–4 sources) and Unicode names (Cyrillic, Armenian, Greek,
Georgian, Azerbaijani ə) as real briefings on these regions carry.

Why seeded per source: source ``i`` depends only on ``(seed, i)``, never on ``n``, so
``generate(25, s)`` writes exactly the first 25 files of ``generate(100, s)`` and every
run of the benchmark builds the same bytes. ``revise`` rewrites a few sources with a
later revision, as an analyst's hourly edit would.

Only the standard library and PyYAML (a dependency of briefing) are used, and the
sources are written through a dumper that emits dates and years unquoted, as people
write them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefing.model import MONTH_NAMES

# --- content pools ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Actor:
    """An actor a theatre can put in its table: English name, local name, kind."""

    name: str
    local: str | None
    type: str


@dataclass(frozen=True, slots=True)
class Theatre:
    """A region with its real places (name, local name, lat, lon) and its actors."""

    slug: str
    name: str
    region: str
    places: tuple[tuple[str, str | None, float, float], ...]
    actors: tuple[Actor, ...]
    start_year: int


_THEATRES: tuple[Theatre, ...] = (
    Theatre(
        "caucasus",
        "South Caucasus",
        "South Caucasus: Armenia, Azerbaijan and Georgia",
        (
            ("Yerevan", "Երևան", 40.1792, 44.4991),
            ("Baku", "Bakı", 40.4093, 49.8671),
            ("Ganja", "Gəncə", 40.6828, 46.3606),
            ("Stepanakert", "Ստեփանակերտ", 39.8153, 46.7519),
            ("Gyumri", "Գյումրի", 40.7942, 43.8453),
            ("Shusha", "Şuşa", 39.7583, 46.7486),
            ("Lachin", "Laçın", 39.6383, 46.5461),
            ("Tbilisi", "თბილისი", 41.7151, 44.8271),
        ),
        (
            Actor("Armenia", "Հայաստան", "state"),
            Actor("Azerbaijan", "Azərbaycan", "state"),
            Actor("Russia", "Россия", "state"),
            Actor("Turkey", "Türkiye", "state"),
            Actor("Georgia", "საქართველო", "state"),
            Actor("Iran", None, "state"),
            Actor("European Union", None, "international organization"),
            Actor("OSCE Minsk Group", None, "mediation format"),
            Actor("CSTO", "ОДКБ", "alliance"),
            Actor("Karabakh Armenian authorities", None, "de facto authority"),
            Actor("United States", None, "state"),
            Actor("France", None, "state"),
            Actor("Russian peacekeeping contingent", "Миротворцы", "military force"),
            Actor("UNHCR", None, "UN agency"),
            Actor("Azerbaijani Defence Ministry", "Müdafiə Nazirliyi", "government body"),
        ),
        1918,
    ),
    Theatre(
        "black-sea",
        "Black Sea",
        "Black Sea: Ukraine, Crimea and the sea lanes",
        (
            ("Kyiv", "Київ", 50.4501, 30.5234),
            ("Odesa", "Одеса", 46.4825, 30.7233),
            ("Kharkiv", "Харків", 49.9935, 36.2304),
            ("Sevastopol", "Севастополь", 44.6166, 33.5254),
            ("Mykolaiv", "Миколаїв", 46.9750, 31.9946),
            ("Constanța", None, 44.1598, 28.6348),
            ("Novorossiysk", "Новороссийск", 44.7239, 37.7689),
            ("Izmail", "Ізмаїл", 45.3516, 28.8365),
        ),
        (
            Actor("Ukraine", "Україна", "state"),
            Actor("Russia", "Россия", "state"),
            Actor("Turkey", "Türkiye", "state"),
            Actor("Romania", "România", "state"),
            Actor("NATO", None, "alliance"),
            Actor("European Union", None, "international organization"),
            Actor("United Nations", None, "international organization"),
            Actor("Black Sea Fleet", "Черноморский флот", "military force"),
            Actor("Ukrainian Navy", "ВМС України", "military force"),
            Actor("Bulgaria", "България", "state"),
            Actor("United States", None, "state"),
            Actor("Lloyd's market", None, "private sector"),
            Actor("World Food Programme", None, "UN agency"),
            Actor("Moldova", None, "state"),
            Actor("Georgia", "საქართველო", "state"),
        ),
        1954,
    ),
    Theatre(
        "balkans",
        "Western Balkans",
        "Western Balkans: Serbia, Kosovo and Bosnia and Herzegovina",
        (
            ("Belgrade", "Београд", 44.7866, 20.4489),
            ("Pristina", "Prishtinë", 42.6629, 21.1655),
            ("Mitrovica", "Митровица", 42.8914, 20.8660),
            ("Sarajevo", None, 43.8563, 18.4131),
            ("Banja Luka", "Бања Лука", 44.7722, 17.1910),
            ("Skopje", "Скопје", 41.9981, 21.4254),
            ("Podgorica", "Подгорица", 42.4304, 19.2594),
            ("Novi Sad", "Нови Сад", 45.2671, 19.8335),
        ),
        (
            Actor("Serbia", "Србија", "state"),
            Actor("Kosovo", "Kosova", "state"),
            Actor("Bosnia and Herzegovina", None, "state"),
            Actor("Republika Srpska", "Република Српска", "entity"),
            Actor("European Union", None, "international organization"),
            Actor("KFOR", None, "military force"),
            Actor("NATO", None, "alliance"),
            Actor("Russia", "Россия", "state"),
            Actor("United States", None, "state"),
            Actor("EULEX", None, "EU mission"),
            Actor("Office of the High Representative", None, "international office"),
            Actor("Montenegro", "Црна Гора", "state"),
            Actor("North Macedonia", "Северна Македонија", "state"),
            Actor("China", None, "state"),
            Actor("Serbian List", "Српска листа", "political party"),
        ),
        1945,
    ),
    Theatre(
        "ferghana",
        "Ferghana Valley",
        "Ferghana Valley: the Kyrgyz–Tajik border",
        (
            ("Bishkek", "Бишкек", 42.8746, 74.5698),
            ("Dushanbe", "Душанбе", 38.5598, 68.7870),
            ("Osh", "Ош", 40.5283, 72.7985),
            ("Khujand", "Хуҷанд", 40.2826, 69.6222),
            ("Batken", "Баткен", 40.0625, 70.8194),
            ("Isfara", "Исфара", 40.1265, 70.6253),
            ("Vorukh", "Ворух", 39.8520, 70.5780),
            ("Tashkent", "Toshkent", 41.2995, 69.2401),
        ),
        (
            Actor("Kyrgyzstan", "Кыргызстан", "state"),
            Actor("Tajikistan", "Тоҷикистон", "state"),
            Actor("Uzbekistan", "Oʻzbekiston", "state"),
            Actor("Russia", "Россия", "state"),
            Actor("CSTO", "ОДКБ", "alliance"),
            Actor("China", None, "state"),
            Actor("Shanghai Cooperation Organisation", None, "international organization"),
            Actor("OSCE", None, "international organization"),
            Actor("Kyrgyz border service", "Пограничная служба", "government body"),
            Actor("Tajik State Committee for National Security", None, "government body"),
            Actor("European Union", None, "international organization"),
            Actor("World Bank", None, "international financial institution"),
            Actor("UNDP", None, "UN agency"),
            Actor("Kazakhstan", "Қазақстан", "state"),
            Actor("Local water-user associations", None, "civil society"),
        ),
        1924,
    ),
    Theatre(
        "east-med",
        "Eastern Mediterranean",
        "Eastern Mediterranean: Cyprus, Greece and Turkey",
        (
            ("Nicosia", "Λευκωσία", 35.1856, 33.3823),
            ("Athens", "Αθήνα", 37.9838, 23.7275),
            ("Ankara", None, 39.9334, 32.8597),
            ("Famagusta", "Αμμόχωστος", 35.1174, 33.9416),
            ("Limassol", "Λεμεσός", 34.7071, 33.0226),
            ("Rhodes", "Ρόδος", 36.4341, 28.2176),
            ("Kastellorizo", "Καστελλόριζο", 36.1500, 29.5900),
            ("İzmir", None, 38.4237, 27.1428),
        ),
        (
            Actor("Greece", "Ελλάδα", "state"),
            Actor("Turkey", "Türkiye", "state"),
            Actor("Republic of Cyprus", "Κύπρος", "state"),
            Actor("Turkish Cypriot administration", "Kıbrıs Türk", "de facto authority"),
            Actor("European Union", None, "international organization"),
            Actor("UNFICYP", None, "UN peacekeeping mission"),
            Actor("Egypt", None, "state"),
            Actor("Israel", None, "state"),
            Actor("NATO", None, "alliance"),
            Actor("United States", None, "state"),
            Actor("France", None, "state"),
            Actor("United Kingdom", None, "state"),
            Actor("ExxonMobil", None, "company"),
            Actor("ENI", None, "company"),
            Actor("Libya (Tripoli government)", None, "state"),
        ),
        1923,
    ),
    Theatre(
        "baltic",
        "Baltic",
        "Baltic: the Suwałki gap, Kaliningrad and the Baltic states",
        (
            ("Vilnius", None, 54.6872, 25.2797),
            ("Riga", "Rīga", 56.9496, 24.1052),
            ("Tallinn", None, 59.4370, 24.7536),
            ("Narva", "Нарва", 59.3797, 28.1791),
            ("Kaliningrad", "Калининград", 54.7104, 20.4522),
            ("Suwałki", None, 54.1115, 22.9308),
            ("Daugavpils", "Даугавпилс", 55.8747, 26.5362),
            ("Minsk", "Мінск", 53.9006, 27.5590),
        ),
        (
            Actor("Lithuania", "Lietuva", "state"),
            Actor("Latvia", "Latvija", "state"),
            Actor("Estonia", "Eesti", "state"),
            Actor("Russia", "Россия", "state"),
            Actor("Belarus", "Беларусь", "state"),
            Actor("Poland", "Polska", "state"),
            Actor("NATO", None, "alliance"),
            Actor("European Union", None, "international organization"),
            Actor("Baltic Fleet", "Балтийский флот", "military force"),
            Actor("Germany", None, "state"),
            Actor("Finland", "Suomi", "state"),
            Actor("Sweden", "Sverige", "state"),
            Actor("United States", None, "state"),
            Actor("Wagner Group remnants", "Вагнер", "armed group"),
            Actor("Russian-speaking minority organisations", None, "civil society"),
        ),
        1940,
    ),
    Theatre(
        "sahel",
        "Central Sahel",
        "Central Sahel: Mali, Burkina Faso and Niger",
        (
            ("Bamako", None, 12.6392, -8.0029),
            ("Niamey", None, 13.5116, 2.1254),
            ("Ouagadougou", None, 12.3714, -1.5197),
            ("Gao", None, 16.2666, -0.0400),
            ("Timbuktu", None, 16.7666, -3.0026),
            ("Agadez", None, 16.9742, 7.9865),
            ("Kidal", None, 18.4411, 1.4078),
            ("Djibo", None, 14.1010, -1.6300),
        ),
        (
            Actor("Mali (transitional government)", None, "state"),
            Actor("Burkina Faso (transitional government)", None, "state"),
            Actor("Niger (CNSP junta)", None, "state"),
            Actor("ECOWAS", None, "regional organization"),
            Actor("Alliance of Sahel States", None, "alliance"),
            Actor("France", None, "state"),
            Actor("Russia", "Россия", "state"),
            Actor("Africa Corps", "Африканский корпус", "military force"),
            Actor("JNIM", None, "armed group"),
            Actor("Islamic State Sahel Province", None, "armed group"),
            Actor("MINUSMA", None, "UN peacekeeping mission"),
            Actor("Algeria", None, "state"),
            Actor("United States", None, "state"),
            Actor("Tuareg movements (CSP)", None, "armed group"),
            Actor("World Food Programme", None, "UN agency"),
        ),
        1960,
    ),
    Theatre(
        "horn",
        "Horn of Africa",
        "Horn of Africa: Ethiopia, Eritrea and the Red Sea coast",
        (
            ("Addis Ababa", None, 9.0300, 38.7400),
            ("Mekelle", None, 13.4967, 39.4753),
            ("Asmara", None, 15.3229, 38.9251),
            ("Djibouti", None, 11.5880, 43.1450),
            ("Mogadishu", None, 2.0469, 45.3182),
            ("Berbera", None, 10.4396, 45.0143),
            ("Bahir Dar", None, 11.5742, 37.3614),
            ("Assab", None, 13.0092, 42.7394),
        ),
        (
            Actor("Ethiopia", None, "state"),
            Actor("Eritrea", None, "state"),
            Actor("Tigray Interim Administration", None, "regional authority"),
            Actor("TPLF", None, "political party"),
            Actor("Fano militias", None, "armed group"),
            Actor("Somalia", None, "state"),
            Actor("Somaliland", None, "de facto authority"),
            Actor("African Union", None, "regional organization"),
            Actor("IGAD", None, "regional organization"),
            Actor("Egypt", None, "state"),
            Actor("United Arab Emirates", None, "state"),
            Actor("Djibouti", None, "state"),
            Actor("United States", None, "state"),
            Actor("Turkey", "Türkiye", "state"),
            Actor("OCHA", None, "UN agency"),
        ),
        1952,
    ),
    Theatre(
        "scs",
        "South China Sea",
        "South China Sea: the Spratlys and the Scarborough Shoal",
        (
            ("Manila", None, 14.5995, 120.9842),
            ("Hanoi", "Hà Nội", 21.0278, 105.8342),
            ("Second Thomas Shoal", "Ayungin", 9.7500, 115.8667),
            ("Scarborough Shoal", None, 15.1500, 117.7600),
            ("Haikou", None, 20.0440, 110.1999),
            ("Da Nang", "Đà Nẵng", 16.0544, 108.2022),
            ("Puerto Princesa", None, 9.7392, 118.7353),
            ("Sanya", None, 18.2528, 109.5119),
        ),
        (
            Actor("Philippines", "Pilipinas", "state"),
            Actor("China", None, "state"),
            Actor("Vietnam", "Việt Nam", "state"),
            Actor("United States", None, "state"),
            Actor("ASEAN", None, "regional organization"),
            Actor("Japan", None, "state"),
            Actor("China Coast Guard", None, "coast guard"),
            Actor("Philippine Coast Guard", None, "coast guard"),
            Actor("Malaysia", None, "state"),
            Actor("Australia", None, "state"),
            Actor("Permanent Court of Arbitration", None, "court"),
            Actor("Maritime militia", None, "paramilitary"),
            Actor("Indonesia", None, "state"),
            Actor("Taiwan", None, "de facto state"),
            Actor("India", None, "state"),
        ),
        1947,
    ),
    Theatre(
        "moldova",
        "Moldova",
        "Moldova: Transnistria and Gagauzia",
        (
            ("Chișinău", None, 47.0105, 28.8638),
            ("Tiraspol", "Тирасполь", 46.8403, 29.6433),
            ("Bender", "Бендеры", 46.8316, 29.4777),
            ("Comrat", "Комрат", 46.2950, 28.6564),
            ("Bălți", None, 47.7617, 27.9289),
            ("Cobasna", "Колбасна", 47.9833, 29.1667),
            ("Ungheni", None, 47.2104, 27.8000),
        ),
        (
            Actor("Moldova", None, "state"),
            Actor("Transnistrian authorities", "Приднестровье", "de facto authority"),
            Actor("Gagauz autonomy", "Gagauziya", "autonomous region"),
            Actor("Russia", "Россия", "state"),
            Actor("Operational Group of Russian Forces", "ОГРВ", "military force"),
            Actor("Romania", "România", "state"),
            Actor("Ukraine", "Україна", "state"),
            Actor("European Union", None, "international organization"),
            Actor("OSCE Mission to Moldova", None, "international mission"),
            Actor("United States", None, "state"),
            Actor("Sheriff holding", "Шериф", "company"),
            Actor("Gazprom", "Газпром", "company"),
            Actor("Moldovagaz", None, "company"),
            Actor("Party of Action and Solidarity", None, "political party"),
            Actor("Party of Socialists", None, "political party"),
        ),
        1924,
    ),
    Theatre(
        "georgia",
        "Georgia",
        "Georgia: Abkhazia, South Ossetia and the Black Sea coast",
        (
            ("Tbilisi", "თბილისი", 41.7151, 44.8271),
            ("Sukhumi", "სოხუმი", 43.0015, 41.0234),
            ("Tskhinvali", "ცხინვალი", 42.2276, 43.9686),
            ("Batumi", "ბათუმი", 41.6168, 41.6367),
            ("Gori", "გორი", 41.9842, 44.1158),
            ("Kutaisi", "ქუთაისი", 42.2679, 42.6946),
            ("Ochamchire", "Очамчыра", 42.7120, 41.4680),
        ),
        (
            Actor("Georgia", "საქართველო", "state"),
            Actor("Russia", "Россия", "state"),
            Actor("Abkhaz authorities", "Аҧсны", "de facto authority"),
            Actor("South Ossetian authorities", None, "de facto authority"),
            Actor("EU Monitoring Mission", None, "EU mission"),
            Actor("European Union", None, "international organization"),
            Actor("NATO", None, "alliance"),
            Actor("Georgian Dream", "ქართული ოცნება", "political party"),
            Actor("United National Movement", None, "political party"),
            Actor("Armenia", "Հայաստան", "state"),
            Actor("Azerbaijan", "Azərbaycan", "state"),
            Actor("Turkey", "Türkiye", "state"),
            Actor("United States", None, "state"),
            Actor("Geneva International Discussions", None, "mediation format"),
            Actor("Civil society coalition", None, "civil society"),
        ),
        1921,
    ),
    Theatre(
        "caspian",
        "Caspian",
        "Caspian: energy corridors from Kazakhstan and Azerbaijan",
        (
            ("Baku", "Bakı", 40.4093, 49.8671),
            ("Aktau", "Ақтау", 43.6532, 51.1975),
            ("Türkmenbaşy", None, 40.0222, 52.9552),
            ("Astrakhan", "Астрахань", 46.3497, 48.0408),
            ("Atyrau", "Атырау", 47.0945, 51.9238),
            ("Sangachal", "Səngəçal", 40.1800, 49.4700),
            ("Novorossiysk", "Новороссийск", 44.7239, 37.7689),
            ("Ceyhan", None, 37.0287, 35.8125),
        ),
        (
            Actor("Kazakhstan", "Қазақстан", "state"),
            Actor("Azerbaijan", "Azərbaycan", "state"),
            Actor("Turkmenistan", "Türkmenistan", "state"),
            Actor("Russia", "Россия", "state"),
            Actor("Iran", None, "state"),
            Actor("Turkey", "Türkiye", "state"),
            Actor("European Union", None, "international organization"),
            Actor("China", None, "state"),
            Actor("Caspian Pipeline Consortium", None, "company"),
            Actor("SOCAR", None, "company"),
            Actor("KazMunayGas", "ҚазМұнайГаз", "company"),
            Actor("bp", None, "company"),
            Actor("Chevron", None, "company"),
            Actor("Georgia", "საქართველო", "state"),
            Actor("Transneft", "Транснефть", "company"),
        ),
        1991,
    ),
)

_TOPICS: tuple[tuple[str, str], ...] = (
    ("border-clashes", "Border Clashes Escalate"),
    ("ceasefire", "Ceasefire Under Strain"),
    ("talks", "Peace Talks Stall"),
    ("election", "Disputed Election and Its Fallout"),
    ("energy", "Energy Routes Under Pressure"),
    ("sanctions", "Sanctions and Their Limits"),
    ("maritime", "A Hardening Maritime Standoff"),
    ("mandate", "Peacekeeping Mandate in Question"),
    ("protests", "Protest Movement Gains Ground"),
    ("displacement", "Displacement Crisis Deepens"),
    ("basing", "Foreign Basing Rights Contested"),
    ("water", "Water and Land Disputes Turn Violent"),
)

_SUBTITLES = (
    "What happened, who is involved, and what to watch",
    "Background, positions of the outside powers, and the outlook",
    "Why now, what has changed, and the risks of escalation",
    "The facts so far and the indicators to watch",
    "Situation, stakes, and options for a settlement",
)

_MARKINGS = ("UNCLASSIFIED", "OFFICIAL", "TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT")
_ORGS = (
    "Regional Security Desk",
    "Europe and Eurasia Analysis Unit",
    "Crisis Monitoring Cell",
    "Policy Planning Staff",
    "Conflict Early Warning Team",
)
_TEAMS = ("Eurasia team", "Duty analyst", "Energy desk", "Maritime cell", "Africa team")
_CATEGORIES = (
    "political",
    "military",
    "diplomatic",
    "economic",
    "humanitarian",
    "legal",
    "energy",
    "security",
)
_PUBLISHERS = (
    ("Reuters", "https://www.reuters.com/world/"),
    ("Associated Press", "https://apnews.com/world-news/"),
    ("Crisis Group", "https://www.crisisgroup.org/"),
    ("The Moscow Times", "https://www.themoscowtimes.com/"),
    ("RFE/RL", "https://www.rferl.org/"),
    ("OSCE", "https://www.osce.org/"),
    ("UN OCHA", "https://www.unocha.org/"),
    ("Eurasianet", "https://eurasianet.org/"),
    ("BBC Monitoring", "https://monitoring.bbc.co.uk/"),
)

_EVENT_LABELS: dict[str, tuple[str, ...]] = {
    "political": (
        "{a} declares independence",
        "Parliament in {p} votes on new status",
        "{a} recalls its ambassador",
        "New government formed in {p}",
        "Referendum held in {p}",
        "{a} suspends cooperation",
    ),
    "military": (
        "Shelling reported near {p}",
        "{a} deploys troops near {p}",
        "Drone strikes hit {p}",
        "Heaviest fighting in years around {p}",
        "Artillery exchange along the line near {p}",
        "{a} announces mobilisation",
    ),
    "diplomatic": (
        "Talks in {p} end without deal",
        "{a} brokers a ceasefire",
        "Foreign ministers meet in {p}",
        "{a} and {b} sign a joint statement",
        "Envoy visits {p}",
        "Mediators propose a new roadmap",
    ),
    "economic": (
        "Trade route through {p} closed",
        "{a} imposes tariffs on {b}",
        "Currency falls after {p} unrest",
        "Aid package for {a} agreed",
    ),
    "humanitarian": (
        "Civilians flee {p}",
        "Aid convoy reaches {p}",
        "Shelter capacity in {p} exhausted",
        "UN appeals for access to {p}",
    ),
    "legal": (
        "Court ruling on {p} issued",
        "{a} files case against {b}",
        "Arbitration award favours {a}",
        "Sanctions listing of {a} officials",
    ),
    "energy": (
        "Pipeline via {p} shut for repairs",
        "Gas supply to {a} cut",
        "{a} signs energy deal with {b}",
        "Terminal at {p} resumes loading",
    ),
    "security": (
        "Border post near {p} attacked",
        "Checkpoint at {p} reinforced",
        "{a} detains suspected saboteurs",
        "Curfew imposed in {p}",
    ),
}

_HEADINGS = (
    "Why are they fighting?",
    "What changed this week",
    "Background: a dispute decades old",
    "Who backs whom",
    "The military picture",
    "The diplomatic track",
    "Economic and energy stakes",
    "The humanitarian situation",
    "Legal questions",
    "Outlook: what to watch",
    "Implications for partners",
)

_SENTENCES = (
    "{A} has accused {B} of breaking the terms agreed in {year}, a charge {B} rejects [@{s}].",
    "Fighting around **{P}** has displaced an estimated {n},000 people since {month} [@{s}].",
    "Officials in {P} say supplies of fuel and medicine will last *weeks, not months* [@{s}].",
    "{A} relies on {B} for most of its imports, which limits how far it can push [@{s}].",
    "The line of contact near {P} has barely moved since {year}, despite repeated offensives.",
    "Talks mediated by {C} have met {n} times without agreeing an agenda [@{s}].",
    "{C} has called for restraint and offered to host a new round of talks in {P}.",
    "Local authorities in {P} report damage to roads, power lines and the water network [@{s}].",
    "Satellite images published by [independent researchers](https://example.org/imagery) "
    "show new positions near {P}.",
    "{A}'s parliament approved extra defence spending of {n} per cent this year [@{s}].",
    "Analysts note that {B} has avoided any direct commitment, preferring quiet contacts.",
    "The crossing at {P} remains closed to civilian traffic, cutting a key trade route [@{s}].",
    "Both sides claim to be acting in self-defence, and neither admits to starting the exchange.",
    "A prisoner exchange brokered by {C} in {month} freed {n} detainees [@{s}].",
    "Energy flows through {P} account for roughly {n} per cent of regional exports.",
    "Statements from {A} have hardened since {month}, and its media speak of *betrayal*.",
)

_LIST_ITEMS = (
    "**{A}.** Whether it moves troops closer to {P}, the clearest sign of escalation [@{s}];",
    "**{C}.** Whether it turns statements into a concrete offer to mediate;",
    "**Casualties.** A rise beyond the {n} reported would signal a wider confrontation [@{s}];",
    "**Access.** Whether aid agencies regain access to {P} within the coming weeks;",
    "**Energy.** Any interruption of flows through {P}, which would draw in outside buyers;",
    "**{B}.** Whether it recalls its envoy or expels diplomats of {A};",
)

_FACTS = (
    ("Killed in the latest fighting", "at least {n}"),
    ("Displaced since {year}", "{n},000"),
    ("Population of {P}", "about {n},000"),
    ("Length of the disputed border", "{n} km"),
    ("Ceasefire in force since", "{year}"),
    ("Peacekeepers deployed", "{n}00"),
    ("Share of exports via {P}", "{n}%"),
    ("Rounds of talks since {year}", "{n}"),
    ("Aid appeal funded", "{n}%"),
    ("Border crossings open", "{n} of 12"),
)

_NOTES = (
    "Has kept a low profile in public but is active behind the scenes.",
    "Its position shifted after the {year} agreement; watch its next statement.",
    "Depends heavily on trade through {P}.",
    "Fields forces near {P}; its units rotate every six months.",
    "Has offered to mediate; hosts talks in {P}.",
    "Domestic politics constrain its room for manoeuvre ahead of elections.",
    "Supplies arms to one side and credit to the other.",
)

_ROLES = (
    "Party to the conflict",
    "Mediator",
    "Regional power",
    "Guarantor of the {year} agreement",
    "Humanitarian responder",
    "Energy transit partner",
    "Observer",
    "Security provider",
)

_ALIGNMENTS = (
    "Backs {A}",
    "Aligned with {B}",
    "Neutral mediation",
    "Economically close to both sides",
    "Opposes any change to borders by force",
    "Formally neutral, leans towards {A}",
)


# --- building one source ---------------------------------------------------------------------


class YDate(str):
    """A date or year as written in a source: emitted unquoted, as authors type it."""


class _Dumper(yaml.SafeDumper):
    """Block-style YAML with ``|`` bodies and unquoted dates, close to hand-written sources."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_date(dumper: yaml.SafeDumper, value: YDate) -> yaml.ScalarNode:
    # The tag YAML 1.1 would infer makes the emitter write it plain (``1921``,
    # ``2020-09-27``); the loader reads the characters, never the inferred type.
    if re.fullmatch(r"\d{4}", value):
        tag = "tag:yaml.org,2002:int"
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        tag = "tag:yaml.org,2002:timestamp"
    else:
        tag = "tag:yaml.org,2002:str"
    return dumper.represent_scalar(tag, str(value))


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(YDate, _represent_date)


def _day(d: dt.date) -> YDate:
    return YDate(d.isoformat())


def _month(d: dt.date) -> YDate:
    return YDate(f"{d.year:04d}-{d.month:02d}")


def _year(d: dt.date) -> YDate:
    return YDate(f"{d.year:04d}")


def _pick_combos(seed: int) -> list[tuple[int, int]]:
    """Every (theatre, topic) pair once, in a seeded order: titles repeat only after 144."""
    combos = [(t, k) for t in range(len(_THEATRES)) for k in range(len(_TOPICS))]
    random.Random(f"combos-{seed}").shuffle(combos)
    return combos


def _fill(template: str, ctx: dict[str, Any], rng: random.Random) -> str:
    values = dict(ctx)
    values["n"] = rng.randint(3, 95)
    values["year"] = rng.randint(ctx["start"], ctx["as_of"].year - 1)
    values["month"] = rng.choice(MONTH_NAMES)
    values["s"] = rng.choice(ctx["source_ids"])
    values["P"] = values["p"] = rng.choice(ctx["place_names"])
    return template.format(**values)


def _display_name(actor: Actor, rng: random.Random) -> str:
    if actor.local and rng.random() < 0.35:
        return f"{actor.name} ({actor.local})"
    return actor.name


def _place_name(name: str, local: str | None, rng: random.Random) -> str:
    if local and rng.random() < 0.5:
        return f"{name} ({local})" if rng.random() < 0.6 else local
    return name


def make_source(
    seed: int, index: int, revision: int = 0, *, text_only: bool = False
) -> tuple[str, dict[str, Any]]:
    """Source ``index`` of the set ``seed``: its file stem and its content.

    ``revision`` > 0 gives the same briefing as edited later: a newer ``as_of``, a
    rewritten first bullet and one more event, so its content hash changes.
    ``text_only``: the bullet only (``as_of``, the timeline and the map stay as they were).
    """
    combos = _pick_combos(seed)
    t_index, k_index = combos[index % len(combos)]
    theatre, (topic_slug, topic) = _THEATRES[t_index], _TOPICS[k_index]
    rng = random.Random(f"briefing-{seed}-{index}")

    as_of = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randint(0, 5 * 365))
    if not text_only:  # the events are dated from as_of: moving it redraws the timeline
        as_of += dt.timedelta(days=revision)
    start = theatre.start_year + rng.randint(0, 20)

    n_sources = rng.randint(1, 4)
    pubs = rng.sample(_PUBLISHERS, n_sources)
    source_ids = [
        f"{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}-{as_of.year}" for name, _ in pubs
    ]
    # ``sample`` never repeats a publisher, so the ids are unique within the source.
    places = rng.sample(theatre.places, rng.randint(3, min(8, len(theatre.places))))
    # A page budget, as an editor keeps one: a long chronology leaves room for fewer
    # actors and sections, so every briefing stays within 3–5 pages.
    n_events = rng.randint(10, 30)
    page_size = rng.choice((None, None, "A4", "letter"))  # None: the default (A4)
    budget = 27 if page_size == "letter" else 30  # a letter page is 18 mm shorter
    n_actors = rng.randint(5, max(5, min(15 if n_events <= 11 else 13, budget - n_events)))
    size = n_events + n_actors + (30 - budget)
    n_sections = rng.randint(3, 5 if size <= 20 else 4 if size <= 26 else 3)
    # The theatre lists its two main parties first: they are always in the table, and
    # the texts are about them; a third actor (C) is the outside power or mediator.
    main, others = list(theatre.actors[:2]), list(theatre.actors[2:])
    actors = main + rng.sample(others, n_actors - 2)
    place_names = [p[0] for p in places]
    actor_names = [a.name for a in actors]
    a, b, c = actor_names[0], actor_names[1], rng.choice(actor_names[2:])
    ctx: dict[str, Any] = {
        "A": a,
        "B": b,
        "C": c,
        "start": start,
        "as_of": as_of,
        "source_ids": source_ids,
        "place_names": place_names,
    }

    summary = [
        _fill(
            "**What happened:** "
            + rng.choice(
                (
                    "forces of {A} and {B} clashed near {P}, the worst fighting since {year} "
                    "[@{s}].",
                    "{A} announced measures against {B} after talks in {P} broke down [@{s}].",
                    "protests in {P} have grown into the largest since {year} [@{s}].",
                )
            ),
            ctx,
            rng,
        )
    ]
    bullets = [
        "**Stakes:** the dispute risks drawing in {C}, which has interests on both sides [@{s}].",
        "**Outside powers:** {C} has urged restraint; {B} has kept its options open [@{s}].",
        "**Humanitarian:** some {n},000 people have left the area around {P} [@{s}].",
        "**Economy:** trade through {P} has fallen by about {n} per cent since {month} [@{s}].",
        "**Diplomacy:** mediators hope to reconvene in {P}, but no date has been set.",
        "**What to watch:** whether {A} moves more forces towards {P} in the coming days.",
        "**Assessment:** a wider war is *unlikely* in the next month but cannot be ruled out.",
    ]
    summary += [_fill(t, ctx, rng) for t in rng.sample(bullets, rng.randint(2, 6))]
    if revision:
        summary[0] = f"**Update {revision}:** " + summary[0]

    key_facts: list[dict[str, Any]] = []
    for label, value in rng.sample(_FACTS, rng.randint(4, 8)):
        fact: dict[str, Any] = {"label": _fill(label, ctx, rng), "value": _fill(value, ctx, rng)}
        if rng.random() < 0.7:
            fact["source"] = rng.choice(source_ids)
        key_facts.append(fact)

    map_: dict[str, Any] = {
        "title": f"{theatre.name} and its neighbours",
        "region": theatre.region,
        "caption": _fill(
            "Places named in this briefing; {P} is the focus of the current fighting [@{s}]. "
            "Boundaries shown are for orientation only.",
            ctx,
            rng,
        ),
        "places": [
            {"name": _place_name(name, local, rng), "lat": lat, "lon": lon}
            for name, local, lat, lon in places
        ],
    }

    categories = rng.sample(_CATEGORIES, rng.randint(2, 5))
    events: list[tuple[dt.date, dict[str, Any]]] = []
    labels_seen: set[str] = set()
    for _ in range(n_events):
        category = rng.choice(categories)
        # A long history, a busier recent past, and a cluster in the last weeks.
        r = rng.random()
        if r < 0.3:
            day = dt.date(rng.randint(start, as_of.year - 2), 1, 1)
            when: YDate = _year(day)
        elif r < 0.55:
            day = dt.date(max(start, as_of.year - 6) + rng.randint(0, 5), rng.randint(1, 12), 1)
            when = _month(day)
        else:
            day = as_of - dt.timedelta(days=rng.randint(0, 45))
            when = _day(day)
        for _attempt in range(8):  # distinct labels, as a real chronology has
            who = rng.sample(actor_names[:5], 2)
            label = _fill(
                rng.choice(_EVENT_LABELS[category]), ctx | {"a": who[0], "b": who[1]}, rng
            )
            if label not in labels_seen:
                break
        else:
            label = f"{label}, again"
        labels_seen.add(label)
        event: dict[str, Any] = {"date": when}
        if rng.random() < 0.2:  # a span: its end after its start, at its own precision
            if len(when) == 4:
                event["end"] = YDate(f"{int(when) + rng.randint(1, 6):04d}")
            else:
                end = day + dt.timedelta(days=rng.randint(20, 400))
                event["end"] = _month(end) if rng.random() < 0.5 else _day(end)
        event["label"] = label
        if rng.random() < 0.4:
            event["detail"] = _fill(rng.choice(_SENTENCES), ctx, rng)
        event["category"] = category
        if rng.random() < 0.5:
            event["source"] = rng.choice(source_ids)
        events.append((day, event))
    if revision and not text_only:
        events.append(
            (
                as_of,
                {
                    "date": _day(as_of),
                    "label": f"Update {revision}: new reports from {place_names[0]}",
                    "category": categories[0],
                },
            )
        )
    events.sort(key=lambda item: item[0])

    actor_rows: list[dict[str, Any]] = []
    for actor in actors:
        others = [n for n in actor_names if n != actor.name]
        ties: Any = rng.sample(others, rng.randint(1, min(4, len(others))))
        if len(ties) == 1 and rng.random() < 0.5:
            ties = ties[0]  # the contract accepts one text as well as a list
        row: dict[str, Any] = {
            "name": _display_name(actor, rng),
            "type": actor.type,
            "role": _fill(rng.choice(_ROLES), ctx, rng),
            "alignment": _fill(rng.choice(_ALIGNMENTS), ctx, rng),
            "ties": ties,
            "notes": _fill(rng.choice(_NOTES), ctx, rng),
            "source": rng.choice(source_ids),
        }
        if actor.local and rng.random() < 0.5:
            row["notes"] = f"{actor.local}. {row['notes']}"
        if n_actors > 11 and rng.random() < 0.4:
            del row["notes"]  # a long table keeps notes for the actors that need them
        actor_rows.append(row)

    sections: list[dict[str, Any]] = []
    outlook = "Outlook: what to watch"
    headings = [*rng.sample([h for h in _HEADINGS if h != outlook], n_sections - 1), outlook]
    for h_index, heading in enumerate(headings):
        paragraphs = []
        for _ in range(1 if rng.random() < 0.7 else 2):
            sentences = rng.sample(_SENTENCES, rng.randint(2, 3))
            paragraphs.append(" ".join(_fill(s, ctx, rng) for s in sentences))
        if heading.startswith("Outlook") or rng.random() < 0.25:
            items = rng.sample(_LIST_ITEMS, rng.randint(2, 4))
            paragraphs.append("\n".join("- " + _fill(item, ctx, rng) for item in items))
        if rng.random() < 0.15:
            steps = ["Agree a ceasefire line", "Exchange prisoners", "Reopen the crossing"]
            paragraphs.append("\n".join(f"{k}. {step}" for k, step in enumerate(steps, 1)))
        section: dict[str, Any] = {"heading": heading, "body": "\n\n".join(paragraphs) + "\n"}
        if h_index == 0 and rng.random() < 0.3:
            section["sections"] = [
                {
                    "heading": "Earlier rounds",
                    "body": _fill(rng.choice(_SENTENCES), ctx, rng) + "\n",
                }
            ]
        sections.append(section)

    sources = []
    for (publisher, url), sid in zip(pubs, source_ids, strict=True):
        published = as_of - dt.timedelta(days=rng.randint(0, 20))
        entry: dict[str, Any] = {
            "id": sid,
            "title": _fill(
                rng.choice(
                    (
                        "Explainer: what is behind the fighting in {P}",
                        "{A} and {B} trade blame after clashes",
                        "Briefing: {C} steps up mediation",
                        "Thousands flee as fighting spreads near {P}",
                    )
                ),
                ctx,
                rng,
            ),
            "publisher": publisher,
            "date": _day(published),
            "url": f"{url}{published.year}/{published.month:02d}/{sid}",
        }
        if rng.random() < 0.4:
            entry["accessed"] = _day(as_of)
        if rng.random() < 0.3:
            entry["note"] = "Includes reporting from wire agencies."
        sources.append(entry)

    doc: dict[str, Any] = {
        "title": f"{theatre.name}: {topic}",
        "subtitle": rng.choice(_SUBTITLES),
        "as_of": _day(as_of),
        "marking": rng.choice(_MARKINGS),
        "organization": rng.choice(_ORGS),
        "authors": rng.sample(_TEAMS, rng.randint(1, 2)),
    }
    if page_size is not None:
        doc["page_size"] = page_size
    doc |= {
        "summary": summary,
        "key_facts": key_facts,
        "map": map_,
        "timeline": {
            "title": f"{theatre.name}: key events since {start}",
            "events": [event for _, event in events],
        },
        "actors": actor_rows,
        "sections": sections,
        "sources": sources,
    }
    return f"{index:03d}-{theatre.slug}-{topic_slug}", doc


def dump(doc: dict[str, Any]) -> str:
    """The YAML text of one source."""
    return yaml.dump(
        doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000, indent=2
    )


def write_source(
    folder: Path, seed: int, index: int, revision: int = 0, *, text_only: bool = False
) -> Path:
    """Write source ``index`` (at ``revision``) into ``folder/sources/``; return its path."""
    stem, doc = make_source(seed, index, revision, text_only=text_only)
    path = folder / "sources" / f"{stem}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    header = f"# Generated by benchmarks/generate.py (seed {seed}, source {index}).\n"
    path.write_text(header + dump(doc), encoding="utf-8")
    return path


def generate(n: int, seed: int, folder: Path) -> list[Path]:
    """Write ``n`` distinct sources into ``folder/sources/``; the same files for the same seed."""
    return [write_source(Path(folder), seed, i) for i in range(n)]


def revise(
    folder: Path, seed: int, indices: list[int], revision: int, *, text_only: bool = False
) -> list[Path]:
    """Rewrite sources ``indices`` as edited (``revision`` ≥ 1): what an hourly job picks up."""
    if revision < 1:
        raise ValueError("a revision is numbered from 1")
    return [write_source(Path(folder), seed, i, revision, text_only=text_only) for i in indices]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many sources")
    parser.add_argument("folder", type=Path, help="project folder; sources go in FOLDER/sources/")
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args(argv)
    paths = generate(args.n, args.seed, args.folder)
    print(f"wrote {len(paths)} sources to {args.folder / 'sources'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
