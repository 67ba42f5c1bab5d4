"""The demo job description templates in English, Hungarian and Russian, written for Rapport from the source
document: the manager types by client motivation, the common duties, the eleven knowledge areas, the experience
rules (junior ≥ 1 year, middle 3–5 years), education and the personal qualities — without its age line. Each
template is composed from the common parts, its manager type's and its level's."""

TYPES = ("advice", "decision", "partnership")
LEVELS = ("junior", "middle", "senior")

TEXTS = {
    "en": {
        "name": "{type}, {level}",
        "title": "Client manager – {type} type, {level} level",
        "type": {"advice": "Advice", "decision": "Decision", "partnership": "Partnership"},
        "level": {"junior": "junior", "middle": "middle", "senior": "senior"},
        "purpose": {
            "advice": (
                "Wins and keeps clients who need professional advice on the company's goods and services, and "
                "motivates them to buy by understanding their problems and showing that they can be solved."
            ),
            "decision": (
                "Wins and keeps clients who need help to make the most profitable decision, and motivates them to "
                "buy by analysing their situation and guiding them to a sound choice."
            ),
            "partnership": (
                "Wins and keeps clients who want long-term, mutually beneficial cooperation, and builds that "
                "cooperation on mutual trust and respect."
            ),
        },
        "level_purpose": {
            "junior": "Works with the clients assigned to them under the guidance of a senior colleague.",
            "middle": "Works independently with their own portfolio of clients.",
            "senior": "Works with the company's most important and VIP clients and coaches colleagues.",
        },
        "duties": [
            "Find new clients or serve the clients assigned by management, and motivate them to buy the company's "
            "goods and services.",
            "Determine each client's motivation (advice, decision or partnership) and record it.",
            "Treat every client politely and correctly, with patience and personal attention.",
            "Make sure that each client's problem is understood and solved; record cases and their resolution.",
            "Record every contact, offer and agreement with a client in Rapport.",
            "Prepare offers, commercial agreements and contract terms within the authority granted.",
            "Hand over clients, open cases and opportunities with their records when leaving or going on leave.",
        ],
        "type_duties": {
            "advice": ["Advise clients on the range, characteristics and purpose of the goods and services."],
            "decision": [
                "Prepare analyses and comparisons of options that help the client make the most profitable decision.",
                "Share methods and client knowledge with colleagues and the supervisor.",
            ],
            "partnership": [
                "Develop long-term cooperation with each client: regular reviews, joint plans and growth of the "
                "business done together."
            ],
        },
        "level_duties": {
            "junior": ["Follow the supervisor's instructions and report on the work with clients every week."],
            "middle": ["Keep the portfolio of corporate clients within the agreed capacity and service levels."],
            "senior": [
                "Serve VIP clients on their special terms of cooperation.",
                "Coach junior colleagues and take part in interviews of candidates.",
            ],
        },
        "rights": [
            "Receive from the company's departments the information needed for the work.",
            "Negotiate with clients and make offers within the authority granted by management.",
            "Propose improvements to the work with clients.",
            "Take part in training at the company's expense as agreed.",
        ],
        "senior_rights": ["Agree special terms with VIP clients within the limits set by management."],
        "responsibilities": [
            "The quality and timeliness of the duties listed here.",
            "The confidentiality of client data and of the company's trade secrets.",
            "Complete and current client records, so that no client is lost when a manager changes.",
            "Damage caused to the company, within the limits set by law.",
        ],
        "knowledge": [
            "Basics of current legislation.",
            "The company's fields of activity.",
            "Marketing basics: concepts, management, methods and directions of research.",
            "Management theory and business administration.",
            "The range, classification, characteristics and purpose of the company's goods and services.",
            "Drafting business plans, commercial agreements and contract terms.",
            "Rules for establishing business contacts.",
            "Official etiquette in negotiations with clients.",
            "Interpersonal communication theory.",
            "Basics of sociology and psychology, including conflict.",
            "Information processing with modern communication tools.",
        ],
        "experience": {
            "junior": "At least 1 year of experience in work with clients.",
            "middle": "3–5 years of experience in work with clients.",
            "senior": "At least 5 years of experience in work with clients, including corporate clients.",
        },
        "education": {
            "advice": (
                "Secondary or higher professional education, preferably in economics; knowledge of law and "
                "psychology is an advantage."
            ),
            "decision": (
                "Higher professional education, preferably in engineering or economics; knowledge of law is an "
                "advantage."
            ),
            "partnership": "Secondary or higher professional education, preferably in psychology or economics.",
        },
        "client_base": "An own client base in the company's field is an advantage.",
        "qualities": [
            "Commitment",
            "Activity",
            "Personal charm",
            "Communication skills",
            "Courtesy",
            "Non-conflict",
            "Stress resistance",
            "High work capacity",
            "Ability to learn",
            "A creative approach where the work calls for it",
            "Negotiation skills",
            "Decisions in disputed situations",
            "Teamwork",
        ],
        "company_tasks": ["Keep client records in Rapport complete and current."],
    },
    "hu": {
        "name": "{type}, {level}",
        "title": "Ügyfélkapcsolati menedzser – {type} típus, {level} szint",
        "type": {"advice": "Tanácsadó", "decision": "Döntéstámogató", "partnership": "Partneri"},
        "level": {"junior": "junior", "middle": "medior", "senior": "szenior"},
        "purpose": {
            "advice": (
                "Megnyeri és megtartja azokat az ügyfeleket, akiknek szakmai tanácsra van szükségük a vállalat áruiról "
                "és szolgáltatásairól, és vásárlásra motiválja őket: megérti a problémájukat, és megmutatja, hogy "
                "megoldható."
            ),
            "decision": (
                "Megnyeri és megtartja azokat az ügyfeleket, akiknek a legjövedelmezőbb döntés meghozatalában kell "
                "segítség, és vásárlásra motiválja őket: elemzi a helyzetüket, és megalapozott választáshoz vezeti "
                "őket."
            ),
            "partnership": (
                "Megnyeri és megtartja azokat az ügyfeleket, akik hosszú távú, kölcsönösen előnyös együttműködést "
                "keresnek, és ezt az együttműködést kölcsönös bizalomra és tiszteletre építi."
            ),
        },
        "level_purpose": {
            "junior": "A rábízott ügyfelekkel egy tapasztalt kolléga irányításával dolgozik.",
            "middle": "Önállóan dolgozik a saját ügyfélkörével.",
            "senior": "A vállalat legfontosabb és VIP ügyfeleivel dolgozik, és segíti a kollégák fejlődését.",
        },
        "duties": [
            "Új ügyfeleket keres, vagy a vezetés által rábízott ügyfeleket szolgálja ki, és a vállalat áruinak és "
            "szolgáltatásainak megvásárlására motiválja őket.",
            "Meghatározza és rögzíti minden ügyfél motivációját (tanács, döntés vagy partnerség).",
            "Minden ügyféllel udvariasan és korrektül bánik, türelemmel és személyes figyelemmel.",
            "Gondoskodik arról, hogy az ügyfél problémája érthető és megoldott legyen; rögzíti az ügyeket és "
            "megoldásukat.",
            "Minden kapcsolatfelvételt, ajánlatot és megállapodást rögzít a Rapportban.",
            "Ajánlatokat, kereskedelmi megállapodásokat és szerződési feltételeket készít elő a kapott felhatalmazás "
            "keretein belül.",
            "Távozáskor vagy szabadság előtt átadja az ügyfeleket, a nyitott ügyeket és lehetőségeket a "
            "nyilvántartásukkal együtt.",
        ],
        "type_duties": {
            "advice": [
                "Tanácsot ad az ügyfeleknek az áruk és szolgáltatások választékáról, jellemzőiről és rendeltetéséről."
            ],
            "decision": [
                "Elemzéseket és összehasonlításokat készít, amelyek segítik az ügyfelet a legjövedelmezőbb döntésben.",
                "Megosztja módszereit és ügyfélismeretét a kollégákkal és a felettesével.",
            ],
            "partnership": [
                "Hosszú távú együttműködést épít minden ügyféllel: rendszeres áttekintések, közös tervek, a közös "
                "üzlet növelése."
            ],
        },
        "level_duties": {
            "junior": ["Követi a felettese utasításait, és hetente beszámol az ügyfelekkel végzett munkáról."],
            "middle": ["A vállalati ügyfélkörét a megállapodott kapacitáson és szolgáltatási szinten belül tartja."],
            "senior": [
                "A VIP ügyfeleket különleges együttműködési feltételeik szerint szolgálja ki.",
                "Segíti a junior kollégák fejlődését, és részt vesz a jelöltek interjúin.",
            ],
        },
        "rights": [
            "Megkapja a vállalat részlegeitől a munkájához szükséges információkat.",
            "A vezetés által adott felhatalmazás keretein belül tárgyal az ügyfelekkel és ajánlatot tesz.",
            "Javaslatot tesz az ügyfelekkel végzett munka fejlesztésére.",
            "A megállapodás szerint a vállalat költségén részt vesz képzéseken.",
        ],
        "senior_rights": [
            "A vezetés által meghatározott keretek között különleges feltételekben állapodik meg a VIP ügyfelekkel."
        ],
        "responsibilities": [
            "Az itt felsorolt feladatok minőségéért és határidejéért.",
            "Az ügyféladatok és a vállalat üzleti titkainak bizalmas kezeléséért.",
            "A teljes és naprakész ügyfélnyilvántartásért, hogy menedzserváltáskor egyetlen ügyfél se vesszen el.",
            "A vállalatnak okozott kárért, a jogszabályok keretei között.",
        ],
        "knowledge": [
            "A hatályos jogszabályok alapjai.",
            "A vállalat tevékenységi területei.",
            "A marketing alapjai: fogalmak, irányítás, a kutatás módszerei és irányai.",
            "A vezetés elmélete és az üzleti adminisztráció.",
            "A vállalat áruinak és szolgáltatásainak választéka, osztályozása, jellemzői és rendeltetése.",
            "Üzleti tervek, kereskedelmi megállapodások és szerződési feltételek kidolgozása.",
            "Az üzleti kapcsolatok kialakításának szabályai.",
            "A hivatalos etikett szabályai az ügyfelekkel folytatott tárgyalásokon.",
            "Az interperszonális kommunikáció elmélete.",
            "A szociológia és a pszichológia alapjai, a konfliktusokat is beleértve.",
            "Az információfeldolgozás módszerei modern kommunikációs eszközökkel.",
        ],
        "experience": {
            "junior": "Legalább 1 év tapasztalat az ügyfelekkel végzett munkában.",
            "middle": "3–5 év tapasztalat az ügyfelekkel végzett munkában.",
            "senior": "Legalább 5 év tapasztalat az ügyfelekkel végzett munkában, vállalati ügyfelekkel is.",
        },
        "education": {
            "advice": (
                "Középfokú vagy felsőfokú szakirányú végzettség, lehetőleg közgazdasági; jogi és pszichológiai "
                "ismeretek előnyt jelentenek."
            ),
            "decision": (
                "Felsőfokú szakirányú végzettség, lehetőleg műszaki vagy közgazdasági; jogi ismeretek előnyt "
                "jelentenek."
            ),
            "partnership": "Középfokú vagy felsőfokú szakirányú végzettség, lehetőleg pszichológiai vagy közgazdasági.",
        },
        "client_base": "Előny, ha a jelölt saját ügyfélkört hoz a vállalat területéről.",
        "qualities": [
            "Elkötelezettség",
            "Aktivitás",
            "Személyes varázs",
            "Kommunikációs készség",
            "Udvariasság",
            "Konfliktuskerülés",
            "Stressztűrés",
            "Nagy munkabírás",
            "Tanulási képesség",
            "Kreatív megközelítés, ahol a munka megkívánja",
            "Tárgyalási készség",
            "Döntés vitás helyzetekben",
            "Csapatmunka",
        ],
        "company_tasks": ["Az ügyfélnyilvántartást a Rapportban teljesen és naprakészen vezeti."],
    },
    "ru": {
        "name": "{type}, {level}",
        "title": "Менеджер по работе с клиентами – тип «{type}», {level} уровень",
        "type": {"advice": "Консультация", "decision": "Решение", "partnership": "Партнёрство"},
        "level": {"junior": "младший", "middle": "средний", "senior": "старший"},
        "purpose": {
            "advice": (
                "Привлекает и удерживает клиентов, которым нужна профессиональная консультация о товарах и услугах "
                "компании, и мотивирует их к покупке: понимает их проблемы и показывает, что они решаемы."
            ),
            "decision": (
                "Привлекает и удерживает клиентов, которым нужна помощь в принятии наиболее выгодного решения, и "
                "мотивирует их к покупке: анализирует их ситуацию и ведёт к обоснованному выбору."
            ),
            "partnership": (
                "Привлекает и удерживает клиентов, которые стремятся к долгосрочному взаимовыгодному сотрудничеству, "
                "и строит это сотрудничество на взаимном доверии и уважении."
            ),
        },
        "level_purpose": {
            "junior": "Работает с закреплёнными за ним клиентами под руководством опытного коллеги.",
            "middle": "Самостоятельно работает со своим портфелем клиентов.",
            "senior": "Работает с наиболее важными и VIP-клиентами компании и наставляет коллег.",
        },
        "duties": [
            "Находит новых клиентов или обслуживает клиентов, закреплённых руководством, и мотивирует их к покупке "
            "товаров и услуг компании.",
            "Определяет и фиксирует мотивацию каждого клиента (консультация, решение или партнёрство).",
            "Относится к каждому клиенту вежливо и корректно, с терпением и личным вниманием.",
            "Добивается того, чтобы проблема клиента была понята и решена; фиксирует обращения и их решение.",
            "Фиксирует в Rapport каждый контакт, предложение и договорённость с клиентом.",
            "Готовит предложения, коммерческие соглашения и условия договоров в пределах предоставленных полномочий.",
            "При увольнении или перед отпуском передаёт клиентов, открытые обращения и сделки вместе с их историей.",
        ],
        "type_duties": {
            "advice": ["Консультирует клиентов об ассортименте, характеристиках и назначении товаров и услуг."],
            "decision": [
                "Готовит анализ и сравнение вариантов, помогающие клиенту принять наиболее выгодное решение.",
                "Делится методами работы и знанием клиентов с коллегами и руководителем.",
            ],
            "partnership": [
                "Развивает долгосрочное сотрудничество с каждым клиентом: регулярные встречи, совместные планы, рост "
                "общего бизнеса."
            ],
        },
        "level_duties": {
            "junior": ["Выполняет указания руководителя и еженедельно отчитывается о работе с клиентами."],
            "middle": [
                "Ведёт портфель корпоративных клиентов в пределах согласованной нагрузки и уровня обслуживания."
            ],
            "senior": [
                "Обслуживает VIP-клиентов на их особых условиях сотрудничества.",
                "Наставляет младших коллег и участвует в собеседованиях с кандидатами.",
            ],
        },
        "rights": [
            "Получать от подразделений компании информацию, необходимую для работы.",
            "Вести переговоры с клиентами и делать предложения в пределах полномочий, предоставленных руководством.",
            "Вносить предложения по улучшению работы с клиентами.",
            "Проходить обучение за счёт компании по договорённости.",
        ],
        "senior_rights": ["Согласовывать особые условия с VIP-клиентами в пределах, установленных руководством."],
        "responsibilities": [
            "За качество и своевременность выполнения перечисленных обязанностей.",
            "За конфиденциальность данных клиентов и коммерческой тайны компании.",
            "За полноту и актуальность записей о клиентах, чтобы при смене менеджера не был потерян ни один клиент.",
            "За ущерб, причинённый компании, в пределах, установленных законодательством.",
        ],
        "knowledge": [
            "Основы действующего законодательства.",
            "Направления деятельности компании.",
            "Основы маркетинга: понятия, управление, методы и направления исследований.",
            "Теория менеджмента и деловое администрирование.",
            "Ассортимент, классификация, характеристики и назначение товаров и услуг компании.",
            "Разработка бизнес-планов, коммерческих соглашений и условий договоров.",
            "Правила установления деловых контактов.",
            "Правила делового этикета на переговорах с клиентами.",
            "Теория межличностного общения.",
            "Основы социологии и психологии, включая конфликтологию.",
            "Методы обработки информации с помощью современных средств коммуникации.",
        ],
        "experience": {
            "junior": "Опыт работы с клиентами не менее 1 года.",
            "middle": "Опыт работы с клиентами от 3 до 5 лет.",
            "senior": "Опыт работы с клиентами не менее 5 лет, в том числе с корпоративными клиентами.",
        },
        "education": {
            "advice": (
                "Среднее или высшее профессиональное образование, желательно экономическое; знание права и "
                "психологии — преимущество."
            ),
            "decision": (
                "Высшее профессиональное образование, желательно техническое или экономическое; знание права — "
                "преимущество."
            ),
            "partnership": (
                "Среднее или высшее профессиональное образование, желательно психологическое или экономическое."
            ),
        },
        "client_base": "Собственная клиентская база в сфере деятельности компании — преимущество.",
        "qualities": [
            "Целеустремлённость",
            "Активность",
            "Личное обаяние",
            "Коммуникабельность",
            "Вежливость",
            "Бесконфликтность",
            "Стрессоустойчивость",
            "Высокая работоспособность",
            "Обучаемость",
            "Творческий подход там, где этого требует работа",
            "Умение вести переговоры",
            "Умение принимать решения в спорных ситуациях",
            "Умение работать в команде",
        ],
        "company_tasks": ["Ведёт записи о клиентах в Rapport полно и актуально."],
    },
}


def _bullets(lines) -> str:
    return "\n".join(f"- {line}" for line in lines)


def template_data(language: str, manager_type: str, level: str) -> dict:
    """The fields of one template, composed from the language's common, type and level parts."""
    t = TEXTS[language]
    type_name, level_name = t["type"][manager_type], t["level"][level]
    rights = t["rights"] + (t["senior_rights"] if level == "senior" else [])
    return {
        "name": t["name"].format(type=type_name, level=level_name),
        "language": language,
        "manager_type": manager_type,
        "level": level,
        "title": t["title"].format(type=type_name.lower(), level=level_name),
        "purpose": f"{t['purpose'][manager_type]} {t['level_purpose'][level]}",
        "duties": _bullets(t["duties"] + t["type_duties"][manager_type] + t["level_duties"][level]),
        "rights": _bullets(rights),
        "responsibilities": _bullets(t["responsibilities"]),
        "knowledge": _bullets(t["knowledge"]),
        "experience_education": _bullets([t["experience"][level], t["education"][manager_type], t["client_base"]]),
        "qualities": _bullets(t["qualities"]),
        "company_tasks": _bullets(t["company_tasks"]),
    }
