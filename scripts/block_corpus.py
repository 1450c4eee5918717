"""A generated, labelled multilingual set of articles for the block classifier (training only).

``documents(seed)`` gives, deterministically for a seed, articles in six languages as lists of
``(text, keep)``: article paragraphs built from sentence frames around one story's names and
numbers (so they share content words, as a real article does), with look-alike sentences that a
careful editor keeps (a real sentence that mentions a price, a newsletter, a subscription, an
update or a reader) and boilerplate of the kinds real pages carry (subscription prompts,
"read also" injections, update notes, ad and loan lines, related headlines after a label and a
separator, paywall prompts, translators' notices, follow-us lines) at the top, the middle and the
end. The frames are deliberately generic: the classifier never sees their words, only the
features of ``generator/clean/block_features.py``.
"""
from __future__ import annotations

import random

LANGS = ("en", "fr", "de", "es", "it", "pt")
ORGS = ("Norvale", "Kestrel Labs", "Banco Sitio", "Heliograf", "Tamsin Group", "Orbis Rail", "Lumenworks",
        "Calder & Finch", "Vireo Energy", "Ostara Media", "Quillon", "Bergmann AG")
PEOPLE = ("Ana Ferreira", "Jonas Weber", "Claire Dubois", "Marco Bellini", "Lucía Ortega", "Priya Nair",
          "Tomás Rocha", "Greta Lindqvist", "Samuel Okoye", "Hélène Marchal", "Luca Romano", "Inês Prado")
PLACES = ("Lisbon", "Lyon", "Hamburg", "Valencia", "Turin", "Porto", "Leeds", "Graz", "Bilbao", "Nantes")
THINGS = {
    "en": ("the factory", "the merger", "the new line", "the budget", "the vaccine trial", "the strike"),
    "fr": ("l'usine", "la fusion", "la nouvelle ligne", "le budget", "l'essai clinique", "la grève"),
    "de": ("das Werk", "die Fusion", "die neue Linie", "der Haushalt", "die Studie", "der Streik"),
    "es": ("la fábrica", "la fusión", "la nueva línea", "el presupuesto", "el ensayo", "la huelga"),
    "it": ("la fabbrica", "la fusione", "la nuova linea", "il bilancio", "la sperimentazione", "lo sciopero"),
    "pt": ("a fábrica", "a fusão", "a nova linha", "o orçamento", "o ensaio", "a greve"),
}
BODY = {
    "en": ("{org} said on Tuesday that {thing} in {place} would go ahead despite objections from local residents.",
           "{person}, who has led the project since {year}, told reporters that the first phase had cost {n} million.",
           "Critics argue that {thing} was approved too quickly and that the figures published by {org} are incomplete.",
           "In {place}, where unemployment stands at {p}%, many see {thing} as a rare chance for new jobs",
           "According to documents seen by this newspaper, {org} had considered other sites before choosing {place}.",
           "\u201cWe knew it would be difficult,\u201d {person} said. \u201cBut the people of {place} asked for this.\u201d",
           "The regional council is expected to vote on {thing} next month, after a public consultation.",
           "{person} declined to comment.",
           "Here is what we know so far:",
           "Shares in {org} rose {p}% to {price} after the announcement, their highest level since {year}."),
    "fr": ("{org} a annoncé mardi que {thing} de {place} serait maintenu malgré l'opposition des riverains.",
           "{person}, qui dirige le projet depuis {year}, a indiqué que la première phase avait coûté {n} millions d'euros.",
           "Les critiques estiment que {thing} a été approuvé trop vite et que les chiffres publiés par {org} sont incomplets.",
           "À {place}, où le chômage atteint {p} %, beaucoup voient dans {thing} une rare occasion de créer des emplois",
           "Selon des documents consultés par notre rédaction, {org} avait étudié d'autres sites avant de choisir {place}.",
           "« Nous savions que ce serait difficile », a déclaré {person}. « Mais les habitants de {place} le demandaient. »",
           "Le conseil régional doit se prononcer sur {thing} le mois prochain, après une consultation publique.",
           "{person} n'a pas souhaité faire de commentaire.",
           "Voici ce que l'on sait à ce stade :",
           "L'action {org} a progressé de {p} % à {price} après l'annonce, son plus haut niveau depuis {year}."),
    "de": ("{org} teilte am Dienstag mit, dass {thing} in {place} trotz der Einwände der Anwohner fortgesetzt wird.",
           "{person}, der das Projekt seit {year} leitet, sagte, die erste Phase habe {n} Millionen Euro gekostet.",
           "Kritiker meinen, {thing} sei zu schnell genehmigt worden und die von {org} veröffentlichten Zahlen seien unvollständig.",
           "In {place}, wo die Arbeitslosigkeit bei {p} Prozent liegt, sehen viele darin eine seltene Chance auf neue Arbeitsplätze",
           "Nach Unterlagen, die dieser Zeitung vorliegen, hatte {org} andere Standorte geprüft, bevor die Wahl auf {place} fiel.",
           "„Wir wussten, dass es schwierig wird“, sagte {person}. „Aber die Menschen in {place} haben es sich gewünscht.“",
           "Der Regionalrat soll im kommenden Monat nach einer öffentlichen Anhörung darüber abstimmen.",
           "{person} wollte sich dazu nicht äußern.",
           "Was bisher bekannt ist:",
           "Die Aktie von {org} stieg nach der Ankündigung um {p} Prozent auf {price}, den höchsten Stand seit {year}."),
    "es": ("{org} anunció el martes que {thing} de {place} seguirá adelante pese a las objeciones de los vecinos.",
           "{person}, que dirige el proyecto desde {year}, dijo que la primera fase costó {n} millones de euros.",
           "Los críticos sostienen que {thing} se aprobó demasiado rápido y que las cifras publicadas por {org} están incompletas.",
           "En {place}, donde el paro alcanza el {p} %, muchos ven en {thing} una rara oportunidad de empleo",
           "Según documentos consultados por este periódico, {org} había estudiado otros lugares antes de elegir {place}.",
           "«Sabíamos que sería difícil», dijo {person}. «Pero la gente de {place} lo pidió».",
           "Se espera que el consejo regional vote sobre {thing} el mes próximo, tras una consulta pública.",
           "{person} declinó hacer comentarios.",
           "Esto es lo que sabemos hasta ahora:",
           "Las acciones de {org} subieron un {p} % hasta {price} tras el anuncio, su nivel más alto desde {year}."),
    "it": ("{org} ha annunciato martedì che {thing} di {place} andrà avanti nonostante le obiezioni dei residenti.",
           "{person}, che guida il progetto dal {year}, ha detto che la prima fase è costata {n} milioni di euro.",
           "I critici sostengono che {thing} sia stata approvata troppo in fretta e che i dati pubblicati da {org} siano incompleti.",
           "A {place}, dove la disoccupazione è al {p}%, molti vedono in {thing} una rara occasione di lavoro",
           "Secondo documenti visionati da questo giornale, {org} aveva valutato altri siti prima di scegliere {place}.",
           "«Sapevamo che sarebbe stato difficile», ha detto {person}. «Ma la gente di {place} lo chiedeva».",
           "Il consiglio regionale dovrebbe votare il mese prossimo, dopo una consultazione pubblica.",
           "{person} non ha voluto commentare.",
           "Ecco cosa sappiamo finora:",
           "Le azioni di {org} sono salite del {p}% a {price} dopo l'annuncio, il livello più alto dal {year}."),
    "pt": ("A {org} anunciou na terça-feira que {thing} de {place} vai avançar apesar das objeções dos moradores.",
           "{person}, que lidera o projeto desde {year}, disse que a primeira fase custou {n} milhões de euros.",
           "Os críticos afirmam que {thing} foi aprovada depressa demais e que os números publicados pela {org} estão incompletos.",
           "Em {place}, onde o desemprego chega a {p}%, muitos veem nisso uma rara oportunidade de emprego",
           "Segundo documentos consultados por este jornal, a {org} tinha estudado outros locais antes de escolher {place}.",
           "“Sabíamos que seria difícil”, disse {person}. “Mas as pessoas de {place} pediram isto.”",
           "O conselho regional deve votar o tema no próximo mês, depois de uma consulta pública.",
           "{person} não quis comentar.",
           "Eis o que se sabe até agora:",
           "As ações da {org} subiram {p}% para {price} após o anúncio, o nível mais alto desde {year}."),
}
# Sentences a careful editor keeps although they mention what boilerplate mentions.
LOOKALIKE = {
    "en": ("{org} said its newsletter now reaches {n}0,000 subscribers, up {p}% on last year.",
           "Customers who want the service must pay {price} a month, which {person} called too much.",
           "The article was updated by {org} in {year} after the court ruling, {person} said.",
           "If you live in {place}, the council says, you can ask for the grant until March."),
    "fr": ("{org} affirme que sa lettre d'information compte désormais {n}0 000 abonnés, soit {p} % de plus.",
           "Les clients devront payer {price} par mois, un tarif que {person} juge excessif.",
           "Selon {person}, le rapport a été mis à jour par {org} en {year} après la décision du tribunal."),
    "de": ("{org} zufolge hat der Newsletter inzwischen {n}0.000 Abonnenten, {p} Prozent mehr als im Vorjahr.",
           "Kunden müssen künftig {price} im Monat zahlen, was {person} für zu viel hält.",
           "Der Bericht wurde von {org} im Jahr {year} nach dem Urteil aktualisiert, sagte {person}."),
    "es": ("{org} asegura que su boletín ya llega a {n}0.000 suscriptores, un {p} % más que el año pasado.",
           "Los clientes tendrán que pagar {price} al mes, algo que {person} considera excesivo.",
           "El informe fue actualizado por {org} en {year} tras la sentencia, según {person}."),
    "it": ("{org} afferma che la sua newsletter raggiunge ormai {n}0.000 iscritti, il {p}% in più.",
           "I clienti dovranno pagare {price} al mese, una cifra che {person} giudica eccessiva.",
           "Il rapporto è stato aggiornato da {org} nel {year} dopo la sentenza, ha detto {person}."),
    "pt": ("A {org} diz que a sua newsletter já chega a {n}0 mil assinantes, mais {p}% do que no ano passado.",
           "Os clientes vão pagar {price} por mês, valor que {person} considera excessivo.",
           "O relatório foi atualizado pela {org} em {year} após a decisão do tribunal, disse {person}."),
}
BOILER = {
    "en": ("Sign up for our free morning briefing and never miss a story.", "Get the best of our journalism in your inbox every Friday",
           "READ ALSO: {headline}", "Related | {headline}", "More from {brand} › {headline}",
           "Update, {day} March: this story has been updated with a statement from the ministry.",
           "Struggling with bills? Borrow up to {price} today at {p}% APR — apply in minutes!",
           "Get the {brand} Pro X2 for only {price}. Offer ends Sunday!",
           "You've reached your limit of free articles. Upgrade now for just {price} a month.",
           "Already a subscriber? Log in", "Follow us on Instagram and TikTok",
           "Translated from the French by {person}.", "Advertisement", "Click here to download the app",
           "Do you have a story to share? Email us at tips@{brandl}.com"),
    "fr": ("Inscrivez-vous à notre newsletter et recevez chaque matin l'essentiel de l'actualité.",
           "À LIRE AUSSI : {headline}", "Lire aussi | {headline}", "Mise à jour le {day} mars à 14 h : ajout de la réaction du ministère.",
           "Profitez de l'offre {brand} à {price} seulement, sans engagement !", "Besoin d'argent ? Crédit jusqu'à {price} à {p} % TAEG.",
           "Cet article est réservé aux abonnés. Abonnez-vous dès {price} par mois.", "Déjà abonné ? Connectez-vous",
           "Suivez-nous sur Facebook et Instagram", "Traduit de l'anglais par {person}.", "Publicité"),
    "de": ("Abonnieren Sie unseren Newsletter und erhalten Sie jeden Morgen die wichtigsten Nachrichten.",
           "LESEN SIE AUCH: {headline}", "Mehr zum Thema | {headline}", "Aktualisiert am {day}. März: Die Stellungnahme des Ministeriums wurde ergänzt.",
           "Jetzt das {brand} Angebot sichern – nur {price}!", "Kredit bis {price} zu {p} % effektivem Jahreszins – jetzt beantragen!",
           "Dieser Artikel ist nur für Abonnenten. Jetzt upgraden für {price} im Monat.", "Schon Abonnent? Hier einloggen",
           "Folgen Sie uns auf Facebook und Instagram", "Aus dem Englischen übersetzt von {person}.", "Anzeige"),
    "es": ("Suscríbete a nuestro boletín y recibe cada mañana las noticias más importantes.",
           "LEE TAMBIÉN: {headline}", "Te puede interesar | {headline}", "Actualización, {day} de marzo: se añade la reacción del ministerio.",
           "Consigue el {brand} por solo {price}. ¡Oferta por tiempo limitado!", "¿Necesitas dinero? Préstamos de hasta {price} al {p} % TAE.",
           "Has alcanzado el límite de artículos gratuitos. Suscríbete por {price} al mes.", "¿Ya eres suscriptor? Inicia sesión",
           "Síguenos en Facebook e Instagram", "Traducción del inglés de {person}.", "Publicidad"),
    "it": ("Iscriviti alla nostra newsletter e ricevi ogni mattina le notizie più importanti.",
           "LEGGI ANCHE: {headline}", "Potrebbe interessarti | {headline}", "Aggiornamento del {day} marzo: aggiunta la reazione del ministero.",
           "Approfitta dell'offerta {brand} a soli {price}!", "Hai bisogno di liquidità? Prestiti fino a {price} al {p}% TAEG.",
           "Questo articolo è riservato agli abbonati. Abbonati ora a {price} al mese.", "Sei già abbonato? Accedi",
           "Seguici su Facebook e Instagram", "Traduzione dall'inglese di {person}.", "Pubblicità"),
    "pt": ("Assine a nossa newsletter e receba todas as manhãs as notícias mais importantes.",
           "LEIA TAMBÉM: {headline}", "Veja também | {headline}", "Atualização, {day} de março: acrescentada a reação do ministério.",
           "Garanta já o {brand} por apenas {price}!", "Precisa de dinheiro? Crédito até {price} com taxa de {p}% ao ano.",
           "Você atingiu o limite de artigos gratuitos. Assine por {price} por mês.", "Já é assinante? Faça login",
           "Siga-nos no Facebook e no Instagram", "Traduzido do inglês por {person}.", "Publicidade"),
}
HEADLINES = {  # related headlines: some about the same story's names, some about another story
    "en": ("{org} and {place}: what the deal means for you", "{person} answers critics over {thing}",
           "Five things to know before buying a heat pump", "Why the city's oldest bakery is closing its doors",
           "Inside the race to build a cheaper battery"),
    "fr": ("{person} répond aux critiques à {place}", "{org} : ce que l'accord change pour {place}",
           "Cinq conseils pour bien choisir sa pompe à chaleur", "Pourquoi la plus vieille boulangerie de la ville ferme"),
    "de": ("{person} antwortet den Kritikern in {place}", "{org}: Was der Deal für {place} bedeutet",
           "Fünf Tipps für den Kauf einer Wärmepumpe", "Warum die älteste Bäckerei der Stadt schließt"),
    "es": ("{person} responde a las críticas en {place}", "{org}: qué significa el acuerdo para {place}",
           "Cinco claves para elegir una bomba de calor", "Por qué cierra la panadería más antigua de la ciudad"),
    "it": ("{person} risponde alle critiche a {place}", "{org}: cosa cambia per {place}",
           "Cinque consigli per scegliere una pompa di calore", "Perché chiude il forno più antico della città"),
    "pt": ("{person} responde às críticas em {place}", "{org}: o que muda para {place}",
           "Cinco dicas para escolher uma bomba de calor", "Por que fecha a padaria mais antiga da cidade"),
}
CURRENCY = {"en": "${n}.99", "fr": "{n},99 €", "de": "{n},99 €", "es": "{n},99 €", "it": "{n},99 €", "pt": "R$ {n},90"}


def _fill(frame: str, lang: str, story: dict, rng: random.Random) -> str:
    n = rng.randint(2, 95)
    return frame.format(org=story["org"], person=story["person"], place=story["place"], thing=story["thing"],
                        year=rng.randint(2009, 2023), n=n, p=rng.randint(2, 40), day=rng.randint(1, 28),
                        price=CURRENCY[lang].format(n=n), brand=story["brand"], brandl=story["brand"].lower(),
                        headline=rng.choice(HEADLINES[lang]).format(
                            org=story["org"], person=story["person"], place=story["place"], thing=story["thing"]))


def _story(lang: str, rng: random.Random) -> dict:
    return {"org": rng.choice(ORGS), "person": rng.choice(PEOPLE), "place": rng.choice(PLACES),
            "thing": rng.choice(THINGS[lang]), "brand": rng.choice(("Zentro", "Miravo", "Kapto", "Lunexa"))}


def document(lang: str, rng: random.Random) -> list[tuple[str, bool]]:
    """One article: paragraphs of two to four sentences, look-alikes, boilerplate around and inside."""
    story = _story(lang, rng)
    body: list[tuple[str, bool]] = []
    for _ in range(rng.randint(4, 9)):
        frames = rng.sample(BODY[lang], rng.randint(1, 3))
        # Real paragraphs do not all name the story's people and places: some name others.
        body.append((" ".join(_fill(f, lang, story if rng.random() < 0.6 else _story(lang, rng), rng)
                              for f in frames), True))
    for frame in rng.sample(LOOKALIKE[lang], rng.randint(1, 2)):
        body.insert(rng.randint(1, len(body)), (_fill(frame, lang, story, rng), True))
    for frame in rng.sample(BODY[lang][-4:], 1):  # short real lines standing alone
        body.insert(rng.randint(1, len(body)), (_fill(frame, lang, story, rng), True))
    aside = _story(lang, rng)  # a real sentence about someone else: news prose that shares no names
    for frame in rng.sample(BODY[lang][:8] + LOOKALIKE[lang], rng.randint(3, 6)):
        body.insert(rng.randint(1, len(body)), (_fill(frame, lang, aside, rng), True))
    for frame in rng.sample(BOILER[lang], rng.randint(2, 5)):
        where = rng.choice((0, len(body), len(body), rng.randint(1, len(body)), rng.randint(1, len(body))))
        body.insert(where, (_fill(frame, lang, story, rng), False))
    if rng.random() < 0.4:  # a short lead sentence opens many articles
        words = _fill(rng.choice(BODY[lang][:3]), lang, story, rng).split()[:rng.randint(5, 9)]
        body.insert(0, (" ".join(words).rstrip(",.;:") + ".", True))
    return body


def with_boilerplate(paragraphs: list[str], lang: str, rng: random.Random) -> list[tuple[str, bool]]:
    """Real paragraphs (kept) with boilerplate lines of the language put in around and between."""
    lang = lang if lang in BOILER else "en"
    doc = [(p, True) for p in paragraphs]
    story = _story(lang, rng)
    for frame in rng.sample(BOILER[lang], rng.randint(2, 4)):
        doc.insert(rng.choice((0, len(doc), rng.randint(0, len(doc)))), (_fill(frame, lang, story, rng), False))
    return doc


def documents(seed: int, per_language: int = 60) -> list[tuple[str, list[tuple[str, bool]]]]:
    rng = random.Random(seed)
    return [(lang, document(lang, rng)) for lang in LANGS for _ in range(per_language)]
