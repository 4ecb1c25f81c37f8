"""factory_boy factories; data is realistic enough to read in a failing test."""

import factory
from django.utils import timezone

from accounts.models import RoleGrant, User
from accounts.roles import Role
from companies.models import Company, Membership
from directory.models import ExpertProfile, Organisation
from reference.models import Industry, Prefecture, Specialty

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.jp")
    name = factory.Sequence(lambda n: f"利用者{n}")
    name_kana = "りようしゃ"
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


def grant(user, role, organisation=None, bureau=None, status=RoleGrant.Status.APPROVED):
    RoleGrant.objects.create(user=user, role=role, organisation=organisation, bureau=bureau, status=status)
    user.forget_roles()
    return user


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"テスト県よろず支援拠点{n}")
    kind = Organisation.Kind.YOROZU
    prefecture = factory.LazyFunction(lambda: Prefecture.objects.get(code="13"))


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        skip_postgeneration_save = True

    legal_form = Company.LegalForm.CORPORATION
    corporate_number = ""
    name = factory.Sequence(lambda n: f"株式会社テスト商事{n}")
    name_kana = "かぶしきがいしゃてすとしょうじ"
    representative = "山田太郎"
    industry = factory.LazyFunction(lambda: Industry.objects.get(code="E"))
    prefecture = factory.LazyFunction(lambda: Prefecture.objects.get(code="13"))
    municipality = "千代田区"
    address = "霞が関1-3-1"
    capital = 10_000_000
    employees = 12

    @factory.post_generation
    def sme(obj, create, extracted, **kwargs):
        obj.compute_sme_status()
        if create:
            obj.save()


def company_with_member(user=None, **kwargs):
    user = user or grant(UserFactory(), Role.SME)
    company = CompanyFactory(**kwargs)
    Membership.objects.create(company=company, user=user, role=Membership.Role.OWNER)
    return company, user


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"専門家{n}")
    display_name_kana = "せんもんか"
    bio = "Web集客と販路開拓を支援します。"
    base_prefecture = factory.LazyFunction(lambda: Prefecture.objects.get(code="13"))
    status = ExpertProfile.Status.APPROVED

    @factory.post_generation
    def setup(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.specialties.set(Specialty.objects.filter(name="IT・Web活用"))
        obj.areas.set(Prefecture.objects.filter(code__in=["13", "14"]))
        status = (
            RoleGrant.Status.APPROVED if obj.status == ExpertProfile.Status.APPROVED else RoleGrant.Status.PENDING
        )
        grant(obj.user, Role.EXPERT, status=status)
        from directory.search import reindex_expert

        reindex_expert(obj.pk)  # what directory.actions does after every profile change
