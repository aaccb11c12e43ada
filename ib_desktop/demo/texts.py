"""The texts the demo school is written with: goals, needs, reasons, assessments, names."""

from __future__ import annotations

# Names that carry the characters a font must print (é, ë, ï, ĳ, ř, ç, ö).
SPECIAL_FIRST = ["Zoë", "Noël", "Chloë", "Anaïs", "Daniël", "Joëlle", "Eloïse", "Ĳsbrand", "Søren"]
SPECIAL_LAST = [
    ("", "Dvořák"),
    ("", "Çelik"),
    ("", "Öztürk"),
    ("van", "IJzendoorn"),
    ("", "Brouwér"),
]

GOALS = {
    "Rekenen": [
        "Automatiseert de tafels 1 t/m 5 binnen 3 seconden per som.",
        "Lost plus- en minsommen tot 100 met tientaloverschrijding op met het rekenrek.",
        "Leest de klok op hele en halve uren.",
    ],
    "Lezen (technisch)": [
        "Leest AVI-E4 op instructieniveau.",
        "Leest 40 woorden per minuut op de DMT-kaart 2.",
    ],
    "Spelling": ["Schrijft woorden met -ng en -nk foutloos in een dictee van 20 woorden."],
    "Taal": ["Vertelt een gebeurtenis in de goede volgorde met drie zinnen."],
    "Begrijpend lezen": ["Vindt de kernzin in een alinea van een informatieve tekst."],
    "Sociaal-emotionele ontwikkeling": [
        "Vraagt een klasgenoot om mee te spelen tijdens de pauze.",
        "Benoemt boosheid en kiest een afgesproken manier om af te koelen.",
    ],
    "Taak-/werkhouding": [
        "Werkt tien minuten zelfstandig met de time-timer zonder hulp te vragen.",
        "Plant een weektaak met een stappenkaart.",
    ],
}
NEEDS = [
    "Heeft baat bij verlengde instructie aan de instructietafel.",
    "Heeft een vaste plek dicht bij de leerkracht nodig.",
    "Heeft behoefte aan korte opdrachten met een duidelijk eindpunt.",
    "Heeft concreet materiaal nodig om handelingen te kunnen uitvoeren.",
]
EXECUTION = [
    "- 3x per week 15 minuten extra oefenen met de onderwijsassistent\n"
    "- wekelijks even terugkijken met de leerkracht",
    "- dagelijks 10 minuten flitsen met de tafelkaarten\n- thuis oefenen met de ouders (oefenblad)",
    "- start van elke les: stappenplan op tafel\n- na 10 minuten korte check-in van de leerkracht",
]
EVALUATIONS = [
    "Doel behaald; de leerling past de strategie zelfstandig toe.",
    "Grote vooruitgang, nog niet stabiel. Doel wordt voortgezet.",
    "Weinig vooruitgang. Aanpak wordt in de leerlingbespreking met de IB-er bijgesteld.",
]
REASONS_UP = [
    "Geen voldoende groei na twee perioden extra instructie in de groep.",
    "Zorgen over de sociaal-emotionele ontwikkeling; besproken in de leerlingbespreking.",
    "Achterstand van meer dan een jaar op rekenen en technisch lezen.",
    "Advies van de orthopedagoog van het samenwerkingsverband na het MDO.",
]
REASONS_DOWN = [
    "De doelen zijn behaald; extra ondersteuning is niet meer nodig.",
    "Goede groei in de afgelopen periode; verder met basisondersteuning.",
]
ASSESSMENTS = [
    (
        "Intelligentieonderzoek (WISC-V)",
        "Orthopedagoog SWV",
        "Gemiddelde totale intelligentie; zwakke verwerkingssnelheid.",
    ),
    (
        "Dyslexieonderzoek",
        "Regionaal instituut voor dyslexie",
        "Ernstige enkelvoudige dyslexie vastgesteld; dyslexieverklaring afgegeven.",
    ),
    (
        "Observatie in de groep",
        "Ambulant begeleider",
        "Concentratie neemt na 10 minuten sterk af; werkt beter met structuur.",
    ),
    (
        "Logopedisch onderzoek",
        "Logopediepraktijk",
        "Taalbegrip op leeftijdsniveau, taalproductie zwak.",
    ),
]
CARE_ORGS = [
    ("leerling", "Jeugd-GGZ Midden", "behandeling"),
    ("gezin", "Sociaal wijkteam", "gezinsbegeleiding"),
    ("leerling", "Logopediepraktijk De Klank", "logopedie"),
    ("school", "Ambulante dienst SWV", "ambulante begeleiding"),
]
PRESCHOOLS = [
    "Peuterspeelzaal Het Kleine Duimpje",
    "Kinderdagverblijf De Boomhut",
    "Peuteropvang Olleke Bolleke",
]
OTHER_SCHOOLS = ["OBS De Wilgen", "CBS Het Anker", "RKBS De Sleutel", "Daltonschool Het Mozaïek"]
OUTFLOWS = ["praktijkonderwijs", "vmbo-bb", "vmbo-kb", "vmbo-gt"]
