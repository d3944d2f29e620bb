"""A realistic synthetic directory for demos and benchmarks.

Every synthetic row (organization, person, publication) has a slug starting with
``synthetic-`` and a description that says it is a demo entry, so it can be told
apart from the real data and removed with ``clear_synthetic()``. Emails and websites
use the reserved ``example.org``/``example.net``/``example.com`` domains. Names are
built from word lists in both languages; places are the city regions of the sample
data, which ``generate_directory()`` loads first if needed.
"""

import datetime
import random
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import translation
from tqdm import tqdm

from directory import freshness
from directory.models import ActivityType, Affiliation, Organization, Person, Phone, Region
from publications.models import Publication, Series
from rightsnet.text import slug_from

from .services import load_sample_data

SYNTHETIC_PREFIX = "synthetic-"
BATCH_SIZE = 1000

# Short on purpose: search_text (and its trigram index) grows with the description.
DEMO_NOTE_EN = "Demo entry, not a real organization."
DEMO_NOTE_RU = "Демо-запись, не настоящая организация."
DEMO_PERSON_EN = "Demo entry, not a real person."
DEMO_PERSON_RU = "Демо-запись, не настоящий человек."
DEMO_PUBLICATION_EN = "Demo entry, not a real publication."
DEMO_PUBLICATION_RU = "Демо-запись, не настоящее издание."


@dataclass(frozen=True)
class City:
    slug: str  # a city Region of the sample data
    genitive_ru: str
    dialing_code: str
    postal_pattern: str  # "#" is a random digit
    weight: int


CITIES: tuple[City, ...] = (
    City("moscow", "Москвы", "+7 495", "1#####", 14),
    City("saint-petersburg", "Санкт-Петербурга", "+7 812", "19####", 7),
    City("novosibirsk", "Новосибирска", "+7 383", "630###", 3),
    City("tomsk", "Томска", "+7 3822", "634###", 2),
    City("irkutsk", "Иркутска", "+7 3952", "664###", 2),
    City("vladivostok", "Владивостока", "+7 423", "690###", 2),
    City("khabarovsk", "Хабаровска", "+7 4212", "680###", 2),
    City("yekaterinburg", "Екатеринбурга", "+7 343", "620###", 3),
    City("perm", "Перми", "+7 342", "614###", 3),
    City("kazan", "Казани", "+7 843", "420###", 2),
    City("nizhny-novgorod", "Нижнего Новгорода", "+7 831", "603###", 2),
    City("grozny", "Грозного", "+7 8712", "364###", 2),
    City("makhachkala", "Махачкалы", "+7 8722", "367###", 1),
    City("ryazan", "Рязани", "+7 4912", "390###", 1),
    City("tbilisi", "Тбилиси", "+995 32", "01##", 2),
    City("yerevan", "Еревана", "+374 10", "00##", 2),
    City("baku", "Баку", "+994 12", "AZ10##", 2),
    City("almaty", "Алматы", "+7 727", "050###", 2),
    City("bishkek", "Бишкека", "+996 312", "720###", 2),
    City("dushanbe", "Душанбе", "+992 37", "734###", 1),
    City("ashgabat", "Ашхабада", "+993 12", "744###", 1),
    City("tashkent", "Ташкента", "+998 71", "100###", 2),
    City("kyiv", "Киева", "+380 44", "0####", 4),
    City("kharkiv", "Харькова", "+380 57", "61###", 2),
    City("lviv", "Львова", "+380 32", "79###", 2),
    City("minsk", "Минска", "+375 17", "220###", 3),
    City("chisinau", "Кишинёва", "+373 22", "MD-20##", 2),
    City("tallinn", "Таллина", "+372", "1####", 1),
    City("riga", "Риги", "+371", "LV-10##", 1),
    City("vilnius", "Вильнюса", "+370 5", "LT-01###", 1),
)

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
     "Human Rights Commission of the {city} Administration"),
    ("Аппарат уполномоченного по правам человека, {city}",
     "Office of the Human Rights Ombudsman, {city}"),
    ("Общественная наблюдательная комиссия г. {gen}",
     "Public Monitoring Commission of {city}"),
)  # fmt: skip
QUOTED_NAMES = (
    ("Надежда", "Nadezhda"), ("Доверие", "Doverie"), ("Право", "Pravo"),
    ("Гражданин", "Grazhdanin"), ("Совесть", "Sovest"), ("Защита", "Zashchita"),
    ("Диалог", "Dialog"), ("Достоинство", "Dostoinstvo"), ("Открытость", "Otkrytost"),
    ("Истина", "Istina"), ("Рассвет", "Rassvet"), ("Мост", "Most"), ("Согласие", "Soglasie"),
    ("Вера", "Vera"), ("Опора", "Opora"), ("Перспектива", "Perspektiva"),
    ("Солидарность", "Solidarnost"), ("Человек и закон", "Chelovek i zakon"),
    ("Свеча", "Svecha"), ("Родник", "Rodnik"), ("Маяк", "Mayak"), ("Горизонт", "Gorizont"),
    ("Выбор", "Vybor"), ("Участие", "Uchastie"), ("Альтернатива", "Alternativa"),
    ("Право на жизнь", "Pravo na zhizn"), ("Милосердие", "Miloserdie"),
    ("Сфера права", "Sfera prava"),
)  # fmt: skip
STREETS = (
    ("ул. Ленина", "ul. Lenina"), ("ул. Мира", "ul. Mira"), ("пр. Победы", "pr. Pobedy"),
    ("ул. Пушкина", "ul. Pushkina"), ("ул. Садовая", "ul. Sadovaya"),
    ("ул. Гагарина", "ul. Gagarina"), ("ул. Советская", "ul. Sovetskaya"),
    ("ул. Школьная", "ul. Shkolnaya"), ("наб. Речная", "nab. Rechnaya"),
    ("ул. Чехова", "ul. Chekhova"), ("ул. Толстого", "ul. Tolstogo"),
    ("пер. Почтовый", "per. Pochtovyi"),
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
MALE_NAMES = (
    ("Андрей", "Andrei"), ("Сергей", "Sergei"), ("Алексей", "Alexei"), ("Дмитрий", "Dmitry"),
    ("Игорь", "Igor"), ("Михаил", "Mikhail"), ("Николай", "Nikolai"), ("Владимир", "Vladimir"),
    ("Олег", "Oleg"), ("Павел", "Pavel"), ("Юрий", "Yuri"), ("Виктор", "Viktor"),
    ("Борис", "Boris"), ("Григорий", "Grigory"), ("Лев", "Lev"),
)  # fmt: skip
FEMALE_NAMES = (
    ("Анна", "Anna"), ("Елена", "Elena"), ("Ольга", "Olga"), ("Наталья", "Natalya"),
    ("Татьяна", "Tatyana"), ("Ирина", "Irina"), ("Светлана", "Svetlana"), ("Мария", "Maria"),
    ("Людмила", "Lyudmila"), ("Валентина", "Valentina"), ("Екатерина", "Ekaterina"),
    ("Галина", "Galina"), ("Вера", "Vera"), ("Нина", "Nina"),
)  # fmt: skip
# Male forms; the female form adds "а"/"a" (every one ends in -ов/-ев/-ёв/-ин).
SURNAMES = (
    ("Иванов", "Ivanov"), ("Петров", "Petrov"), ("Смирнов", "Smirnov"),
    ("Кузнецов", "Kuznetsov"), ("Соколов", "Sokolov"), ("Попов", "Popov"),
    ("Лебедев", "Lebedev"), ("Козлов", "Kozlov"), ("Новиков", "Novikov"),
    ("Морозов", "Morozov"), ("Волков", "Volkov"), ("Алексеев", "Alekseev"),
    ("Павлов", "Pavlov"), ("Семёнов", "Semyonov"), ("Голубев", "Golubev"),
    ("Виноградов", "Vinogradov"), ("Богданов", "Bogdanov"), ("Воробьёв", "Vorobyov"),
    ("Фёдоров", "Fyodorov"), ("Михайлов", "Mikhailov"), ("Беляев", "Belyaev"),
    ("Тарасов", "Tarasov"), ("Белов", "Belov"), ("Комаров", "Komarov"), ("Орлов", "Orlov"),
    ("Киселёв", "Kiselyov"), ("Макаров", "Makarov"), ("Андреев", "Andreev"),
    ("Ковалёв", "Kovalyov"), ("Ильин", "Ilyin"), ("Гусев", "Gusev"), ("Титов", "Titov"),
    ("Кузьмин", "Kuzmin"), ("Баранов", "Baranov"), ("Куликов", "Kulikov"),
)  # fmt: skip
TITLES = (
    ("председатель", "chair"), ("юрист", "lawyer"), ("координатор", "coordinator"),
    ("директор", "director"), ("член правления", "board member"), ("основатель", "founder"),
    ("журналист", "journalist"), ("эксперт", "expert"), ("адвокат", "advocate"),
    ("волонтёр", "volunteer"),
)  # fmt: skip
PUBLICATION_FORMS = (
    ("{topic}: практическое пособие", "{topic}: A Practical Guide"),
    ("{topic}: доклад", "{topic}: A Report"),
    ("{topic}. Материалы семинара", "{topic}: Seminar Proceedings"),
    ("{topic}: справочник", "{topic}: A Handbook"),
    ("{topic}. Хроника нарушений", "{topic}: A Chronicle of Violations"),
)
KINDS = (
    (Organization.Kind.GROUP, 70),
    (Organization.Kind.NGO, 18),
    (Organization.Kind.COMMISSION, 5),
    (Organization.Kind.NETWORK, 4),
    (Organization.Kind.INTERNATIONAL, 3),
)
STATUSES = (
    (Organization.Status.ACTIVE, 70),
    (Organization.Status.INACTIVE, 12),
    (Organization.Status.CLOSED, 8),
    (Organization.Status.UNKNOWN, 10),
)
COMMON_ACTIVITIES = {"legal-defense": 4, "legal-education": 3, "monitoring": 3}
EMAIL_DOMAINS = ("example.org", "example.net", "example.com")
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


def synthetic_organizations():
    return Organization.objects.filter(slug__startswith=SYNTHETIC_PREFIX)


def clear_synthetic() -> dict[str, int]:
    """Delete every synthetic organization, person and publication, and their links.

    Set-based deletes without signals, so no history rows are written: the history
    of demo rows is noise, and recording 20,000 deletions one by one takes minutes.
    Real rows that pointed at a synthetic one (a publisher, a parent) lose the link,
    as ``on_delete=SET_NULL`` would do.
    """
    synthetic = Q(slug__startswith=SYNTHETIC_PREFIX)
    orgs = Organization.objects.filter(synthetic).values("pk")
    people = Person.objects.filter(synthetic).values("pk")
    publications = Publication.objects.filter(synthetic).values("pk")
    with transaction.atomic():
        counts = {
            "organizations": Organization.objects.filter(synthetic).count(),
            "people": Person.objects.filter(synthetic).count(),
            "publications": Publication.objects.filter(synthetic).count(),
        }
        _raw_delete(Publication.topics.through.objects.filter(publication__in=publications))
        _raw_delete(
            Publication.editors.through.objects.filter(
                Q(publication__in=publications) | Q(person__in=people)
            )
        )
        Publication.objects.filter(publisher__in=orgs).update(publisher=None)
        Series.objects.filter(organization__in=orgs).update(organization=None)
        _raw_delete(Publication.objects.filter(synthetic))
        _raw_delete(Affiliation.objects.filter(Q(person__in=people) | Q(organization__in=orgs)))
        _raw_delete(Person.objects.filter(synthetic))
        _raw_delete(Phone.objects.filter(organization__in=orgs))
        _raw_delete(Organization.activities.through.objects.filter(organization__in=orgs))
        _raw_delete(
            Organization.partners.through.objects.filter(
                Q(from_organization__in=orgs) | Q(to_organization__in=orgs)
            )
        )
        Organization.objects.filter(parent__in=orgs).update(parent=None)
        _raw_delete(Organization.objects.filter(synthetic))
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
    clear: bool = False,
    progress: bool = False,
    batch_size: int = BATCH_SIZE,
) -> GenerationResult:
    """Create a synthetic directory in one transaction and return what was made.

    ``orgs`` organizations (about 6% of them branches of others), with phones,
    1-4 types of work, partners, drafts (~5%) and hidden contacts (~5%);
    ``people`` people (default ``orgs // 10``) affiliated with them and
    ``publications`` publications (default ``orgs // 20``). The same ``seed`` gives
    the same names, slugs and places on the same database state. ``clear`` first
    deletes earlier synthetic rows; without it, new slugs are numbered after the
    existing synthetic ones. ``progress`` shows a tqdm bar on stderr. Slugs and
    ``search_text`` are computed in Python and rows are bulk-inserted in batches of
    ``batch_size``. The sample data is loaded first if it is missing.
    """
    if (
        orgs < 0
        or (people is not None and people < 0)
        or (publications is not None and publications < 0)
    ):
        raise ValueError("Counts cannot be negative.")
    people = orgs // 10 if people is None else people
    publications = orgs // 20 if publications is None else publications
    started = time.perf_counter()
    with translation.override("ru"), transaction.atomic():
        if clear:
            clear_synthetic()
        load_sample_data()
        builder = _Builder(seed=seed, batch_size=batch_size)
        total = orgs + people + publications
        with tqdm(total=total, disable=not progress, unit="row", desc="synthetic directory") as bar:
            created = builder.organizations(orgs, bar)
            phones = builder.phones_created
            partnerships = builder.partnerships()
            made_people, affiliations = builder.people(people, bar)
            made_publications = builder.publications(publications, bar)
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
    )


@dataclass
class _OrgInfo:
    pk: int
    kind: str
    name_ru: str
    name_en: str
    founded: int | None
    city: City
    may_branch: bool


class _Builder:
    def __init__(self, *, seed: int, batch_size: int):
        self.rng = random.Random(seed)
        self.batch_size = batch_size
        regions = Region.objects.in_bulk([city.slug for city in CITIES], field_name="slug")
        missing = [city.slug for city in CITIES if city.slug not in regions]
        if missing:
            raise ValueError(f"City regions missing from the database: {', '.join(missing)}")
        self.regions = regions
        self.activities = list(ActivityType.objects.order_by("slug"))
        if not self.activities:
            raise ValueError("No types of work in the database.")
        self.activity_weights = [COMMON_ACTIVITIES.get(a.slug, 1) for a in self.activities]
        self.city_weights = [city.weight for city in CITIES]
        self.org_offset = synthetic_organizations().count()
        self.person_offset = Person.objects.filter(slug__startswith=SYNTHETIC_PREFIX).count()
        self.publication_offset = Publication.objects.filter(
            slug__startswith=SYNTHETIC_PREFIX
        ).count()
        self.orgs: list[_OrgInfo] = []
        self.person_pks: list[int] = []
        self.phones_created = 0
        self.branches_created = 0

    # Small random helpers -------------------------------------------------------------

    def _pick(self, weighted):
        values, weights = zip(*weighted, strict=True)
        return self.rng.choices(values, weights)[0]

    def _city(self) -> City:
        return self.rng.choices(CITIES, self.city_weights)[0]

    def _digits(self, pattern: str) -> str:
        return "".join(str(self.rng.randrange(10)) if ch == "#" else ch for ch in pattern)

    def _phone_number(self, city: City, mobile: bool = False) -> str:
        if mobile:
            return "+7 9" + self._digits("## ###-##-##")
        local = "##-##-##" if len(city.dialing_code.split()[-1]) >= 4 else "###-##-##"
        return f"{city.dialing_code} {self._digits(local)}"

    # Organizations -----------------------------------------------------------------

    def _name(self, kind: str, city: City) -> tuple[str, str, bool]:
        """Russian and English names, and whether the name is not tied to the city."""
        city_ru, city_en = self._city_names(city)
        if kind == Organization.Kind.COMMISSION:
            ru, en = self.rng.choice(COMMISSION_NAMES)
            return ru.format(gen=city.genitive_ru, city=city_ru), en.format(city=city_en), False
        types = {
            Organization.Kind.GROUP: GROUP_TYPES,
            Organization.Kind.NGO: NGO_TYPES,
            Organization.Kind.NETWORK: NETWORK_TYPES,
            Organization.Kind.INTERNATIONAL: INTERNATIONAL_TYPES,
        }[kind]
        type_ru, type_en = self.rng.choice(types)
        if kind in (Organization.Kind.GROUP, Organization.Kind.NGO) and self.rng.random() < 0.35:
            return f"{type_ru} г. {city.genitive_ru}", f"{city_en} {type_en}", False
        quoted_ru, quoted_en = self.rng.choice(QUOTED_NAMES)
        return f"{type_ru} «{quoted_ru}»", f'{type_en} "{quoted_en}"', True

    def _city_names(self, city: City) -> tuple[str, str]:
        region = self.regions[city.slug]
        return region.name_ru, region.name_en

    def _description(self) -> tuple[str, str]:
        chosen = self.rng.sample(SENTENCES, self.rng.randint(1, 2))
        ru = " ".join([*(s[0] for s in chosen), DEMO_NOTE_RU])
        en = " ".join([*(s[1] for s in chosen), DEMO_NOTE_EN])
        return ru, en

    def _plan_org(self, index: int, parent: _OrgInfo | None):
        rng = self.rng
        if parent is None:
            kind = self._pick(KINDS)
            city = self._city()
            name_ru, name_en, may_branch = self._name(kind, city)
            founded = int(rng.triangular(1976, 2015, 1992))
        else:
            kind, may_branch = parent.kind, False
            city = self._city()
            while city is parent.city:
                city = self._city()
            city_ru, city_en = self._city_names(city)
            name_ru = f"{parent.name_ru} (отделение, {city_ru})"
            name_en = f"{parent.name_en} ({city_en} branch)"
            founded = rng.randint(max(parent.founded or 1976, 1976), 2015)
        if rng.random() < 0.08:
            founded = None
        activities = self._activities()
        description_ru, description_en = self._description()
        street_ru, street_en = rng.choice(STREETS)
        house, office = rng.randint(1, 120), rng.randint(1, 300)
        city_ru, city_en = self._city_names(city)
        handle = slug_from(name_en)[:40].strip("-")
        domain = rng.choice(EMAIL_DOMAINS)
        org = Organization(
            name_ru=name_ru,
            name_en=name_en,
            slug=f"{SYNTHETIC_PREFIX}{slug_from(name_en)[:55].strip('-')}-{index}",
            kind=kind,
            parent_id=parent.pk if parent else None,
            region=self.regions[city.slug],
            city_ru=city_ru,
            city_en=city_en,
            address_ru=f"{street_ru}, д. {house}, оф. {office}",
            address_en=f"{street_en} {house}, office {office}",
            postal_code=self._digits(city.postal_pattern),
            email=f"info@{handle}-{index}.{domain}" if rng.random() < 0.8 else "",
            website=f"https://{handle}-{index}.{domain}/" if rng.random() < 0.5 else "",
            description_ru=description_ru,
            description_en=description_en,
            founded=founded,
            status=self._pick(STATUSES),
            is_published=rng.random() >= DRAFT_SHARE,
            contacts_public=rng.random() >= HIDDEN_CONTACTS_SHARE,
            last_verified=(
                VERIFIED_FROM + datetime.timedelta(days=rng.randrange(VERIFIED_DAYS))
                if rng.random() < 0.85
                else None
            ),
        )
        org.search_text = org.build_search_text()
        phones = [Phone(number=self._phone_number(city), kind=Phone.Kind.TEL)]
        if rng.random() < 0.3:
            phones.append(Phone(number=self._phone_number(city), kind=Phone.Kind.TEL))
        if rng.random() < 0.2:
            phones.append(Phone(number=self._phone_number(city), kind=Phone.Kind.FAX))
        if city.dialing_code.startswith("+7 ") and rng.random() < 0.15:
            phones.append(
                Phone(number=self._phone_number(city, mobile=True), kind=Phone.Kind.MOBILE)
            )
        return org, city, activities, phones, may_branch

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
        plans: list = []
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

    def _insert_orgs(self, plans, bar) -> None:
        if not plans:
            return
        created = Organization.objects.bulk_create([plan[0] for plan in plans])
        through = Organization.activities.through
        links, phones = [], []
        for org, (_, city, activities, org_phones, may_branch) in zip(created, plans, strict=True):
            links.extend(through(organization_id=org.pk, activitytype_id=a.pk) for a in activities)
            for phone in org_phones:
                phone.organization_id = org.pk
                phones.append(phone)
            self.orgs.append(
                _OrgInfo(org.pk, org.kind, org.name_ru, org.name_en, org.founded, city, may_branch)
            )
        through.objects.bulk_create(links, batch_size=self.batch_size)
        Phone.objects.bulk_create(phones, batch_size=self.batch_size)
        self.phones_created += len(phones)
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
            raise ValueError("People need synthetic organizations to be affiliated with.")
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
                    biography_ru=f"{title_ru.capitalize()}, {orgs[0].name_ru}. {DEMO_PERSON_RU}",
                    biography_en=f"{title_en.capitalize()}, {orgs[0].name_en}. {DEMO_PERSON_EN}",
                    region=self.regions[orgs[0].city.slug],
                    is_published=rng.random() >= DRAFT_SHARE,
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
                title_ru = form_ru.format(topic=topics[0].name_ru)
                title_en = form_en.format(topic=topics[0].name_en)
                publisher = rng.choice(self.orgs) if self.orgs and rng.random() < 0.8 else None
                city_ru, city_en = self._city_names(publisher.city if publisher else self._city())
                publication = Publication(
                    title_ru=title_ru,
                    title_en=title_en,
                    slug=f"{SYNTHETIC_PREFIX}{slug_from(title_en)[:55].strip('-')}-{index}",
                    year=rng.randint(1990, 2016),
                    city_ru=city_ru,
                    city_en=city_en,
                    language=rng.choices(("ru", "en"), (4, 1))[0],
                    pages=rng.randint(16, 400),
                    publisher_id=publisher.pk if publisher else None,
                    description_ru=DEMO_PUBLICATION_RU,
                    description_en=DEMO_PUBLICATION_EN,
                    status=rng.choices(
                        (Publication.Status.PUBLISHED, Publication.Status.PLANNED), (19, 1)
                    )[0],
                    is_published=rng.random() >= DRAFT_SHARE,
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
