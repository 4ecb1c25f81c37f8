import pytest

from directory.models import Organisation
from reference.models import Prefecture
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "prefecture, bureau",
    [("13", "関東経済産業局"), ("15", "関東経済産業局"), ("27", "近畿経済産業局"), ("18", "近畿経済産業局"),
     ("23", "中部経済産業局"), ("47", "沖縄総合事務局"), ("01", "北海道経済産業局")],
)
def test_organisation_bureau_follows_its_prefecture(prefecture, bureau):
    org = factories.OrganisationFactory(prefecture=Prefecture.objects.get(code=prefecture))
    assert org.bureau.name == bureau


def test_organisation_lists_its_consultation_channels():
    org = factories.OrganisationFactory(channel_in_person=True, channel_phone=False, channel_web=True)
    assert org.channels() == ["対面", "Web会議"]
    assert org.handles_dispatch and org.get_kind_display() == "よろず支援拠点"
    assert Organisation.Kind.CCI.label == "商工会議所"
