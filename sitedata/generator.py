"""A fictional directory for demos and benchmarks, honest about being one.

Every generated organization, person, publication and practice has ``is_demo`` set: that flag,
not the slug, is what tells it from real data everywhere (cards, pages, sitemap,
``clear_synthetic()``). Slugs still start with ``synthetic-`` only to keep them apart
from real ones. Nothing generated can be taken for a real fact:

- every name is built on an invented town whose name starts with "Демо"/"Demo"
  (``TOWNS``), never on a real place, and never equals or resembles a real name
  (``tests/sitedata/test_generator.py`` checks it with the duplicate check's measure);
  people's surnames come from the same invented stock;
- addresses are on invented streets of those towns and postcodes start with "000";
- every phone number starts with "+7 000", a code no Russian number has;
- emails and websites are on ``example.org``, ``example.net`` and ``example.com`` only.

The towns are placed in the city regions of the sample data (each town in one region,
so the region facets and pages have rows), which ``generate_directory()`` loads first
if needed. Organizations get ``founded`` events and a small share other events
(renamed, designated, suspended, relocated, closed); their status, founding year,
designations and former names are what ``directory.events.derive()`` makes of them.
Practices (practical experience) are done by demo organizations in their towns, over a
seeded period (some ongoing, some with no known dates), described in both languages.
"""

import copy
import datetime
import random
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import translation
from tqdm import tqdm

from directory import freshness
from directory.events import derive
from directory.models import (
    ActivityType,
    Affiliation,
    Organization,
    OrganizationEvent,
    Person,
    Phone,
    Practice,
    Region,
)
from publications.models import Publication, Series
from rightsnet.text import slug_from

from .services import load_sample_data

SYNTHETIC_PREFIX = "synthetic-"
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Town:
    """An invented town, placed in a city region of the sample data."""

    region: str  # the slug of a city Region
    ru: str
    genitive_ru: str
    prepositional_ru: str
    en: str  # folds to the same Latin spelling as ``ru`` (``rightsnet.text.fold_latin``)
    in_russia: bool
    weight: int


TOWNS: tuple[Town, ...] = (
    Town("moscow", "Демоград", "Демограда", "Демограде", "Demograd", True, 14),
    Town("saint-petersburg", "Демогорск", "Демогорска", "Демогорске", "Demogorsk", True, 7),
    Town("novosibirsk", "Демоозерск", "Демоозерска", "Демоозерске", "Demoozersk", True, 3),
    Town("tomsk", "Демобор", "Демобора", "Демоборе", "Demobor", True, 2),
    Town("irkutsk", "Демоярск", "Демоярска", "Демоярске", "Demoyarsk", True, 2),
    Town("vladivostok", "Демоморск", "Демоморска", "Демоморске", "Demomorsk", True, 2),
    Town("khabarovsk", "Демоамурск", "Демоамурска", "Демоамурске", "Demoamursk", True, 2),
    Town("yekaterinburg", "Демокаменск", "Демокаменска", "Демокаменске", "Demokamensk", True, 3),
    Town("perm", "Демокамск", "Демокамска", "Демокамске", "Demokamsk", True, 3),
    Town("kazan", "Демоволжск", "Демоволжска", "Демоволжске", "Demovolzhsk", True, 2),
    Town("nizhny-novgorod", "Демоводск", "Демоводска", "Демоводске", "Demovodsk", True, 2),
    Town("grozny", "Демоюрт", "Демоюрта", "Демоюрте", "Demoyurt", True, 2),
    Town("makhachkala", "Демоаул", "Демоаула", "Демоауле", "Demoaul", True, 1),
    Town("ryazan", "Демополь", "Демополя", "Демополе", "Demopol", True, 1),
    Town("tbilisi", "Демоцкаро", "Демоцкаро", "Демоцкаро", "Demotskaro", False, 2),
    Town("yerevan", "Демоашен", "Демоашена", "Демоашене", "Demoashen", False, 2),
    Town("baku", "Демочай", "Демочая", "Демочае", "Demochai", False, 2),
    Town("almaty", "Демотау", "Демотау", "Демотау", "Demotau", False, 2),
    Town("bishkek", "Демокуль", "Демокуля", "Демокуле", "Demokul", False, 2),
    Town("dushanbe", "Демообод", "Демообода", "Демоободе", "Demoobod", False, 1),
    Town("ashgabat", "Демоабад", "Демоабада", "Демоабаде", "Demoabad", False, 1),
    Town("tashkent", "Демокент", "Демокента", "Демокенте", "Demokent", False, 2),
    Town("kyiv", "Демоброд", "Демоброда", "Демоброде", "Demobrod", False, 4),
    Town("kharkiv", "Демолуг", "Демолуга", "Демолуге", "Demolug", False, 2),
    Town("lviv", "Демодол", "Демодола", "Демодоле", "Demodol", False, 2),
    Town("minsk", "Демовичи", "Демовичей", "Демовичах", "Demovichi", False, 3),
    Town("chisinau", "Демоцены", "Демоцен", "Демоценах", "Demotseny", False, 2),
    Town("tallinn", "Демоярве", "Демоярве", "Демоярве", "Demoyarve", False, 1),
    Town("riga", "Демопилс", "Демопилса", "Демопилсе", "Demopils", False, 1),
    Town("vilnius", "Демогиряй", "Демогиряя", "Демогиряе", "Demogiryai", False, 1),
)
# Where a generated group may have moved its work (country Regions of the sample data).
RELOCATION_COUNTRIES = ("georgia", "armenia", "lithuania", "latvia", "estonia", "kazakhstan")

# (Russian, English) pairs.
GROUP_TYPES = (
    ("Правозащитный центр", "Human Rights Centre"),
    ("Комитет защиты прав человека", "Human Rights Defence Committee"),
    ("Хельсинкская группа", "Helsinki Group"),
    ("Правозащитное общество", "Human Rights Society"),
    ("Комитет солдатских матерей", "Soldiers' Mothers Committee"),
    ("Центр правовой помощи", "Legal Aid Centre"),
    ("Общественная приёмная", "Public Reception Office"),
    ("Группа мониторинга прав человека", "Human Rights Monitoring Group"),
    ("Центр помощи беженцам", "Refugee Assistance Centre"),
    ("Общество защиты прав заключённых", "Prisoners' Rights Society"),
    ("Школа прав человека", "Human Rights School"),
)
NGO_TYPES = (
    ("Фонд гражданских инициатив", "Civic Initiatives Foundation"),
    ("Ассоциация юристов", "Lawyers' Association"),
    ("Информационный центр", "Information Centre"),
    ("Центр независимой журналистики", "Independent Journalism Centre"),
    ("Фонд социальной поддержки", "Social Support Foundation"),
    ("Клуб избирателей", "Voters' Club"),
)
NETWORK_TYPES = (
    ("Сеть правозащитных организаций", "Human Rights Network"),
    ("Коалиция", "Coalition"),
    ("Союз правозащитных групп", "Union of Human Rights Groups"),
)
INTERNATIONAL_TYPES = (
    ("Международное общество", "International Society"),
    ("Международный фонд", "International Foundation"),
    ("Международная ассоциация", "International Association"),
)
COMMISSION_NAMES = (
    ("Комиссия по правам человека при администрации г. {gen}",
     "Human Rights Commission of the {town} Administration"),
    ("Аппарат уполномоченного по правам человека, {town}",
     "Office of the Human Rights Ombudsman, {town}"),
    ("Общественная наблюдательная комиссия г. {gen}",
     "Public Monitoring Commission of {town}"),
)  # fmt: skip
QUOTED_NAMES = (
    ("Надежда", "Nadezhda"), ("Доверие", "Doverie"), ("Право", "Pravo"),
    ("Гражданин", "Grazhdanin"), ("Совесть", "Sovest"), ("Защита", "Zashchita"),
    ("Диалог", "Dialog"), ("Достоинство", "Dostoinstvo"), ("Открытость", "Otkrytost"),
    ("Истина", "Istina"), ("Рассвет", "Rassvet"), ("Мост", "Most"), ("Согласие", "Soglasie"),
    ("Вера", "Vera"), ("Опора", "Opora"), ("Перспектива", "Perspektiva"),
    ("Солидарность", "Solidarnost"), ("Свеча", "Svecha"), ("Родник", "Rodnik"),
    ("Маяк", "Mayak"), ("Горизонт", "Gorizont"), ("Выбор", "Vybor"), ("Участие", "Uchastie"),
    ("Альтернатива", "Alternativa"), ("Милосердие", "Miloserdie"), ("Сфера права", "Sfera prava"),
)  # fmt: skip
# Invented street names ("Example Street", "Fictional Street", ...).
STREETS = (
    ("ул. Примерная", "ul. Primernaya"), ("ул. Вымышленная", "ul. Vymyshlennaya"),
    ("пер. Образцовый", "per. Obraztsovy"), ("ул. Условная", "ul. Uslovnaya"),
    ("пр. Демонстрационный", "pr. Demonstratsionny"), ("ул. Тестовая", "ul. Testovaya"),
    ("наб. Пробная", "nab. Probnaya"), ("ул. Макетная", "ul. Maketnaya"),
    ("пл. Шаблонная", "pl. Shablonnaya"), ("ул. Придуманная", "ul. Pridumannaya"),
)  # fmt: skip
SENTENCES = (
    ("Бесплатно консультирует жителей региона по правовым вопросам.",
     "Offers free legal advice to residents of the region."),
    ("Выпускает бюллетень о положении с правами человека в регионе.",
     "Publishes a bulletin on the human rights situation in the region."),
    ("Проводит семинары для активистов и юристов.", "Runs seminars for activists and lawyers."),
    ("Участвует в сети хельсинкских групп.", "Takes part in the network of Helsinki groups."),
    ("Помогает беженцам и вынужденным переселенцам.", "Helps refugees and forced migrants."),
    ("Принимает жалобы граждан и направляет их в органы власти.",
     "Receives complaints from citizens and forwards them to the authorities."),
    ("Наблюдает за выборами и судебными процессами.", "Observes elections and court hearings."),
    ("Посещает места лишения свободы.", "Visits places of detention."),
)  # fmt: skip
# Each pair folds to one Latin spelling (``fold_latin``), as a reader's search would.
MALE_NAMES = (
    ("Андрей", "Andrei"), ("Сергей", "Sergei"), ("Алексей", "Alexei"), ("Денис", "Denis"),
    ("Игорь", "Igor"), ("Михаил", "Mikhail"), ("Николай", "Nikolai"), ("Владимир", "Vladimir"),
    ("Олег", "Oleg"), ("Павел", "Pavel"), ("Юрий", "Yuri"), ("Виктор", "Viktor"),
    ("Борис", "Boris"), ("Роман", "Roman"), ("Лев", "Lev"),
)  # fmt: skip
FEMALE_NAMES = (
    ("Анна", "Anna"), ("Елена", "Elena"), ("Ольга", "Olga"), ("Наталья", "Natalya"),
    ("Татьяна", "Tatyana"), ("Ирина", "Irina"), ("Светлана", "Svetlana"), ("Мария", "Mariya"),
    ("Людмила", "Lyudmila"), ("Валентина", "Valentina"), ("Екатерина", "Ekaterina"),
    ("Галина", "Galina"), ("Вера", "Vera"), ("Нина", "Nina"),
)  # fmt: skip
# Invented surnames, male forms; the female form adds "а"/"a" (all end in -ов/-ев/-ин).
SURNAMES = (
    ("Демоградов", "Demogradov"), ("Демогоров", "Demogorov"), ("Демоборов", "Demoborov"),
    ("Деморечин", "Demorechin"), ("Демосветов", "Demosvetov"), ("Демоводов", "Demovodov"),
    ("Демолугин", "Demolugin"), ("Демоярцев", "Demoyartsev"), ("Демодолин", "Demodolin"),
    ("Демополев", "Demopolev"), ("Демохолмов", "Demokholmov"), ("Демобродов", "Demobrodov"),
    ("Демоключев", "Demoklyuchev"), ("Демосадов", "Demosadov"), ("Демозоров", "Demozorov"),
    ("Демостанов", "Demostanov"), ("Демоберегов", "Demoberegov"), ("Демоцветов", "Demotsvetov"),
    ("Демолесов", "Demolesov"), ("Демоозеров", "Demoozerov"), ("Демокамнев", "Demokamnev"),
    ("Демовитин", "Demovitin"), ("Демосеверов", "Demoseverov"), ("Демолипин", "Demolipin"),
    ("Демоясенев", "Demoyasenev"), ("Демотропин", "Demotropin"),
)  # fmt: skip
TITLES = (
    ("председатель", "chair"), ("юрист", "lawyer"), ("координатор", "coordinator"),
    ("директор", "director"), ("член правления", "board member"), ("основатель", "founder"),
    ("журналист", "journalist"), ("эксперт", "expert"), ("адвокат", "advocate"),
    ("волонтёр", "volunteer"),
)  # fmt: skip
PUBLICATION_FORMS = (
    ("{topic} в {town}: практическое пособие", "{topic} in {town}: A Practical Guide"),
    ("{topic} в {town}: доклад", "{topic} in {town}: A Report"),
    ("{topic} в {town}. Материалы семинара", "{topic} in {town}: Seminar Proceedings"),
    ("{topic} в {town}: справочник", "{topic} in {town}: A Handbook"),
    ("{topic} в {town}. Хроника нарушений", "{topic} in {town}: A Chronicle of Violations"),
)
PUBLICATION_SENTENCES = (
    ("Материалы семинаров и рекомендации.", "Seminar materials and recommendations."),
    ("Сборник статей и документов.", "A collection of articles and documents."),
    ("Пособие для волонтёров и юристов.", "A guide for volunteers and lawyers."),
)
# Practical experience: (Russian, English) title forms on a town (prepositional and
# genitive in Russian), each with the type of work it is mostly about.
PRACTICE_FORMS = (
    ("Семинары по правовому просвещению в {prep}", "Legal education seminars in {town}",
     "legal-education"),
    ("Мониторинг мест лишения свободы в {prep}", "Monitoring places of detention in {town}",
     "prisoners-rights"),
    ("Общественная приёмная для жителей {gen}",
     "A public reception office for the residents of {town}", "legal-defense"),
    ("Наблюдатели на выборах: волонтёрская сеть {gen}",
     "Election observers: the volunteer network of {town}", "monitoring"),
    ("Бюллетень для региональных групп, {town_ru}", "A bulletin for regional groups, {town}",
     "networking"),
    ("Правовая помощь беженцам в {prep}", "Legal aid to refugees in {town}",
     "freedom-of-movement"),
    ("Летняя школа молодых юристов в {prep}", "A summer school for young lawyers in {town}",
     "legal-education"),
    ("Горячая линия для семей призывников, {town_ru}",
     "A hotline for conscripts' families, {town}", "individual-rights"),
    ("Судебная практика по жалобам жителей {gen}",
     "Taking residents' complaints to court in {town}", "judicial-defense"),
    ("Архив документов о нарушениях прав в {prep}",
     "An archive of rights violations in {town}", "documentation"),
)  # fmt: skip
PRACTICE_SUMMARIES = (
    ("Группа из {gen} делится опытом, который могут повторить другие.",
     "A group from {town} shares experience that others can repeat."),
    ("Как небольшая группа из {gen} наладила постоянную работу без больших денег.",
     "How a small group from {town} set up lasting work without much money."),
    ("Опыт нескольких лет работы в {prep}: что получилось и что нет.",
     "Several years of work in {town}: what worked and what did not."),
)  # fmt: skip
PRACTICE_STEPS = (
    ("Собрали волонтёров и провели для них вводное занятие.",
     "Gathered volunteers and gave them an introductory session."),
    ("Договорились о помещении с местной библиотекой.",
     "Arranged a room with the local library."),
    ("Вели журнал обращений и раз в квартал подводили итоги.",
     "Kept a log of requests and took stock every quarter."),
    ("Пригласили юристов из соседних групп.", "Invited lawyers from neighbouring groups."),
    ("Выпустили короткую памятку и раздали её на приёмах.",
     "Published a short leaflet and handed it out at consultations."),
    ("Разослали отчёт партнёрам и местной прессе.",
     "Sent a report to partners and the local press."),
)  # fmt: skip
PRACTICE_LESSONS = (
    ("Начинать с малого и записывать каждое обращение.",
     "Start small and write down every request."),
    ("Один постоянный координатор важнее большого бюджета.",
     "One steady coordinator matters more than a large budget."),
    ("Партнёры из других городов помогают, когда местных сил не хватает.",
     "Partners from other towns help when local forces fall short."),
    ("Памятки нужно проверять с юристом до печати.",
     "Have a lawyer check leaflets before printing them."),
)  # fmt: skip
PRACTICE_FIRST_YEAR, PRACTICE_LAST_YEAR = 1990, 2024
PRACTICE_UNDATED_SHARE = 0.15  # no known dates at all
PRACTICE_ONGOING_SHARE = 0.35  # of the dated: a start and no end
PRACTICE_LIST_SHARE = 0.4  # bodies and lessons written as a "- " list

KINDS = (
    (Organization.Kind.GROUP, 70),
    (Organization.Kind.NGO, 18),
    (Organization.Kind.COMMISSION, 5),
    (Organization.Kind.NETWORK, 4),
    (Organization.Kind.INTERNATIONAL, 3),
)
# The status staff would have chosen; events (below) may then say why.
STATUSES = (
    (Organization.Status.ACTIVE, 70),
    (Organization.Status.INACTIVE, 12),
    (Organization.Status.CLOSED, 8),
    (Organization.Status.UNKNOWN, 10),
)
# Shares of organizations with events beyond their founding (a small share in all).
RENAMED_SHARE = 0.03
FOREIGN_AGENT_SHARE = 0.03  # of those in Russia
UNDESIRABLE_SHARE = 0.04  # of those abroad or international
CLOSING_EVENT_SHARE = 0.5  # of the closed: ceased, or liquidated by a court (in Russia)
SUSPENDED_SHARE = 0.3  # of the inactive
SUSPENDED_AND_RESUMED_SHARE = 0.03  # of the active
RELOCATED_SHARE = 0.03  # of the active in Russia
LAST_EVENT_YEAR = 2025
# The first year an event of a kind can have (when the law behind it existed).
FIRST_EVENT_YEAR = {"foreign_agent": 2013, "undesirable": 2016, "relocated": 2014}
# Events known to the day (a register's or a court's date); the others to the year.
DAY_PRECISION_KINDS = ("foreign_agent", "undesirable", "liquidated")
COMMON_ACTIVITIES = {"legal-defense": 4, "legal-education": 3, "monitoring": 3}
EMAIL_DOMAINS = ("example.org", "example.net", "example.com")
PHONE_PREFIX = "+7 000"  # no Russian number starts so
POSTAL_PATTERN = "000###"  # nor any Russian postcode
DRAFT_SHARE = 0.05
HIDDEN_CONTACTS_SHARE = 0.05
BRANCH_SHARE = 0.06
PARTNERSHIPS_PER_ORG = 0.3
VERIFIED_FROM = datetime.date(2005, 1, 1)
VERIFIED_DAYS = (datetime.date(2026, 6, 30) - VERIFIED_FROM).days


@dataclass(frozen=True)
class GenerationResult:
    """What one ``generate_directory()`` call created, and how long it took."""

    organizations: int
    branches: int
    phones: int
    partnerships: int
    people: int
    affiliations: int
    publications: int
    seconds: float
    events: int = 0
    practices: int = 0


def synthetic_organizations():
    """The demo organizations (``is_demo``), whoever made them."""
    return Organization.objects.filter(is_demo=True)


def clear_synthetic() -> dict[str, int]:
    """Delete every demo organization, person, publication and practice, and their links.

    Set-based deletes without signals, so no history rows are written: the history
    of demo rows is noise, and recording 20,000 deletions one by one takes minutes.
    Real rows that pointed at a demo one (a publisher, a parent, a practice's
    organization) lose the link, as ``on_delete=SET_NULL`` would do.
    """
    demo = Q(is_demo=True)
    orgs = Organization.objects.filter(demo).values("pk")
    people = Person.objects.filter(demo).values("pk")
    publications = Publication.objects.filter(demo).values("pk")
    practices = Practice.objects.filter(demo).values("pk")
    with transaction.atomic():
        counts = {
            "organizations": Organization.objects.filter(demo).count(),
            "people": Person.objects.filter(demo).count(),
            "publications": Publication.objects.filter(demo).count(),
            "practices": Practice.objects.filter(demo).count(),
        }
        for relation in ("activities", "regions", "sources"):
            through = getattr(Practice, relation).through
            _raw_delete(through.objects.filter(practice__in=practices))
        _raw_delete(
            Practice.organizations.through.objects.filter(
                Q(practice__in=practices) | Q(organization__in=orgs)
            )
        )
        _raw_delete(Practice.objects.filter(demo))
        _raw_delete(Publication.topics.through.objects.filter(publication__in=publications))
        _raw_delete(Publication.sources.through.objects.filter(publication__in=publications))
        _raw_delete(
            Publication.editors.through.objects.filter(
                Q(publication__in=publications) | Q(person__in=people)
            )
        )
        Publication.objects.filter(publisher__in=orgs).update(publisher=None)
        Series.objects.filter(organization__in=orgs).update(organization=None)
        _raw_delete(Publication.objects.filter(demo))
        _raw_delete(Affiliation.objects.filter(Q(person__in=people) | Q(organization__in=orgs)))
        _raw_delete(Person.sources.through.objects.filter(person__in=people))
        _raw_delete(Person.objects.filter(demo))
        events = OrganizationEvent.objects.filter(organization__in=orgs).values("pk")
        _raw_delete(OrganizationEvent.sources.through.objects.filter(organizationevent__in=events))
        _raw_delete(OrganizationEvent.objects.filter(organization__in=orgs))
        _raw_delete(Phone.objects.filter(organization__in=orgs))
        _raw_delete(Organization.activities.through.objects.filter(organization__in=orgs))
        _raw_delete(Organization.sources.through.objects.filter(organization__in=orgs))
        _raw_delete(
            Organization.partners.through.objects.filter(
                Q(from_organization__in=orgs) | Q(to_organization__in=orgs)
            )
        )
        Organization.objects.filter(parent__in=orgs).update(parent=None)
        _raw_delete(Organization.objects.filter(demo))
        freshness.bump()
    return counts


def _raw_delete(queryset) -> None:
    # QuerySet._raw_delete is what Django's deletion collector itself uses for
    # "fast deletes": one DELETE statement, no per-row signals.
    queryset._raw_delete(queryset.db)


def generate_directory(
    *,
    orgs: int,
    seed: int,
    people: int | None = None,
    publications: int | None = None,
    practices: int | None = None,
    clear: bool = False,
    progress: bool = False,
    batch_size: int = BATCH_SIZE,
) -> GenerationResult:
    """Create a demo directory in one transaction and return what was made.

    ``orgs`` organizations (about 6% of them branches of others), with phones,
    1-4 types of work, partners, events, drafts (~5%) and hidden contacts (~5%);
    ``people`` people (default ``orgs // 10``) affiliated with them and
    ``publications`` publications (default ``orgs // 20``) and ``practices`` practices
    (default ``orgs // 5``) done by them, every row ``is_demo``.
    The same ``seed`` gives the same names, slugs and places on the same database
    state. ``clear`` first deletes earlier demo rows; without it, new slugs are
    numbered after the existing demo ones. ``progress`` shows a tqdm bar on stderr.
    Slugs, ``search_text`` and the fields derived from events are computed in Python
    and rows are bulk-inserted in batches of ``batch_size``. The sample data is loaded
    first if it is missing.
    """
    if orgs < 0 or any(
        count is not None and count < 0 for count in (people, publications, practices)
    ):
        raise ValueError("Counts cannot be negative.")
    people = orgs // 10 if people is None else people
    publications = orgs // 20 if publications is None else publications
    practices = orgs // 5 if practices is None else practices
    started = time.perf_counter()
    with translation.override("ru"), transaction.atomic():
        if clear:
            clear_synthetic()
        load_sample_data()
        builder = _Builder(seed=seed, batch_size=batch_size)
        total = orgs + people + publications + practices
        with tqdm(total=total, disable=not progress, unit="row", desc="demo directory") as bar:
            created = builder.organizations(orgs, bar)
            phones = builder.phones_created
            partnerships = builder.partnerships()
            made_people, affiliations = builder.people(people, bar)
            made_publications = builder.publications(publications, bar)
            made_practices = builder.practices(practices, bar)
        freshness.bump()
    return GenerationResult(
        organizations=created,
        branches=builder.branches_created,
        phones=phones,
        partnerships=partnerships,
        people=made_people,
        affiliations=affiliations,
        publications=made_publications,
        seconds=time.perf_counter() - started,
        events=builder.events_created,
        practices=made_practices,
    )


@dataclass
class _OrgInfo:
    pk: int
    kind: str
    name_ru: str
    name_en: str
    founded: int | None
    town: Town
    may_branch: bool


@dataclass
class _OrgPlan:
    organization: Organization
    town: Town
    activities: list
    phones: list
    events: list
    may_branch: bool


class _Builder:
    def __init__(self, *, seed: int, batch_size: int):
        self.rng = random.Random(seed)
        self.batch_size = batch_size
        slugs = [town.region for town in TOWNS] + list(RELOCATION_COUNTRIES)
        regions = Region.objects.in_bulk(slugs, field_name="slug")
        missing = [slug for slug in slugs if slug not in regions]
        if missing:
            raise ValueError(f"Regions missing from the database: {', '.join(missing)}")
        self.regions = regions
        self.activities = list(ActivityType.objects.order_by("slug"))
        if not self.activities:
            raise ValueError("No types of work in the database.")
        self.activity_weights = [COMMON_ACTIVITIES.get(a.slug, 1) for a in self.activities]
        self.town_weights = [town.weight for town in TOWNS]
        self.org_offset = synthetic_organizations().count()
        self.person_offset = Person.objects.filter(is_demo=True).count()
        self.publication_offset = Publication.objects.filter(is_demo=True).count()
        self.practice_offset = Practice.objects.filter(is_demo=True).count()
        self.blank_event = OrganizationEvent(is_public=True)
        self.orgs: list[_OrgInfo] = []
        self.person_pks: list[int] = []
        self.phones_created = 0
        self.events_created = 0
        self.branches_created = 0

    # Small random helpers -------------------------------------------------------------

    def _pick(self, weighted):
        values, weights = zip(*weighted, strict=True)
        return self.rng.choices(values, weights)[0]

    def _town(self) -> Town:
        return self.rng.choices(TOWNS, self.town_weights)[0]

    def _digits(self, pattern: str) -> str:
        return "".join(str(self.rng.randrange(10)) if ch == "#" else ch for ch in pattern)

    def _phone_number(self) -> str:
        return f"{PHONE_PREFIX} {self._digits('###-##-##')}"

    # Organizations -----------------------------------------------------------------

    def _name(self, kind: str, town: Town) -> tuple[str, str, bool]:
        """Russian and English names, and whether branches elsewhere may take the name."""
        if kind == Organization.Kind.COMMISSION:
            ru, en = self.rng.choice(COMMISSION_NAMES)
            return ru.format(gen=town.genitive_ru, town=town.ru), en.format(town=town.en), False
        types = {
            Organization.Kind.GROUP: GROUP_TYPES,
            Organization.Kind.NGO: NGO_TYPES,
            Organization.Kind.NETWORK: NETWORK_TYPES,
            Organization.Kind.INTERNATIONAL: INTERNATIONAL_TYPES,
        }[kind]
        type_ru, type_en = self.rng.choice(types)
        if kind in (Organization.Kind.GROUP, Organization.Kind.NGO) and self.rng.random() < 0.35:
            return f"{type_ru} г. {town.genitive_ru}", f"{type_en} of {town.en}", False
        quoted_ru, quoted_en = self.rng.choice(QUOTED_NAMES)
        return f"{type_ru} «{quoted_ru}», {town.ru}", f'{type_en} "{quoted_en}", {town.en}', True

    def _description(self) -> tuple[str, str]:
        chosen = self.rng.sample(SENTENCES, self.rng.randint(1, 2))
        return " ".join(s[0] for s in chosen), " ".join(s[1] for s in chosen)

    def _plan_org(self, index: int, parent: _OrgInfo | None) -> _OrgPlan:
        rng = self.rng
        if parent is None:
            kind = self._pick(KINDS)
            town = self._town()
            name_ru, name_en, may_branch = self._name(kind, town)
            founded = int(rng.triangular(1976, 2015, 1992))
        else:
            kind, may_branch = parent.kind, False
            town = self._town()
            while town is parent.town:
                town = self._town()
            name_ru = f"{parent.name_ru} (отделение, {town.ru})"
            name_en = f"{parent.name_en} ({town.en} branch)"
            founded = rng.randint(max(parent.founded or 1976, 1976), 2015)
        if rng.random() < 0.08:
            founded = None
        activities = self._activities()
        description_ru, description_en = self._description()
        street_ru, street_en = rng.choice(STREETS)
        house, office = rng.randint(1, 120), rng.randint(1, 300)
        handle = f"{slug_from(name_en)[:40].strip('-')}-{index}"
        last_verified = (
            VERIFIED_FROM + datetime.timedelta(days=rng.randrange(VERIFIED_DAYS))
            if rng.random() < 0.85
            else None
        )
        org = Organization(
            name_ru=name_ru,
            name_en=name_en,
            slug=f"{SYNTHETIC_PREFIX}{slug_from(name_en)[:55].strip('-')}-{index}",
            kind=kind,
            parent_id=parent.pk if parent else None,
            region=self.regions[town.region],
            city_ru=town.ru,
            city_en=town.en,
            address_ru=f"{street_ru}, д. {house}, оф. {office}",
            address_en=f"{street_en} {house}, office {office}",
            postal_code=self._digits(POSTAL_PATTERN),
            email=f"{handle}@{rng.choice(EMAIL_DOMAINS)}" if rng.random() < 0.8 else "",
            website=(
                f"https://{rng.choice(EMAIL_DOMAINS)}/{handle}/" if rng.random() < 0.5 else ""
            ),
            description_ru=description_ru,
            description_en=description_en,
            is_published=rng.random() >= DRAFT_SHARE,
            contacts_public=rng.random() >= HIDDEN_CONTACTS_SHARE,
            last_verified=last_verified,
            contacts_as_of=last_verified,
            contacts_as_of_precision="day" if last_verified else "",
            is_demo=True,
        )
        staff_status = self._pick(STATUSES)
        events = self._events(kind, town, founded, staff_status, name_ru)
        # The one rule (directory.events) decides the derived columns, as a save would.
        derive(events, staff_status=staff_status).apply(org)
        org.search_text = org.build_search_text()
        phones = [Phone(number=self._phone_number(), kind=Phone.Kind.TEL)]
        if rng.random() < 0.3:
            phones.append(Phone(number=self._phone_number(), kind=Phone.Kind.TEL))
        if rng.random() < 0.2:
            phones.append(Phone(number=self._phone_number(), kind=Phone.Kind.FAX))
        if rng.random() < 0.15:
            phones.append(Phone(number=self._phone_number(), kind=Phone.Kind.MOBILE))
        return _OrgPlan(org, town, activities, phones, events, may_branch)

    def _events(
        self, kind: str, town: Town, founded: int | None, staff_status: str, name_ru: str
    ) -> list:
        """The organization's events in date order: its founding and, for a few, a story."""
        rng = self.rng
        story = []
        if rng.random() < RENAMED_SHARE:
            story.append("renamed")
        if town.in_russia and rng.random() < FOREIGN_AGENT_SHARE:
            story.append("foreign_agent")
        abroad = not town.in_russia or kind == Organization.Kind.INTERNATIONAL
        if abroad and rng.random() < UNDESIRABLE_SHARE:
            story.append("undesirable")
        if staff_status == Organization.Status.CLOSED and rng.random() < CLOSING_EVENT_SHARE:
            story.append("liquidated" if town.in_russia and rng.random() < 0.5 else "ceased")
        elif staff_status == Organization.Status.INACTIVE and rng.random() < SUSPENDED_SHARE:
            story.append("suspended")
        elif staff_status == Organization.Status.ACTIVE:
            if rng.random() < SUSPENDED_AND_RESUMED_SHARE:
                story += ["suspended", "resumed"]
            elif town.in_russia and rng.random() < RELOCATED_SHARE:
                story.append("relocated")
        events = []
        if founded is not None:
            events.append(self._event("founded", datetime.date(founded, 1, 1), "year"))
        year = founded or 1990
        for position, event_kind in enumerate(story):
            # A year after the previous event, leaving one for each event still to come.
            low = max(year + 1, FIRST_EVENT_YEAR.get(event_kind, 0))
            high = LAST_EVENT_YEAR - (len(story) - position - 1)
            if low > high:
                continue
            year = rng.randint(low, high)
            if event_kind in DAY_PRECISION_KINDS:
                date = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
                event = self._event(event_kind, date, "day")
            else:
                event = self._event(event_kind, datetime.date(year, 1, 1), "year")
            if event_kind == "renamed":
                former_ru, former_en = self._former_name(kind, town, name_ru)
                event.former_name_ru, event.former_name_en = former_ru, former_en
            elif event_kind == "relocated":
                event.country = self.regions[rng.choice(RELOCATION_COUNTRIES)]
            events.append(event)
        return events

    def _event(self, kind: str, date: datetime.date, precision: str) -> OrganizationEvent:
        # A copy of a blank event skips Model.__init__ and modeltranslation's defaults,
        # most of what an event costs to make (20,000 organizations, as many events).
        event = copy.copy(self.blank_event)
        event.kind, event.date, event.date_precision = kind, date, precision
        return event

    def _former_name(self, kind: str, town: Town, name_ru: str) -> tuple[str, str]:
        """Another name of the same kind and town (a branch's too: its own town)."""
        while True:
            former_ru, former_en, _may_branch = self._name(kind, town)
            if former_ru != name_ru:
                return former_ru, former_en

    def _activities(self) -> list[ActivityType]:
        count = self.rng.choices((1, 2, 3, 4), (3, 4, 2, 1))[0]
        chosen: dict[int, ActivityType] = {}
        while len(chosen) < min(count, len(self.activities)):
            activity = self.rng.choices(self.activities, self.activity_weights)[0]
            chosen[activity.pk] = activity
        return sorted(chosen.values(), key=lambda a: a.slug)

    def organizations(self, count: int, bar) -> int:
        branches = int(count * BRANCH_SHARE) if count >= 20 else 0
        heads = count - branches
        index = self.org_offset + 1
        plans: list[_OrgPlan] = []
        for _ in range(heads):
            plans.append(self._plan_org(index, None))
            index += 1
            if len(plans) >= self.batch_size:
                self._insert_orgs(plans, bar)
                plans = []
        self._insert_orgs(plans, bar)
        plans = []
        # Branches come second so that their parents already have keys.
        parents = [
            info
            for info in self.orgs
            if info.may_branch and (info.founded is None or info.founded < 2015)
        ] or self.orgs
        for _ in range(branches):
            plans.append(self._plan_org(index, self.rng.choice(parents)))
            index += 1
            if len(plans) >= self.batch_size:
                self._insert_orgs(plans, bar)
                plans = []
        self._insert_orgs(plans, bar)
        self.branches_created = branches
        return count

    def _insert_orgs(self, plans: list[_OrgPlan], bar) -> None:
        if not plans:
            return
        created = Organization.objects.bulk_create([plan.organization for plan in plans])
        through = Organization.activities.through
        links, phones, events = [], [], []
        for org, plan in zip(created, plans, strict=True):
            links.extend(
                through(organization_id=org.pk, activitytype_id=a.pk) for a in plan.activities
            )
            for phone in plan.phones:
                phone.organization_id = org.pk
                phones.append(phone)
            for event in plan.events:
                event.organization_id = org.pk
                events.append(event)
            self.orgs.append(
                _OrgInfo(
                    org.pk, org.kind, org.name_ru, org.name_en, org.founded, plan.town,
                    plan.may_branch,
                )
            )  # fmt: skip
        through.objects.bulk_create(links, batch_size=self.batch_size)
        Phone.objects.bulk_create(phones, batch_size=self.batch_size)
        # Each organization's events have distinct dates: derive() read them in this order.
        OrganizationEvent.objects.bulk_create(events, batch_size=self.batch_size)
        self.phones_created += len(phones)
        self.events_created += len(events)
        bar.update(len(plans))

    def partnerships(self) -> int:
        if len(self.orgs) < 2:
            return 0
        wanted = int(len(self.orgs) * PARTNERSHIPS_PER_ORG)
        pairs: set[tuple[int, int]] = set()
        for _ in range(wanted):
            a, b = self.rng.sample(self.orgs, 2)
            pairs.add((min(a.pk, b.pk), max(a.pk, b.pk)))
        through = Organization.partners.through
        # The relation is symmetric: Django stores both directions.
        rows = [through(from_organization_id=a, to_organization_id=b) for a, b in sorted(pairs)]
        rows += [through(from_organization_id=b, to_organization_id=a) for a, b in sorted(pairs)]
        through.objects.bulk_create(rows, batch_size=self.batch_size)
        return len(pairs)

    # People and publications -------------------------------------------------------

    def people(self, count: int, bar) -> tuple[int, int]:
        if count and not self.orgs:
            raise ValueError("People need demo organizations to be affiliated with.")
        rng = self.rng
        made = affiliations = 0
        index = self.person_offset + 1
        while made < count:
            batch = []
            plans = []
            for _ in range(min(self.batch_size, count - made)):
                female = rng.random() < 0.5
                first_ru, first_en = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
                last_ru, last_en = rng.choice(SURNAMES)
                if female:
                    last_ru, last_en = last_ru + "а", last_en + "a"
                title_ru, title_en = rng.choice(TITLES)
                orgs = rng.sample(self.orgs, min(len(self.orgs), rng.choice((1, 1, 1, 2))))
                name_en = f"{first_en} {last_en}"
                person = Person(
                    name_ru=f"{first_ru} {last_ru}",
                    name_en=name_en,
                    slug=f"{SYNTHETIC_PREFIX}{slug_from(name_en)}-{index}",
                    title_ru=title_ru,
                    title_en=title_en,
                    biography_ru=f"{title_ru.capitalize()}, {orgs[0].name_ru}.",
                    biography_en=f"{title_en.capitalize()}, {orgs[0].name_en}.",
                    region=self.regions[orgs[0].town.region],
                    is_published=rng.random() >= DRAFT_SHARE,
                    is_demo=True,
                )
                person.search_text = person.build_search_text()
                batch.append(person)
                plans.append((orgs, title_ru, title_en))
                index += 1
            created = Person.objects.bulk_create(batch)
            rows = []
            for person, (orgs, title_ru, title_en) in zip(created, plans, strict=True):
                self.person_pks.append(person.pk)
                for org in orgs:
                    start = rng.randint(org.founded or 1976, 2015)
                    end = rng.randint(start, 2020) if rng.random() < 0.3 else None
                    rows.append(
                        Affiliation(
                            person_id=person.pk,
                            organization_id=org.pk,
                            role_ru=title_ru,
                            role_en=title_en,
                            start_year=start,
                            end_year=end,
                        )
                    )
            Affiliation.objects.bulk_create(rows, batch_size=self.batch_size)
            affiliations += len(rows)
            made += len(batch)
            bar.update(len(batch))
        return made, affiliations

    def publications(self, count: int, bar) -> int:
        rng = self.rng
        made = 0
        index = self.publication_offset + 1
        topic_through = Publication.topics.through
        editor_through = Publication.editors.through
        while made < count:
            batch, plans = [], []
            for _ in range(min(self.batch_size, count - made)):
                topics = rng.sample(self.activities, rng.choice((1, 1, 2)))
                form_ru, form_en = rng.choice(PUBLICATION_FORMS)
                publisher = rng.choice(self.orgs) if self.orgs and rng.random() < 0.8 else None
                town = publisher.town if publisher else self._town()
                title_ru = form_ru.format(topic=topics[0].name_ru, town=town.prepositional_ru)
                title_en = form_en.format(topic=topics[0].name_en, town=town.en)
                description_ru, description_en = rng.choice(PUBLICATION_SENTENCES)
                publication = Publication(
                    title_ru=title_ru,
                    title_en=title_en,
                    slug=f"{SYNTHETIC_PREFIX}{slug_from(title_en)[:55].strip('-')}-{index}",
                    year=rng.randint(1990, 2016),
                    city_ru=town.ru,
                    city_en=town.en,
                    language=rng.choices(("ru", "en"), (4, 1))[0],
                    pages=rng.randint(16, 400),
                    publisher_id=publisher.pk if publisher else None,
                    description_ru=description_ru,
                    description_en=description_en,
                    status=rng.choices(
                        (Publication.Status.PUBLISHED, Publication.Status.PLANNED), (19, 1)
                    )[0],
                    is_published=rng.random() >= DRAFT_SHARE,
                    is_demo=True,
                )
                publication.search_text = publication.build_search_text()
                editors = (
                    rng.sample(self.person_pks, min(len(self.person_pks), rng.choice((0, 1, 2))))
                    if self.person_pks
                    else []
                )
                batch.append(publication)
                plans.append((topics, editors))
                index += 1
            created = Publication.objects.bulk_create(batch)
            topic_rows, editor_rows = [], []
            for publication, (topics, editors) in zip(created, plans, strict=True):
                topic_rows += [
                    topic_through(publication_id=publication.pk, activitytype_id=t.pk)
                    for t in topics
                ]
                editor_rows += [
                    editor_through(publication_id=publication.pk, person_id=p) for p in editors
                ]
            topic_through.objects.bulk_create(topic_rows, batch_size=self.batch_size)
            editor_through.objects.bulk_create(editor_rows, batch_size=self.batch_size)
            made += len(batch)
            bar.update(len(batch))
        return made

    # Practical experience ----------------------------------------------------------

    def _period(self) -> tuple:
        """Start and end (date, precision) pairs; some ongoing, some with no known dates."""
        rng = self.rng
        if rng.random() < PRACTICE_UNDATED_SHARE:
            return (None, ""), (None, "")
        start_year = rng.randint(PRACTICE_FIRST_YEAR, PRACTICE_LAST_YEAR - 1)
        start = self._partial_date(start_year)
        if rng.random() < PRACTICE_ONGOING_SHARE:
            return start, (None, "")
        # A later year, so the end is after the start whatever either's precision.
        end_year = rng.randint(start_year + 1, min(start_year + 6, PRACTICE_LAST_YEAR))
        return start, self._partial_date(end_year)

    def _partial_date(self, year: int) -> tuple[datetime.date, str]:
        precision = self.rng.choices(("year", "month", "day"), (6, 3, 1))[0]
        month = self.rng.randint(1, 12) if precision != "year" else 1
        day = self.rng.randint(1, 28) if precision == "day" else 1
        return datetime.date(year, month, day), precision

    def _text(self, pairs, count: int) -> tuple[str, str]:
        """``count`` sentences of ``pairs`` in both languages: a paragraph or a "- " list."""
        chosen = self.rng.sample(pairs, min(count, len(pairs)))
        if len(chosen) > 1 and self.rng.random() < PRACTICE_LIST_SHARE:
            return tuple("\n".join(f"- {pair[i]}" for pair in chosen) for i in (0, 1))
        return tuple(" ".join(pair[i] for pair in chosen) for i in (0, 1))

    def practices(self, count: int, bar) -> int:
        if count and not self.orgs:
            raise ValueError("Practices need demo organizations to have done them.")
        rng = self.rng
        by_slug = {activity.slug: activity for activity in self.activities}
        made = 0
        index = self.practice_offset + 1
        through = {name: getattr(Practice, name).through for name in
                   ("organizations", "activities", "regions")}  # fmt: skip
        while made < count:
            batch, plans = [], []
            for _ in range(min(self.batch_size, count - made)):
                lead = rng.choice(self.orgs)
                town = lead.town
                others = rng.sample(self.orgs, min(len(self.orgs), rng.choice((0, 0, 1, 2))))
                orgs = [lead, *(org for org in others if org.pk != lead.pk)]
                form_ru, form_en, topic = rng.choice(PRACTICE_FORMS)
                names = {
                    "prep": town.prepositional_ru, "gen": town.genitive_ru,
                    "town_ru": town.ru, "town": town.en,
                }  # fmt: skip
                title_en = form_en.format(**names)
                summary_ru, summary_en = rng.choice(PRACTICE_SUMMARIES)
                body_ru, body_en = self._text(PRACTICE_STEPS, rng.randint(2, 4))
                lessons_ru, lessons_en = self._text(PRACTICE_LESSONS, rng.randint(1, 3))
                (start, start_precision), (end, end_precision) = self._period()
                practice = Practice(
                    title_ru=form_ru.format(**names),
                    title_en=title_en,
                    slug=f"{SYNTHETIC_PREFIX}{slug_from(title_en)[:55].strip('-')}-{index}",
                    summary_ru=summary_ru.format(**names),
                    summary_en=summary_en.format(**names),
                    body_ru=body_ru,
                    body_en=body_en,
                    lessons_ru=lessons_ru,
                    lessons_en=lessons_en,
                    start_date=start,
                    start_date_precision=start_precision,
                    end_date=end,
                    end_date_precision=end_precision,
                    is_published=rng.random() >= DRAFT_SHARE,
                    is_demo=True,
                )
                practice.search_text = practice.build_search_text()
                activities = {by_slug[topic].pk} if topic in by_slug else set()
                if rng.random() < 0.3:
                    activities.add(rng.choices(self.activities, self.activity_weights)[0].pk)
                regions = {self.regions[org.town.region].pk for org in orgs}
                batch.append(practice)
                plans.append(([org.pk for org in orgs], sorted(activities), sorted(regions)))
                index += 1
            created = Practice.objects.bulk_create(batch)
            rows = {name: [] for name in through}
            for practice, (org_pks, activity_pks, region_pks) in zip(created, plans, strict=True):
                rows["organizations"] += [
                    through["organizations"](practice_id=practice.pk, organization_id=pk)
                    for pk in org_pks
                ]
                rows["activities"] += [
                    through["activities"](practice_id=practice.pk, activitytype_id=pk)
                    for pk in activity_pks
                ]
                rows["regions"] += [
                    through["regions"](practice_id=practice.pk, region_id=pk) for pk in region_pks
                ]
            for name, model in through.items():
                model.objects.bulk_create(rows[name], batch_size=self.batch_size)
            made += len(batch)
            bar.update(len(batch))
        return made
