"""Organizations that are awkward in a file, added to the shared world (tests/pages_data.py).

A leading-zero postal code, a ``+`` phone, formula-like names and email, a name in
Cyrillic only, a line break in the address, a published branch with its parent, and
partners: every one a value a CSV reader, a spreadsheet or a schema could get wrong.
"""

from dataclasses import dataclass

from directory.models import Organization, Region
from tests.factories import OrganizationFactory, PhoneFactory, RegionFactory
from tests.pages_data import World

FORMULA_NAME = "=1+2"
FORMULA_NAME_EN = '=HYPERLINK("https://example.org/","x")'
PLUS_PHONE = "+7 095 206-81-71"
KYIV_POSTAL_CODE = "01001"
CYRILLIC_ONLY = "Киевская правозащитная группа «Ёлка»"
TWO_LINE_ADDRESS_RU = "ул. Крещатик, 1\nкв. 2"
PLUS_EMAIL = "+news@example.org"


@dataclass
class Awkward:
    kyiv: Region
    cyrillic: Organization
    formula: Organization
    branch: Organization


def add_awkward(world: World) -> Awkward:
    ukraine = RegionFactory(name_ru="Украина", name_en="Ukraine", kind=Region.Kind.COUNTRY)
    kyiv = RegionFactory(name_ru="Киев", name_en="Kyiv", parent=ukraine, kind=Region.Kind.CITY)
    cyrillic = OrganizationFactory(
        name_ru=CYRILLIC_ONLY,
        name_en="",
        region=kyiv,
        postal_code=KYIV_POSTAL_CODE,
        address_ru=TWO_LINE_ADDRESS_RU,
        activities=[world.legal, world.monitoring],
    )
    PhoneFactory(organization=cyrillic, number="+380 44 123-45-67")
    formula = OrganizationFactory(
        name_ru=FORMULA_NAME,
        name_en=FORMULA_NAME_EN,
        region=world.moscow_oblast,
        email=PLUS_EMAIL,
        founded=1989,
    )
    PhoneFactory(organization=formula, number=PLUS_PHONE)
    PhoneFactory(organization=formula, number="-5 fax", kind="fax")
    formula.partners.add(world.org, cyrillic)
    branch = OrganizationFactory(
        name_ru="Отделение МХГ в Подольске",
        name_en="MHG Podolsk branch",
        region=world.city,
        parent=world.org,
    )
    return Awkward(kyiv, cyrillic, formula, branch)
