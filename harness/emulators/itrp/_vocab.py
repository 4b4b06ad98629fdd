"""Words for the seeded ITRP data and the translated enumerations of GET /enums."""

from __future__ import annotations

FIRST_NAMES = (
    "Ava",
    "Bart",
    "Carla",
    "Dirk",
    "Eva",
    "Frank",
    "Greta",
    "Hugo",
    "Ingrid",
    "Jasper",
    "Karin",
    "Lars",
    "Mila",
    "Noah",
    "Olga",
    "Pieter",
    "Quinn",
    "Rosa",
    "Sem",
    "Tessa",
    "Ulrich",
    "Vera",
    "Wout",
    "Xena",
    "Yara",
    "Zeno",
    "Anouk",
    "Bram",
    "Chloe",
    "Daan",
)
LAST_NAMES = (
    "Bakker",
    "Jansen",
    "de Vries",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "Kramer",
    "van Dam",
    "Vermeulen",
    "Schouten",
    "Hoekstra",
    "Koster",
    "Prins",
    "Huisman",
    "Kok",
)
JOB_TITLES = (
    "Service Desk Analyst",
    "System Administrator",
    "Network Engineer",
    "Team Lead",
    "Application Manager",
    "Controller",
    "Account Manager",
    "Facility Coordinator",
    "Database Administrator",
    "Project Manager",
    "HR Advisor",
    "Purchaser",
)
CITIES = (
    "Amsterdam",
    "Rotterdam",
    "Utrecht",
    "Eindhoven",
    "Groningen",
    "Leiden",
    "Delft",
    "Haarlem",
    "Arnhem",
    "Zwolle",
    "Breda",
    "Tilburg",
    "Maastricht",
    "Nijmegen",
    "Enschede",
    "Apeldoorn",
    "Almere",
    "Amersfoort",
    "Den Bosch",
    "Alkmaar",
    "Deventer",
    "Gouda",
    "Hilversum",
    "Venlo",
    "Leeuwarden",
    "Middelburg",
    "Assen",
    "Lelystad",
    "Emmen",
    "Hoorn",
)
SITE_KINDS = ("Office", "Branch", "Warehouse", "Service Center", "Depot")
SUBJECT_THINGS = (
    "laptop",
    "printer",
    "VPN connection",
    "e-mail",
    "badge",
    "monitor",
    "phone",
    "SharePoint site",
    "ERP access",
    "Wi-Fi",
    "password",
    "docking station",
    "shared drive",
    "headset",
    "calendar",
    "expense tool",
    "payroll report",
    "CRM account",
)
SUBJECT_PROBLEMS = (
    "{thing} does not start",
    "{thing} is very slow",
    "Cannot reach {thing}",
    "Request for a new {thing}",
    "Access to {thing} needed",
    "{thing} gives an error",
    "Question about {thing}",
    "{thing} keeps disconnecting",
    "Please replace my {thing}",
    "{thing} reservation for next week",
)

# GET /enums: value ids in document order, then their texts per language.
ENUM_IDS: dict[str, tuple[str, ...]] = {
    "request.status": (
        "declined",
        "assigned",
        "accepted",
        "in_progress",
        "waiting_for",
        "waiting_for_customer",
        "on_backlog",
        "reservation_pending",
        "workflow_pending",
        "project_pending",
        "completed",
    ),
    "request.category": (
        "incident",
        "rfc",
        "rfi",
        "complaint",
        "compliment",
        "other",
        "order",
        "fyi",
        "reservation",
    ),
    "request.impact": ("low", "medium", "high", "top"),
}

ENUM_TEXTS: dict[str, dict[str, str]] = {
    "en-US": {
        "declined": "Declined",
        "assigned": "Assigned",
        "accepted": "Accepted",
        "in_progress": "In Progress",
        "waiting_for": "Waiting for...",
        "waiting_for_customer": "Waiting for Customer",
        "on_backlog": "On Backlog",
        "reservation_pending": "Reservation Pending",
        "workflow_pending": "Workflow Pending",
        "project_pending": "Project Pending",
        "completed": "Completed",
        "incident": "Incident - Request for Incident Resolution",
        "rfc": "RFC - Request for Change",
        "rfi": "RFI - Request for Information",
        "complaint": "Complaint - Request for Complaint Resolution",
        "compliment": "Compliment - Request for Compliment Routing",
        "other": "Other - Request is Out of Scope",
        "order": "Order - Request for Purchase",
        "fyi": "FYI - For Your Information",
        "reservation": "Reservation - Request for Booking",
        "low": "Low - Service Degraded for One User",
        "medium": "Medium - Service Down for One User",
        "high": "High - Service Degraded for Several Users",
        "top": "Top - Service Down for Several Users",
    },
    "nl": {
        "declined": "Geweigerd",
        "assigned": "Toegewezen",
        "accepted": "Geaccepteerd",
        "in_progress": "In behandeling",
        "waiting_for": "Wachtend op...",
        "waiting_for_customer": "Wachtend op klant",
        "on_backlog": "Op backlog",
        "reservation_pending": "Reservering in afwachting",
        "workflow_pending": "Workflow in afwachting",
        "project_pending": "Project in afwachting",
        "completed": "Voltooid",
        "incident": "Verstoring - Verzoek om herstel",
        "rfc": "RFC - Wijzigingsverzoek",
        "rfi": "RFI - Informatieverzoek",
        "complaint": "Klacht - Verzoek om afhandeling",
        "compliment": "Compliment - Verzoek om doorgeleiding",
        "other": "Overig - Verzoek valt buiten de dienstverlening",
        "order": "Bestelling - Verzoek om aankoop",
        "fyi": "Ter info",
        "reservation": "Reservering - Verzoek om boeking",
        "low": "Laag - Dienst verminderd voor een gebruiker",
        "medium": "Gemiddeld - Dienst onbeschikbaar voor een gebruiker",
        "high": "Hoog - Dienst verminderd voor meerdere gebruikers",
        "top": "Top - Dienst onbeschikbaar voor meerdere gebruikers",
    },
}

# Languages, each named in itself (as the document shows), in document order.
LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en-US", "English (United States)"),
    ("nl", "Nederlands"),
    ("fr", "Francais"),
    ("da", "Dansk"),
    ("et", "Eesti"),
)
DEFAULT_LANGUAGE = "en-US"


def resolve_language(requested: str | None, fallback: str) -> str:
    """The supported language code an X-ITRP-Language value names, else ``fallback``."""
    if not requested:
        return fallback
    wanted = requested.strip().lower()
    for code, _ in LANGUAGES:
        if code.lower() == wanted or code.lower().split("-")[0] == wanted:
            return code
    return fallback


def enums(language: str) -> dict[str, list[dict[str, str]]]:
    """The body of GET /enums in one language (untranslated texts fall back to en-US)."""
    texts = {**ENUM_TEXTS[DEFAULT_LANGUAGE], **ENUM_TEXTS.get(language, {})}
    body = {name: [{"id": i, "txt": texts[i]} for i in ids] for name, ids in ENUM_IDS.items()}
    body["language"] = [{"id": code, "txt": txt} for code, txt in LANGUAGES]
    return body
