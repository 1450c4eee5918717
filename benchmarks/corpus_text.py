"""Invented vocabulary and sentence templates for the synthetic benchmark corpus.

Takes a ``random.Random``; gives story facts (invented names and numbers) and the sentences that
tell them in English (two phrasings: the original's and a rewrite's), French, Spanish and German.
Every name here is made up from syllables, so no text of the shared corpus is reused. Copies of
one story tell the same facts in the same order, which is what the grouping looks for.
"""
from __future__ import annotations

import random
import re

CHOICE = re.compile(r"\[([^\]]+)\]")
SYLLABLES = ("ka", "vel", "mor", "tri", "san", "lo", "dre", "quin", "ba", "zor", "ith", "ne", "ral",
             "pho", "gun", "te", "vaa", "lis", "cor", "ebb", "um", "fen", "ol", "stra", "wy", "dax")
FIRST = ("Ilse", "Tomas", "Marguerite", "Oren", "Priya", "Lucio", "Hanne", "Dario", "Sofie", "Kwame",
         "Ines", "Bruno", "Yara", "Teodor", "Malin", "Rafael", "Noor", "Anselm", "Leni", "Cyprien")
MONTHS = {"en": ("January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December"),
          "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                 "septembre", "octobre", "novembre", "décembre"),
          "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                 "septiembre", "octubre", "noviembre", "diciembre"),
          "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                 "September", "Oktober", "November", "Dezember")}

# Two curated topics and their invented companies; the benchmark's digest.toml lists the same.
TOPICS = {
    "harbor-robots": {"title": "Harbor robots",
                      "firms": ("Quellmar", "Dravik", "Ostrune", "Pelagon", "Harrowick", "Tessaline",
                                "Brakmoor", "Sundvik", "Calloway Marine", "Nerith"),
                      "noun": {"en": "underwater drone", "fr": "drone sous-marin", "es": "dron submarino",
                               "de": "Drohne"},
                      "terms": ["drone", "drones", "dron", "Drohne"]},
    "sky-farms": {"title": "Sky farms",
                  "firms": ("Verdance", "Loftgrow", "Aurelle", "Greenspire", "Halvard Agri", "Mossbeck",
                            "Canopia", "Terrelle", "Brightfold", "Ulmark"),
                  "noun": {"en": "rooftop farm", "fr": "ferme urbaine", "es": "granja urbana",
                           "de": "Dachfarm"},
                  "terms": ["farm", "farms", "ferme", "granja", "Dachfarm"]},
}

# Each fact is told by one template per language; {noun} is the topic's noun in that language and
# "[a|b|c]" is a choice of wording made per story and phrasing, so that different stories told
# from the same templates share few words, as different news stories do.
FACTS = {
    "launch": {
        "en": "{firm} [unveiled|introduced|showed off|launched|revealed] the {product}, a {noun} with {j0} [steering|guidance|navigation], [designed|built|made|intended] for {sector}, at [an event|a trade fair|a press day|a gathering] in {city} on {day} {month_en}.",
        "en2": "At [a showcase|an expo|a launch party|a demo day] in {city} on {day} {month_en}, {firm} [took the wraps off|pulled the cover from|finally showed] the {product}, its [new|latest|first] {noun} with {j0} [steering|guidance], [aimed at|pitched to|meant for] {sector}.",
        "fr": "{firm} a [présenté|dévoilé|lancé|montré] le {product}, un {noun} à [pilotage|guidage] {j0} [conçu|pensé|destiné] pour le secteur {sector_fr}, [lors d'un événement|lors d'un salon|pendant une journée de presse] à {city} le {day} {month_fr}.",
        "es": "{firm} [presentó|lanzó|mostró|desveló] el {product}, un {noun} con [control|guiado] {j0} [diseñado|pensado|creado] para el sector {sector_es}, en [un evento|una feria|una jornada de prensa] en {city} el {day} de {month_es}.",
        "de": "{firm} hat die {product} [vorgestellt|präsentiert|gezeigt|enthüllt], eine {noun} mit {j0}-[Steuerung|Navigation] für die Branche {sector_de}, [bei einer Veranstaltung|auf einer Messe|bei einem Pressetermin] in {city} am {day}. {month_de}."},
    "price": {
        "en": "The {j1} [machine|unit|system|model] will [cost|sell for|retail at] {price} dollars and the first {units} [units|machines|orders] are [promised|due|expected] to [customers|buyers|clients] by {month2_en}.",
        "en2": "[Buyers|Customers|Operators] of the {j1} [machine|model] will pay {price} dollars [apiece|each|per unit], and {firm} [says|claims|expects] the first {units} [units|machines] should [reach|arrive with] [customers|buyers] by {month2_en}.",
        "fr": "[L'appareil|Le système|Le modèle] {j1} [coûtera|sera vendu] {price} dollars et les {units} premières unités sont [promises|attendues] aux [clients|acheteurs] d'ici {month2_fr}.",
        "es": "[La máquina|El sistema|El modelo] {j1} [costará|se venderá por] {price} dólares y las primeras {units} unidades [llegarán|se entregarán] a los [clientes|compradores] antes de {month2_es}.",
        "de": "[Das Gerät|Das System|Das Modell] {j1} kostet {price} Dollar, und die ersten {units} Einheiten sollen die [Kunden|Käufer] bis {month2_de} [erreichen|erhalten]."},
    "quote": {
        "en": "\u201cWe [built|made|designed] it because our [customers|clients|crews] kept asking for a {j2} [tool|helper|machine] they could [trust|rely on] at {hours} in the morning,\u201d [said|explained|told reporters] {person}, the {role} of {firm}.",
        "en2": "{person}, who [serves as|works as|is] {role} at {firm}, said the [company|team|firm] [built|made] it because [customers|crews|clients] wanted a {j2} [tool|machine] they could [trust|count on] at {hours} in the morning.",
        "fr": "\u00ab Nous l'avons [construit|conçu|fabriqué] parce que nos [clients|équipes] voulaient un [outil|engin] {j2} [fiable|solide] à {hours} heures du matin \u00bb, a [déclaré|expliqué|précisé] {person}, {role_fr} de {firm}.",
        "es": "\u201cLo [construimos|diseñamos|fabricamos] porque nuestros [clientes|equipos] pedían una [herramienta|máquina] {j2} [fiable|segura] a las {hours} de la mañana\u201d, [dijo|explicó|aseguró] {person}, {role_es} de {firm}.",
        "de": "\u201eWir haben es [gebaut|entwickelt|entworfen], weil unsere [Kunden|Teams] um {hours} Uhr morgens ein [verlässliches|robustes] {j2}-Werkzeug wollten\u201c, [sagte|erklärte|betonte] {person}, {role_de} von {firm}."},
    "funding": {
        "en": "{firm} has [raised|collected|secured] {funding} million dollars since it was [founded|started|set up] in {year}, [according to|based on] [figures|documents|numbers] [shared with|seen by|given to] {outlet}.",
        "en2": "[According to|Going by] [numbers|records|filings] [given to|seen by] {outlet}, {firm} has [collected|pulled in|raised] {funding} million dollars from [investors|backers|funds] since its [founding|creation|start] in {year}.",
        "fr": "{firm} a [levé|réuni|obtenu] {funding} millions de dollars depuis sa [création|fondation] en {year}, selon des [chiffres|documents] [communiqués à|consultés par] {outlet}.",
        "es": "{firm} ha [recaudado|conseguido|reunido] {funding} millones de dólares desde su [fundación|creación] en {year}, según [cifras|documentos] [compartidas con|consultadas por] {outlet}.",
        "de": "{firm} hat seit der [Gründung|Entstehung] im Jahr {year} insgesamt {funding} Millionen Dollar [eingesammelt|erhalten|aufgenommen], wie {outlet} [berichtet|meldet|schreibt]."},
    "pilot": {
        "en": "A [pilot run|field trial|test programme|first deployment] in the port of {city2} [lasted|ran for|went on for] {weeks} weeks and [covered|reached|spanned] {sites} {j3} [sites|berths|docks], the [company|firm|maker] said.",
        "en2": "The [company|firm|start-up] said a {weeks}-week [trial|test|pilot] in the port of {city2} had [taken in|included|visited] {sites} [separate|different|distinct] {j3} [sites|berths|docks].",
        "fr": "[Un essai|Un test|Un programme pilote] dans le port de {city2} a [duré|tourné pendant] {weeks} semaines et a [couvert|concerné] {sites} [sites|quais] {j3}, selon [l'entreprise|la société].",
        "es": "[Una prueba|Un ensayo|Un piloto] en el puerto de {city2} [duró|se prolongó] {weeks} semanas y [abarcó|cubrió] {sites} [sitios|muelles] {j3}, según [la empresa|la compañía].",
        "de": "[Ein Test|Ein Pilotprojekt|Ein Versuch] im Hafen von {city2} [dauerte|lief] {weeks} Wochen und [umfasste|erreichte] {sites} {j3}-[Standorte|Anlegestellen], so [das Unternehmen|die Firma]."},
    "rival": {
        "en": "[Analysts|Researchers|Consultants] at {analyst} said the launch [puts pressure on|squeezes|challenges] {rival}, which [sells|markets|offers] a [similar|comparable|rival] {noun} for [about|around|roughly] {rival_price} dollars.",
        "en2": "{rival}, whose [comparable|similar|competing] {noun} [goes for|costs|lists at] [roughly|about|close to] {rival_price} dollars, now [faces|feels|meets] more [pressure|competition|heat], [analysts|consultants] at {analyst} [said|argued|noted].",
        "fr": "Les [analystes|consultants] de {analyst} [estiment|jugent] que ce lancement [met sous pression|bouscule] {rival}, qui [vend|propose] un {noun} [similaire|comparable] pour [environ|près de] {rival_price} dollars.",
        "es": "Los [analistas|consultores] de {analyst} [creen|opinan] que el lanzamiento [presiona a|complica a] {rival}, que [vende|ofrece] un {noun} [parecido|similar] por [unos|casi] {rival_price} dólares.",
        "de": "[Analysten|Berater] von {analyst} [sagen|meinen], der Start [setze|bringe] {rival} unter Druck, das eine [ähnliche|vergleichbare] {noun} für [etwa|rund] {rival_price} Dollar [verkauft|anbietet]."},
    "battery": {
        "en": "[According to|Per|As described by] {firm}, the {product} can [work|operate|keep going] for {hours2} hours on [a single|a full|one] charge and [carry|lift|move] {j4} loads of up to {load} kilograms.",
        "en2": "On [one|a single] charge the {product} [runs|works] for {hours2} hours, {firm} [claims|says|insists], while [hauling|carrying|lifting] as much as {load} kilograms of {j4} [cargo|freight|gear].",
        "fr": "Selon {firm}, le {product} peut [fonctionner|travailler] {hours2} heures avec une [seule|unique] charge et [porter|soulever] jusqu'à {load} kilos de [charge|matériel] {j4}.",
        "es": "Según {firm}, el {product} puede [funcionar|trabajar] {hours2} horas con una [sola|única] carga y [llevar|levantar] hasta {load} kilos de [carga|material] {j4}.",
        "de": "Laut {firm} [arbeitet|läuft] die {product} mit einer Ladung {hours2} Stunden und [trägt|hebt] bis zu {load} Kilogramm {j4}-[Fracht|Material]."},
    "jobs": {
        "en": "The [firm|company|business] [employs|has|counts] {staff} [people|workers|staff] and [plans|hopes|intends] to open [an office|a depot|a lab] in {city3} [next year|soon|within a year].",
        "en2": "With [a staff of|a workforce of|a headcount of] {staff}, the [business|firm|group] [intends|plans|aims] to add [an office|a depot|a workshop] in {city3} [during the coming year|before long|next spring].",
        "fr": "[L'entreprise|La société] [emploie|compte] {staff} [personnes|salariés] et [prévoit|compte] d'ouvrir [un bureau|un atelier] à {city3} [l'an prochain|bientôt].",
        "es": "[La compañía|La empresa] [emplea a|tiene] {staff} [personas|trabajadores] y [planea|prevé] abrir [una oficina|un taller] en {city3} [el próximo año|pronto].",
        "de": "Die [Firma|Gesellschaft] [beschäftigt|hat] {staff} [Menschen|Mitarbeiter] und [will|plant] [im nächsten Jahr|bald] [ein Büro|eine Werkstatt] in {city3} eröffnen."},
    "critic": {
        "en": "[Not everyone is convinced|Doubts remain|Some are wary]: {critic}, a [researcher|professor|fellow] at the {institute} institute, [warned|cautioned|pointed out] that the [costs|price|burden] of {j5} upkeep [remain|are still|stay] unclear.",
        "en2": "[Some remain sceptical|Critics are unmoved|Not all are sold], among them {critic} of the {institute} institute, who [cautioned|warned|noted] that [nobody|no one] yet [knows|can say] what {j5} upkeep will cost.",
        "fr": "[Tout le monde n'est pas convaincu|Des doutes subsistent] : {critic}, [chercheur|professeur] à l'institut {institute}, [prévient|rappelle] que les coûts d'entretien {j5} restent [flous|incertains].",
        "es": "[No todos están convencidos|Persisten las dudas]: {critic}, [investigador|profesor] del instituto {institute}, [advirtió|recordó] que los costes de mantenimiento {j5} siguen sin estar [claros|definidos].",
        "de": "[Nicht alle sind überzeugt|Es gibt Zweifel]: {critic}, [Forscher|Professor] am Institut {institute}, [warnte|betonte], dass die {j5}-Wartungskosten noch [unklar|offen] seien."},
    "regulator": {
        "en": "[Regulators|Authorities|Officials] in {country} must still [approve|certify|clear] the system, a [process|step|review] that took {reg_months} months for the [previous|earlier|last] model.",
        "en2": "The system still needs [a green light|approval|sign-off] from [regulators|authorities] in {country}; for the [earlier|previous] model that [step|review] took {reg_months} months.",
        "fr": "Les [autorités|régulateurs] de {country} doivent encore [approuver|certifier] le système, une [procédure|étape] qui a pris {reg_months} mois pour le modèle [précédent|antérieur].",
        "es": "Los [reguladores|organismos] de {country} todavía deben [aprobar|certificar] el sistema, un [proceso|trámite] que tardó {reg_months} meses con el modelo [anterior|previo].",
        "de": "Die [Behörden|Regulierer] in {country} müssen das System noch [genehmigen|zulassen], was beim [Vorgängermodell|letzten Modell] {reg_months} Monate dauerte."},
}
PADDING = {  # generic sentences put together from four parts, a few per copy, in every language
    "en": (("The announcement", "Local officials", "A group of early customers", "The trade press", "Rival engineers",
            "Several investors", "Port authorities", "A union representative", "Insurance brokers", "City planners",
            "Environmental groups", "A former employee"),
           ("drew attention to", "questioned", "welcomed", "largely ignored", "praised", "worried about", "asked about",
            "debated", "lobbied over", "complained about", "shrugged off", "pressed for details on"),
           ("the timing of the launch", "the supply chain", "the size of the order book", "the pricing",
            "the safety record", "the training needed", "the energy use", "the warranty terms", "the noise levels",
            "the software updates", "the spare parts", "the data collected"),
           ("during the presentation", "in the weeks that followed", "on social media", "at a briefing",
            "in written statements", "after the event", "behind closed doors", "in a radio interview",
            "at a council hearing", "in an open letter", "over the weekend", "before the vote")),
    "fr": (("Les élus locaux", "Plusieurs investisseurs", "La presse spécialisée", "Un syndicat", "Des ingénieurs concurrents",
            "Les assureurs", "Des associations", "Un ancien salarié"),
           ("ont salué", "ont critiqué", "ont interrogé", "ont ignoré", "ont discuté", "ont contesté", "ont défendu",
            "ont commenté"),
           ("le calendrier du projet", "la chaîne d'approvisionnement", "le carnet de commandes", "la sécurité",
            "la formation nécessaire", "la consommation d'énergie", "les garanties", "les mises à jour"),
           ("pendant la présentation", "dans les semaines suivantes", "sur les réseaux sociaux", "lors d'un point presse",
            "dans un communiqué", "après l'événement", "à huis clos", "dans une lettre ouverte")),
    "es": (("Los concejales", "Varios inversores", "La prensa especializada", "Un sindicato", "Ingenieros rivales",
            "Las aseguradoras", "Algunas asociaciones", "Un antiguo empleado"),
           ("elogiaron", "criticaron", "cuestionaron", "ignoraron", "debatieron", "defendieron", "comentaron",
            "pidieron detalles sobre"),
           ("el calendario del proyecto", "la cadena de suministro", "la cartera de pedidos", "la seguridad",
            "la formación necesaria", "el consumo de energía", "las garantías", "las actualizaciones"),
           ("durante la presentación", "en las semanas siguientes", "en las redes sociales", "en una rueda de prensa",
            "en un comunicado", "tras el evento", "a puerta cerrada", "en una carta abierta")),
    "de": (("Lokale Politiker", "Mehrere Investoren", "Die Fachpresse", "Eine Gewerkschaft", "Konkurrierende Ingenieure",
            "Versicherer", "Umweltverbände", "Ein ehemaliger Mitarbeiter"),
           ("lobten", "kritisierten", "hinterfragten", "ignorierten", "diskutierten", "verteidigten", "kommentierten",
            "bemängelten"),
           ("den Zeitplan des Projekts", "die Lieferkette", "die Auftragslage", "die Sicherheit",
            "die nötige Schulung", "den Energieverbrauch", "die Garantien", "die Software-Updates"),
           ("während der Präsentation", "in den folgenden Wochen", "in den sozialen Medien", "bei einem Pressetermin",
            "in einer Mitteilung", "nach der Veranstaltung", "hinter verschlossenen Türen", "in einem offenen Brief")),
}
OFF_TOPIC = (  # other beats entirely: they match no topic and must stay unpublished
    "{team} beat {team2} {score} in front of {crowd} fans at the {venue} stadium on {day} {month_en}.",
    "{person} scored twice before half-time, and the visitors never recovered.",
    "Coach {critic} said the squad had trained for {weeks} weeks on set pieces alone.",
    "The chef at {venue} serves a slow-cooked stew of lentils, smoked paprika and {units} grams of butter.",
    "Tickets for the festival in {city} sold out in {hours} minutes, organisers said.",
    "The next fixture is away at {team2} on {day2} {month2_en}, with kick-off at {hours} o'clock.",
    "Weather forecasters expect rain across {country} for most of the weekend.",
    "Local councillors voted {score} to extend the opening hours of the library in {city3}.",
)
SECTORS = {"shipping": ("maritime", "marítimo", "Schifffahrt"), "fish farming": ("aquacole", "acuícola", "Aquakultur"),
           "port security": ("portuaire", "portuario", "Hafensicherheit"),
           "urban agriculture": ("agricole", "agrícola", "Landwirtschaft"), "logistics": ("logistique", "logístico", "Logistik")}
ROLES = {"chief executive": ("directrice générale", "directora ejecutiva", "Geschäftsführerin"),
         "head of engineering": ("responsable de l'ingénierie", "jefa de ingeniería", "Technikchefin"),
         "co-founder": ("cofondatrice", "cofundadora", "Mitgründerin")}
OUTLETS = ("The Harbor Ledger", "Greenline Weekly", "Dockside Review", "Metro Field Notes", "Northwind Post",
           "The Quayside", "Rooftop Journal", "Signal & Tide", "Civic Current", "The Lantern")


# Most sentences of a story are "events": a subject (one of the story's names), a verb phrase with
# a number and a phrase with another name, worded afresh from these pools for every copy. Names and
# numbers, in order, are what copies share; the wording is what different stories do not.
VERBS = {  # a verb phrase is a verb, a number and an object: "shipped 420 sensors"
    "en": ("shipped", "ordered", "sold", "lost", "tested", "repaired", "bought", "leased", "promised", "exported",
           "scrapped", "insured", "imported", "upgraded", "refurbished", "stored", "rented out", "inspected",
           "recalled", "donated", "assembled", "painted", "certified", "relocated"),
    "fr": ("a livré", "a commandé", "a vendu", "a perdu", "a testé", "a réparé", "a acheté", "a loué", "a promis",
           "a exporté", "a mis au rebut", "a assuré", "a importé", "a modernisé", "a rénové", "a stocké", "a inspecté",
           "a rappelé", "a donné", "a assemblé", "a repeint", "a certifié", "a déménagé", "a prêté"),
    "es": ("envió", "encargó", "vendió", "perdió", "probó", "reparó", "compró", "alquiló", "prometió", "exportó",
           "desguazó", "aseguró", "importó", "mejoró", "renovó", "almacenó", "inspeccionó", "retiró", "donó",
           "montó", "pintó", "certificó", "trasladó", "prestó"),
    "de": ("lieferte", "bestellte", "verkaufte", "verlor", "testete", "reparierte", "kaufte", "mietete", "versprach",
           "exportierte", "verschrottete", "versicherte", "importierte", "modernisierte", "überholte", "lagerte",
           "prüfte", "rief zurück", "spendete", "montierte", "lackierte", "zertifizierte", "verlegte", "verlieh"),
}
OBJECTS = {
    "en": ("sensors", "batteries", "hulls", "propellers", "cameras", "winches", "pumps", "cables", "buoys", "tanks",
           "seed trays", "grow lights", "irrigation valves", "solar panels", "crates", "pallets", "licences",
           "spare motors", "control boards", "filters", "antennas", "trailers", "containers", "ladders"),
    "fr": ("capteurs", "batteries", "coques", "hélices", "caméras", "treuils", "pompes", "câbles", "bouées",
           "réservoirs", "plateaux de semis", "lampes horticoles", "vannes d'irrigation", "panneaux solaires",
           "caisses", "palettes", "licences", "moteurs de rechange", "cartes de contrôle", "filtres", "antennes",
           "remorques", "conteneurs", "échelles"),
    "es": ("sensores", "baterías", "cascos", "hélices", "cámaras", "cabrestantes", "bombas", "cables", "boyas",
           "depósitos", "bandejas de siembra", "lámparas de cultivo", "válvulas de riego", "paneles solares",
           "cajas", "palés", "licencias", "motores de repuesto", "placas de control", "filtros", "antenas",
           "remolques", "contenedores", "escaleras"),
    "de": ("Sensoren", "Batterien", "Rümpfe", "Propeller", "Kameras", "Winden", "Pumpen", "Kabel", "Bojen", "Tanks",
           "Saatschalen", "Pflanzenlampen", "Bewässerungsventile", "Solarmodule", "Kisten", "Paletten", "Lizenzen",
           "Ersatzmotoren", "Steuerplatinen", "Filter", "Antennen", "Anhänger", "Container", "Leitern"),
}
PLACE_PHRASES = {
    "en": ("in {x}", "near {x}", "after talks with {x}", "for a client in {x}", "despite objections from {x}",
           "with help from {x}", "ahead of a visit to {x}", "under a contract with {x}", "at its site in {x}",
           "following a complaint by {x}", "on behalf of {x}", "through a partner in {x}"),
    "fr": ("à {x}", "près de {x}", "après des discussions avec {x}", "pour un client de {x}", "malgré l'opposition de {x}",
           "avec l'aide de {x}", "avant une visite à {x}", "dans le cadre d'un contrat avec {x}", "sur son site de {x}",
           "après une plainte de {x}", "pour le compte de {x}", "via un partenaire à {x}"),
    "es": ("en {x}", "cerca de {x}", "tras negociar con {x}", "para un cliente de {x}", "pese a las quejas de {x}",
           "con ayuda de {x}", "antes de una visita a {x}", "bajo un contrato con {x}", "en su planta de {x}",
           "tras una denuncia de {x}", "en nombre de {x}", "a través de un socio en {x}"),
    "de": ("in {x}", "bei {x}", "nach Gesprächen mit {x}", "für einen Kunden in {x}", "trotz Einwänden von {x}",
           "mit Hilfe von {x}", "vor einem Besuch in {x}", "im Auftrag von {x}", "an seinem Standort in {x}",
           "nach einer Beschwerde von {x}", "im Namen von {x}", "über einen Partner in {x}"),
}
EVENT_SUBJECTS = ("firm", "rival", "analyst", "institute", "product")


def events(rng: random.Random, count: int) -> list[tuple[str, int, str]]:
    """A story's events: (subject slot, number, an invented name), told in this order by every copy."""
    return [(rng.choice(EVENT_SUBJECTS), rng.randint(3, 9800), invented(rng, 3)) for _ in range(count)]


def tell_event(event: tuple[str, int, str], slots: dict, language: str, rng: random.Random) -> str:
    subject, number, name = event
    jargon, thing = slots[f"j{number % 6}"], rng.choice(OBJECTS[language])
    thing = {"en": f"{jargon} {thing}", "de": f"{jargon}-{thing}"}.get(language, f"{thing} {jargon}")
    verb = f"{rng.choice(VERBS[language])} {number} {thing}"
    place = rng.choice(PLACE_PHRASES[language]).format(x=name)
    return f"{slots[subject]} {verb} {place}."


def invented(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def story_facts(rng: random.Random, topic: str) -> dict:
    """The slots one story fills: invented names, places and numbers, unique enough per story."""
    sector = rng.choice(list(SECTORS))
    role = rng.choice(list(ROLES))
    month, month2 = rng.randrange(12), rng.randrange(12)
    slots = {
        "firm": rng.choice(TOPICS[topic]["firms"]), "product": f"{invented(rng, 3)} {rng.randint(2, 90)}",
        "person": f"{rng.choice(FIRST)} {invented(rng, 3)}", "critic": f"{rng.choice(FIRST)} {invented(rng, 2)}",
        "city": invented(rng, 3), "city2": invented(rng, 2) + "haven", "city3": invented(rng, 3),
        "country": invented(rng, 2) + "ia", "analyst": invented(rng, 2) + " Partners",
        "rival": invented(rng, 2) + " Systems", "institute": invented(rng, 3), "outlet": rng.choice(OUTLETS),
        "team": invented(rng, 2) + " United", "team2": invented(rng, 3) + " Rovers", "venue": invented(rng, 2),
        "sector": sector, "sector_fr": SECTORS[sector][0], "sector_es": SECTORS[sector][1], "sector_de": SECTORS[sector][2],
        "role": role, "role_fr": ROLES[role][0], "role_es": ROLES[role][1], "role_de": ROLES[role][2],
        "day": rng.randint(1, 28), "day2": rng.randint(1, 28), "price": f"{rng.randint(2, 98)},{rng.randint(100, 999)}",
        "units": rng.randint(120, 4800), "hours": rng.randint(2, 6), "hours2": rng.randint(7, 40),
        "funding": rng.randint(12, 640), "year": rng.randint(2009, 2021), "weeks": rng.randint(3, 19),
        "sites": rng.randint(4, 77), "rival_price": f"{rng.randint(2, 98)},{rng.randint(100, 999)}",
        "load": rng.randint(15, 900), "staff": rng.randint(40, 3900), "reg_months": rng.randint(5, 29),
        **{f"j{i}": invented(rng, 3).lower() for i in range(6)},
        "score": f"{rng.randint(0, 5)}-{rng.randint(0, 5)}", "crowd": f"{rng.randint(2, 60)},{rng.randint(100, 999)}",
    }
    for lang, names in MONTHS.items():
        slots[f"month_{lang}"], slots[f"month2_{lang}"] = names[month], names[month2]
    return slots


def fact_order(rng: random.Random) -> list:
    """The facts a story tells, in its order: the launch, perhaps one other fact, then 8 to 11 events."""
    rest = [name for name in FACTS if name != "launch"]
    rng.shuffle(rest)
    told: list = ["launch", *rest[:rng.randint(0, 1)], *events(rng, rng.randint(8, 11))]
    return told


def tell(facts: list, slots: dict, topic: str | None, phrasing: str, rng: random.Random) -> list[str]:
    """The story's sentences in one phrasing ("en", "en2", "fr", "es", "de"), English gets padding too."""
    if topic is None:
        told = [line.format(**slots) for line in rng.sample(OFF_TOPIC, 2)]
        return told + [tell_event((rng.choice(("team", "team2", "venue")), number, name), slots, "en", rng)
                       for _, number, name in facts[-7:]]
    language = phrasing[:2]
    values = {**slots, "noun": TOPICS[topic]["noun"][language]}
    sentences = [vary(FACTS[fact][phrasing], rng).format(**values) if isinstance(fact, str)
                 else tell_event(fact, slots, language, rng) for fact in facts]
    for _ in range(rng.randint(1, 2)):
        parts = [rng.choice(options) for options in PADDING[language]]
        sentences.insert(rng.randint(1, len(sentences)), f"{parts[0]} {parts[1]} {parts[2]} {parts[3]}.")
    return sentences


def vary(template: str, rng: random.Random) -> str:
    """The template with each "[a|b|c]" choice made."""
    return CHOICE.sub(lambda match: rng.choice(match.group(1).split("|")), template)


def headline(slots: dict, topic: str | None, phrasing: str) -> str:
    if topic is None:
        return f"{slots['team']} edge past {slots['team2']} in a tense afternoon at {slots['venue']}"
    noun = TOPICS[topic]["noun"][phrasing[:2]]
    return {"en": f"{slots['firm']} unveils the {slots['product']}, a {noun} for {slots['sector']}",
            "en2": f"{slots['firm']} bets on {slots['sector']} with its {slots['product']} {noun}",
            "fr": f"{slots['firm']} dévoile le {slots['product']}, un {noun} pour le secteur {slots['sector_fr']}",
            "es": f"{slots['firm']} presenta el {slots['product']}, un {noun} para el sector {slots['sector_es']}",
            "de": f"{slots['firm']} stellt die {slots['product']} vor, eine {noun} für {slots['sector_de']}"}[phrasing]
