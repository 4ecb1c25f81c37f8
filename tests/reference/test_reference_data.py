import pytest

from reference.banks import lookup_bank, lookup_branch
from reference.models import Bureau, Industry, Prefecture, Qualification, Specialty

pytestmark = pytest.mark.django_db


def test_47_prefectures_with_jis_codes():
    codes = list(Prefecture.objects.values_list("code", flat=True))
    assert codes == [f"{n:02d}" for n in range(1, 48)]
    assert Prefecture.objects.get(code="13").name == "東京都"
    assert Prefecture.objects.get(code="47").name == "沖縄県"


@pytest.mark.parametrize(
    "bureau, count, sample",
    [("hokkaido", 1, "北海道"), ("tohoku", 6, "宮城県"), ("kanto", 11, "新潟県"), ("chubu", 5, "愛知県"),
     ("kinki", 7, "福井県"), ("chugoku", 5, "広島県"), ("shikoku", 4, "香川県"), ("kyushu", 7, "福岡県"),
     ("okinawa", 1, "沖縄県")],
)
def test_each_bureau_has_its_prefectures(bureau, count, sample):
    names = set(Bureau.objects.get(code=bureau).prefectures.values_list("name", flat=True))
    assert len(names) == count and sample in names


def test_jsic_major_divisions_a_to_t():
    majors = Industry.objects.filter(parent=None).values_list("code", flat=True)
    assert sorted(majors) == [chr(c) for c in range(ord("A"), ord("T") + 1)]
    # I (卸売業，小売業) has no sector of its own; its middle divisions do
    assert Industry.objects.get(code="I").sme_sector == ""
    sectors = set(Industry.objects.filter(parent__code="I").values_list("sme_sector", flat=True))
    assert sectors == {"W", "R"}


def test_qualifications_from_seed_002_are_present():
    names = set(Qualification.objects.values_list("name", flat=True))
    for name in ["中小企業診断士", "税理士", "社会保険労務士", "ITコーディネータ", "ウェブデザイン技能士", "その他"]:
        assert name in names


def test_specialty_taxonomy_is_present():
    names = set(Specialty.objects.values_list("name", flat=True))
    assert {"経営戦略", "IT・Web活用", "事業承継", "BCP・防災"} <= names


@pytest.mark.parametrize(
    "bank, branch, bank_name, branch_name",
    [("0001", "001", "みずほ", "東京営業部"), ("0005", "001", "三菱ＵＦＪ", "本店")],
)
def test_zengin_codes(bank, branch, bank_name, branch_name):
    assert lookup_bank(bank)["name"] == bank_name
    assert lookup_branch(bank, branch)["name"] == branch_name
    assert lookup_bank("0009")["name"] == "三井住友"


def test_unknown_codes_are_none():
    assert lookup_bank("9998") is None
    assert lookup_branch("0001", "999") is None
    assert lookup_branch("../x", "001") is None
