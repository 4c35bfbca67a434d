"""A large, realistic-looking event for benchmarks: many sessions, rooms, speakers and FAQ entries.

Deterministic for a given seed. Sessions never overlap within a room.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.content.models import (
    Content,
    EventInfo,
    FaqEntry,
    Room,
    Session,
    SessionKind,
    Speaker,
    VenueInfo,
    Wifi,
)

TOPICS = (
    "digital government",
    "public procurement",
    "climate adaptation",
    "local governance",
    "open data",
    "civil service reform",
    "anti-corruption",
    "gender equality",
    "e-participation",
    "fiscal transparency",
    "smart cities",
    "migration policy",
    "health systems",
    "water security",
    "artificial intelligence",
    "cybersecurity",
    "youth employment",
    "rural development",
    "decentralisation",
    "public trust",
    "budget reform",
    "disaster risk",
    "social protection",
    "education policy",
    "urban mobility",
    "data protection",
    "ethics in the public sector",
    "leadership development",
    "performance management",
    "service delivery",
    "innovation labs",
    "citizen engagement",
    "regional integration",
    "public finance",
    "the SDGs",
    "Agenda 2063",
)
FORMS = (
    "{topic}: lessons from {place}",
    "Rethinking {topic}",
    "{topic} in practice",
    "The future of {topic}",
    "{topic} and {other}",
    "Building capacity for {topic}",
    "Case studies in {topic}",
    "From policy to practice: {topic}",
    "{topic} after COVID-19",
    "Measuring {topic}",
    "Innovations in {topic}",
    "{topic} for inclusive development",
)
PLACES = (
    "Africa",
    "Latin America",
    "South-East Asia",
    "small island states",
    "Europe",
    "the Arab region",
    "Morocco",
    "Kenya",
    "Brazil",
    "Indonesia",
    "Canada",
    "India",
    "Ghana",
    "Chile",
)
KINDS = (
    (SessionKind.panel, 4),
    (SessionKind.workshop, 3),
    (SessionKind.plenary, 1),
    (SessionKind.meeting, 1),
    (SessionKind.other, 1),
)
FIRST = (
    "Amina",
    "Youssef",
    "Maria",
    "John",
    "Li",
    "Fatima",
    "Carlos",
    "Aisha",
    "Peter",
    "Nadia",
    "Omar",
    "Sofia",
    "David",
    "Leila",
    "Kwame",
    "Ana",
    "Hassan",
    "Elena",
    "Samuel",
    "Zainab",
)
LAST = (
    "Benali",
    "Okafor",
    "Silva",
    "Schmidt",
    "Chen",
    "Haddad",
    "Mensah",
    "Garcia",
    "Kumar",
    "Ito",
    "Dubois",
    "Nkosi",
    "Rossi",
    "Popescu",
    "Alaoui",
    "Ndiaye",
    "Kowalski",
    "Tanaka",
    "Moreau",
    "Abebe",
    "Lindqvist",
    "Hernandez",
    "Idrissi",
    "Osei",
    "Petrov",
)
FAQ_TOPICS = (
    "parking",
    "cloakroom",
    "prayer room",
    "printing",
    "lost property",
    "visa letter",
    "dress code",
    "photography",
    "child care",
    "smoking area",
    "atm",
    "pharmacy",
    "shuttle bus",
    "hotel discounts",
    "poster session",
    "speaker ready room",
    "session recordings",
    "networking",
    "social dinner",
    "city tour",
    "currency exchange",
    "power adapters",
    "quiet room",
)
FAQ_FORMS = (
    "is there a {t}",
    "where is the {t}",
    "{t}",
    "information about {t}",
    "do you have {t}",
)


def generate_content(n_sessions: int = 1000, n_faq: int = 200, seed: int = 7) -> Content:
    rng = random.Random(seed)
    n_rooms = max(4, n_sessions // 50)
    rooms = [
        Room(id=f"room-{i}", name=rng.choice(("Hall", "Room", "Auditorium", "Salon")) + f" {i}")
        for i in range(n_rooms)
    ]
    speakers = []
    for i in range(max(10, n_sessions // 4)):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        speakers.append(
            Speaker(
                id=f"sp-{i}",
                name=name,
                honorific=rng.choice(("Dr.", "Prof.", "Ms", "Mr", None)),
                position=rng.choice(("Director", "Minister", "Professor", "Adviser", "Mayor")),
                affiliation=f"University of {rng.choice(PLACES)}",
                country=rng.choice(PLACES),
            )
        )
    kinds = [kind for kind, weight in KINDS for _ in range(weight)]
    start_day = dt.date(2024, 5, 6)
    sessions: list[Session] = []
    titles: dict[str, int] = {}
    day_index = 0
    while len(sessions) < n_sessions:
        day = start_day + dt.timedelta(days=day_index)
        for room in rooms:
            clock = dt.datetime.combine(day, dt.time(8, 30))
            while clock.time() < dt.time(18, 0) and len(sessions) < n_sessions:
                length = dt.timedelta(minutes=rng.choice((45, 60, 90)))
                end = clock + length
                if end.date() != day or end.time() > dt.time(20, 0):
                    break
                # Real programmes rarely repeat a title; retry, then number the repeats.
                for _ in range(20):
                    topic, other = rng.sample(TOPICS, 2)
                    form = rng.choice(FORMS)
                    title = form.format(topic=topic, other=other, place=rng.choice(PLACES))
                    title = title[0].upper() + title[1:]
                    if title not in titles:
                        break
                titles[title] = titles.get(title, 0) + 1
                if titles[title] > 1:
                    title = f"{title} (part {titles[title]})"
                people = rng.sample(speakers, rng.randint(1, 4))
                number = len(sessions) + 1
                sessions.append(
                    Session(
                        id=f"s-{number}",
                        code=f"S{number}",
                        title=title,
                        kind=rng.choice(kinds),
                        day=day,
                        start=clock.time(),
                        end=end.time(),
                        room=room.id,
                        chairs=[people[0].id],
                        speakers=[p.id for p in people[1:]],
                        description=f"A session on {topic} and {other}, with examples from "
                        f"{rng.choice(PLACES)}.",
                        tags=[topic, other],
                    )
                )
                clock = end + dt.timedelta(minutes=rng.choice((0, 15, 30)))
        day_index += 1
    faq = []
    for i in range(n_faq):
        topic = FAQ_TOPICS[i % len(FAQ_TOPICS)]
        variant = f"{topic} {i // len(FAQ_TOPICS)}" if i >= len(FAQ_TOPICS) else topic
        faq.append(
            FaqEntry(
                id=f"faq-{i}",
                questions=[form.format(t=variant) for form in rng.sample(FAQ_FORMS, 3)],
                answer=f"Everything about {variant}: ask at the help desk.",
                tags=[topic],
            )
        )
    last_day = max(s.day for s in sessions)
    event = EventInfo(
        id="bench-event",
        name="Generated benchmark conference",
        short_name="Bench 2024",
        theme="Governance for everyone",
        timezone="Africa/Casablanca",
        start_date=start_day,
        end_date=last_day,
        summary="A generated event for benchmarks.",
    )
    venue = VenueInfo(
        name="Generated Convention Centre",
        address="1 Example Avenue",
        rooms=rooms,
        wifi=Wifi(network="bench", password="secret"),
        transport=["Tram line 1"],
    )
    return Content(event, venue, sessions, speakers, faq)
