"""The ``distribution.yaml`` format, declared with the source format's vocabulary.

Why: the same declarations drive the loader (keys, types, did-you-mean) and the
JSON Schema of ``briefing schema --distribution``, as ``source/schema.py`` does
for sources. Two keys (``lists``, ``marking_levels``) are mappings whose keys the
author chooses; the vocabulary has no such type, so ``config.py`` reads them
itself and ``json_schema`` describes them by hand.
"""

from __future__ import annotations

from briefing.source import schemaout
from briefing.source.schematypes import Choice, Field, ListOf, Number, Pattern, Struct, Text

#: TLP 2.0 labels, lowest first: the order handling rules compare in.
TLP_ORDER = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")

ID = Pattern(
    r"[a-z0-9][a-z0-9-]*", "lowercase letters, digits and hyphens, not starting with a hyphen"
)
#: A route's ``briefings`` entry: a briefing id or ``*`` (every briefing).
BRIEFING_SELECTOR = Pattern(r"\*|[a-z0-9][a-z0-9-]*", "a briefing id or `*`")
#: ASCII only: a mail header cannot carry an address outside it (``formataddr`` stopped
#: the whole run on `министр@пример.рф`); a domain is written in its `xn--` form.
EMAIL = Pattern(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+",
    "an e-mail address in ASCII letters (an internationalised domain in its `xn--` form)",
    254,
)
ENV_NAME = Pattern(r"[A-Za-z_][A-Za-z0-9_]*", "an environment variable name")
TLP = Choice(TLP_ORDER)

FROM = Struct(
    "from",
    "the sender",
    "Who sends the copies: the desk. Required when delivering by smtp.",
    (
        Field(
            "name",
            Text(),
            "The desk's name, the sender of every message.",
            "Regional Security Desk",
            required=True,
        ),
        Field(
            "organization",
            Text(),
            "The sender's organization; `TLP:AMBER+STRICT` goes only to readers of this one.",
            "Ministry of Foreign Affairs",
        ),
        Field("email", EMAIL, "The From address of every message (smtp).", "desk@example.org"),
    ),
)

SMTP = Struct(
    "smtp",
    "the smtp settings",
    "A real mail server. Credentials come from the environment variables named here.",
    (
        Field(
            "host",
            Text(max_length=253),
            "The server's host name.",
            "smtp.example.org",
            required=True,
        ),
        Field(
            "port",
            Number(1, 65535),
            "The port. Default 587 (465 with `ssl`, 25 with `none`).",
            "587",
        ),
        Field(
            "security",
            Choice(("starttls", "ssl", "none")),
            "`starttls` (default), `ssl`, or `none` (only for localhost).",
            "starttls",
        ),
        Field(
            "username_env",
            ENV_NAME,
            "The environment variable holding the user name.",
            "BRIEFING_SMTP_USER",
        ),
        Field(
            "password_env",
            ENV_NAME,
            "The environment variable holding the password.",
            "BRIEFING_SMTP_PASSWORD",
        ),
        Field("timeout", Number(1, 600), "Seconds to wait for the server. Default 30.", "30"),
    ),
)

DELIVERY = Struct(
    "delivery",
    "the delivery settings",
    "How copies reach their readers.",
    (
        Field("method", Choice(("folder", "smtp")), "`folder` (the default) or `smtp`.", "folder"),
        Field(
            "folder",
            Text(max_length=1000),
            "folder: one subfolder per recipient id, relative to the project. Default `outbox`.",
            "outbox",
        ),
        Field("smtp", SMTP, "smtp: the mail server."),
    ),
)

RECIPIENT = Struct(
    "recipient",
    "a recipient",
    "One named reader.",
    (
        Field(
            "id",
            ID,
            "The reader's id, used in routes, lists, folders and the log.",
            "deputy-minister",
            required=True,
        ),
        Field(
            "name",
            Text(),
            "How the copy is addressed.",
            "Deputy Minister for the Caucasus",
            required=True,
        ),
        Field("title", Text(), "The reader's position.", "Deputy Minister"),
        Field("organization", Text(), "The reader's organization.", "Ministry of Foreign Affairs"),
        Field(
            "email",
            EMAIL,
            "The reader's address; required for smtp.",
            "deputy.minister@example.gov",
        ),
        Field(
            "cleared",
            TLP,
            "The highest TLP label this reader may receive. Default `TLP:GREEN`.",
            "TLP:AMBER",
        ),
    ),
)

PACK = Struct(
    "pack",
    "a pack",
    "A read-book: several briefings in one PDF with a cover and contents.",
    (
        Field("id", ID, "The pack's id: `dist/packs/<id>.pdf`.", "morning-book", required=True),
        Field("title", Text(), "The title on the cover.", "Morning Read-Book", required=True),
        Field(
            "briefings",
            ListOf(ID, min_items=1, max_items=100),
            "The member briefings, in order.",
            "[nagorno-karabakh-2020]",
            required=True,
        ),
    ),
)

ROUTE = Struct(
    "route",
    "a route",
    "Who gets what: briefings and/or packs, to recipients and/or lists.",
    (
        Field(
            "briefings",
            ListOf(BRIEFING_SELECTOR, max_items=1000, single=True),
            'Briefing ids; `"*"` is every briefing.',
            "[nagorno-karabakh-2020]",
        ),
        Field("packs", ListOf(ID, max_items=1000, single=True), "Pack ids.", "[morning-book]"),
        Field(
            "to",
            ListOf(ID, min_items=1, max_items=1000, single=True),
            "Recipient ids and list names.",
            "[caucasus-principals]",
            required=True,
        ),
    ),
)

#: Placeholder types for the two mappings with author-chosen keys (see the module docstring).
_MAP = ListOf(ID)

DISTRIBUTION = Struct(
    "distribution",
    "the top level",
    "The project's `distribution.yaml`: who receives which briefing.",
    (
        Field("from", FROM, "The sender."),
        Field("delivery", DELIVERY, "How copies are delivered. Default: the folder `outbox`."),
        Field(
            "recipients", ListOf(RECIPIENT, max_items=10000), "The named readers.", required=True
        ),
        Field("lists", _MAP, "Named groups of recipient ids."),
        Field(
            "marking_levels",
            _MAP,
            "Non-TLP markings mapped onto the TLP order (default TLP:CLEAR).",
        ),
        Field("packs", ListOf(PACK, max_items=1000), "Read-books."),
        Field("routes", ListOf(ROUTE, max_items=10000), "Who gets what.", required=True),
    ),
)

STRUCTS = (DISTRIBUTION, FROM, DELIVERY, SMTP, RECIPIENT, PACK, ROUTE)
MAP_KEYS = ("lists", "marking_levels")


def json_schema() -> dict[str, object]:
    """The format as a JSON Schema (draft 2020-12), for YAML language servers."""
    schema = schemaout.json_schema(DISTRIBUTION, STRUCTS, title="Briefing distribution")
    props = schema["properties"]
    assert isinstance(props, dict)
    id_list = {
        "type": "array",
        "items": {"type": "string", "pattern": f"^{ID.regex}$"},
        "minItems": 1,
    }
    props["lists"] = {
        "description": DISTRIBUTION.field("lists").description,  # type: ignore[union-attr]
        "anyOf": [
            {
                "type": "object",
                "propertyNames": {"pattern": f"^{ID.regex}$"},
                "additionalProperties": id_list,
            },
            {"type": "null"},
        ],
    }
    props["marking_levels"] = {
        "description": DISTRIBUTION.field("marking_levels").description,  # type: ignore[union-attr]
        "anyOf": [
            {"type": "object", "additionalProperties": {"enum": list(TLP_ORDER)}},
            {"type": "null"},
        ],
    }
    return schema
