"""Demo data for `make run`: every role, realistic Japanese data. Safe to run again."""

import base64
import io
import random

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image, ImageDraw

from accounts.models import RoleGrant, User
from accounts.roles import Role
from companies.models import Company, Membership
from core import demo_data
from directory.models import BankAccount, ExpertProfile, ExpertQualification, Organisation
from directory.search import build_documents
from desk.demo import load_demo_desk
from dispatch.demo import load_demo_dispatches
from governance.demo import load_demo_governance
from intake.demo import load_demo_requests
from notifications.demo_inbound import load_demo_mailin
from payments.demo import load_demo_payments
from reports.demo import load_demo_reports
from visits.demo import load_demo_visits
from reference.models import Bureau, Industry, Prefecture, Qualification, Specialty

PASSWORD = "yorozu-demo-2026"
# Fixed TOTP keys so demo staff can log in: `manage.py demo_otp EMAIL` prints the current code.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"

LOGINS = [
    # email, name, kana, role, organisation name or bureau code
    ("sme@demo.yorozu.jp", "中小 太郎", "ちゅうしょう たろう", Role.SME, None),
    ("expert@demo.yorozu.jp", "専門家 次郎", "せんもんか じろう", Role.EXPERT, None),
    ("coordinator@demo.yorozu.jp", "相談 花子", "そうだん はなこ", Role.COORDINATOR, "東京都よろず支援拠点"),
    ("chief@demo.yorozu.jp", "統括 一郎", "とうかつ いちろう", Role.CHIEF, "東京都よろず支援拠点"),
    ("shidoin@demo.yorozu.jp", "指導 三郎", "しどう さぶろう", Role.COORDINATOR, "府中市商工会"),
    ("secretariat@demo.yorozu.jp", "事務 局子", "じむ きょくこ", Role.SECRETARIAT, None),
    ("bureau@demo.yorozu.jp", "関東 経産", "かんとう けいさん", Role.BUREAU, "kanto"),
    ("hq@demo.yorozu.jp", "本部 全国", "ほんぶ ぜんこく", Role.HQ, None),
    ("desk@demo.yorozu.jp", "窓口 四郎", "まどぐち しろう", Role.DESK, "東京都商工会連合会"),
    ("admin@demo.yorozu.jp", "管理 者", "かんり しゃ", Role.ADMIN, None),
]
# Created by the reports demo (a second SME with a certified case).
EXTRA_LOGINS = [("sme2@demo.yorozu.jp", "はな美容室の事業者", Role.SME)]


def placeholder_photo(seed, label):
    """A plain portrait placeholder (no real person's face in demo data)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (320, 320), (rng.randint(150, 220), rng.randint(150, 220), rng.randint(170, 230)))
    draw = ImageDraw.Draw(image)
    draw.ellipse((100, 50, 220, 170), fill=(245, 230, 215))
    draw.rounded_rectangle((60, 180, 260, 330), radius=60, fill=(60, 70, 110))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return ContentFile(out.getvalue(), name=f"demo-{label}.jpg")


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true")

    @transaction.atomic
    def handle(self, *args, **options):
        now = timezone.now()
        orgs = self.organisations()
        users = self.logins(orgs, now)
        self.experts(users, now)
        build_documents()  # demo experts are created directly, so index them for the expert search
        self.companies(users)
        load_demo_requests()  # intake: expert requests in every state
        load_demo_dispatches()  # consultations and dispatch cases in every state
        load_demo_visits()  # the day of support: check-in ready, evidence complete, a declaration needed
        load_demo_reports()  # reported and certified cases (support report, certification, evaluation)
        load_demo_mailin()  # legacy mails: matched time reports/photo/consent and some for the inbox
        load_demo_payments()  # an open and a paid payment batch
        load_demo_desk()  # the online desk of a 商工会連合会: shifts, bookings, a walk-in
        load_demo_governance()  # centre plans, targets, activities, surveys
        if not options["quiet"]:
            self.print_logins()

    def organisations(self):
        orgs = {}
        for name, kind, pref, city, address, phone, (person, phone_ch, web) in demo_data.ORGANISATIONS:
            orgs[name], _ = Organisation.objects.update_or_create(
                name=name,
                defaults=dict(
                    kind=kind, prefecture_id=pref, municipality=city, address=address, phone=phone,
                    channel_in_person=person, channel_phone=phone_ch, channel_web=web,
                    hours="平日 9:00〜17:00", handles_dispatch=kind != "shokokai_fed",
                ),
            )
        return orgs

    def logins(self, orgs, now):
        users = {}
        for email, name, kana, role, where in LOGINS:
            user, created = User.objects.get_or_create(
                email=email, defaults={"name": name, "name_kana": kana, "email_verified_at": now}
            )
            if created:
                user.set_password(PASSWORD)
                user.save(update_fields=["password"])
            org = orgs.get(where) if where else None
            bureau = Bureau.objects.get(code=where) if role == Role.BUREAU else None
            RoleGrant.objects.update_or_create(
                user=user, role=role, organisation=org,
                defaults={"bureau": bureau, "status": RoleGrant.Status.APPROVED, "decided_at": now},
            )
            if role == Role.ADMIN:
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
            if role in (Role.COORDINATOR, Role.CHIEF, Role.SECRETARIAT, Role.BUREAU, Role.HQ, Role.DESK, Role.ADMIN):
                TOTPDevice.objects.get_or_create(user=user, name="demo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True})
            users[role] = user
        # The demo expert is also an online-desk consultant (several roles per person).
        RoleGrant.objects.get_or_create(
            user=users[Role.EXPERT], role=Role.DESK, organisation=orgs["東京都商工会連合会"],
            defaults={"status": RoleGrant.Status.APPROVED, "decided_at": now},
        )
        # As a desk consultant the demo expert holds a staff role, so it needs a second factor too.
        TOTPDevice.objects.get_or_create(
            user=users[Role.EXPERT], name="demo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
        )
        return users

    def experts(self, users, now):
        specialties = {s.name: s for s in Specialty.objects.all()}
        qualifications = {q.name: q for q in Qualification.objects.all()}
        industries = list(Industry.objects.filter(parent=None).exclude(code__in=["S", "T"]))
        prefectures = list(Prefecture.objects.all())
        home_prefs = ["13", "27", "40", "01", "23", "04", "14", "11"]
        rng = random.Random(2026)
        for index, (family, given, kana) in enumerate(demo_data.EXPERT_NAMES):
            email = "expert@demo.yorozu.jp" if index == 0 else f"expert{index:02d}@demo.yorozu.jp"
            name = "専門家 次郎" if index == 0 else f"{family} {given}"
            user, created = User.objects.get_or_create(
                email=email, defaults={"name": name, "name_kana": kana, "email_verified_at": now}
            )
            if created:
                user.set_password(PASSWORD)
                user.save(update_fields=["password"])
            headline, specs, quals, bio, career = demo_data.EXPERT_PROFILES[index % len(demo_data.EXPERT_PROFILES)]
            base = home_prefs[index % len(home_prefs)]
            status = ExpertProfile.Status.PENDING if index in (31, 32) else ExpertProfile.Status.APPROVED
            expert, created = ExpertProfile.objects.get_or_create(
                user=user,
                defaults=dict(
                    display_name=name, display_name_kana=kana if index else "せんもんか じろう",
                    headline=headline, bio=bio, career=career, base_prefecture_id=base,
                    is_corporation=index % 9 == 4, status=status,
                    approved_at=now if status == ExpertProfile.Status.APPROVED else None,
                    invoice_number="T1010001000006" if index % 3 == 0 else "",
                ),
            )
            RoleGrant.objects.update_or_create(
                user=user, role=Role.EXPERT, organisation=None,
                defaults={"status": RoleGrant.Status.APPROVED if status == "approved" else RoleGrant.Status.PENDING},
            )
            if not created:
                continue
            expert.photo.save(f"demo-{index}.jpg", placeholder_photo(index, index), save=True)
            expert.specialties.set([specialties[s] for s in specs])
            expert.industries.set(rng.sample(industries, 3))
            areas = {base} | {p.code for p in rng.sample(prefectures, 2)}
            expert.areas.set(Prefecture.objects.filter(code__in=areas))
            for q in quals:
                ExpertQualification.objects.create(
                    expert=expert, qualification=qualifications[q], verified_at=now if index % 2 == 0 else None
                )
            BankAccount.objects.create(
                expert=expert, bank_code="0001", bank_name="みずほ", branch_code="001", branch_name="東京営業部",
                account_number=f"{1000000 + index:07d}", holder_kana=_katakana(kana),
            )

    def companies(self, users):
        members = [users[Role.SME]]
        for index, (name, kana, form, number, industry, pref, city, address, capital, employees) in enumerate(
            demo_data.COMPANIES
        ):
            company, created = Company.objects.get_or_create(
                name=name,
                defaults=dict(
                    legal_form=form, corporate_number=number, name_kana=kana, representative=f"代表 {index + 1}郎",
                    industry=Industry.objects.get(code=industry), prefecture_id=pref, municipality=city,
                    address=address, capital=capital, employees=employees,
                ),
            )
            if created:
                company.compute_sme_status()
                company.save(update_fields=["is_sme", "is_small_business"])
            if index == 0:
                Membership.objects.get_or_create(company=company, user=members[0], defaults={"role": "owner"})

    def print_logins(self):
        self.stdout.write("\nデモ用ログイン（パスワードはすべて %s）" % PASSWORD)
        for email, name, _, role, where in LOGINS:
            self.stdout.write(f"  {role.label:<14} {email:<32} {name}{'（' + where + '）' if where else ''}")
        for email, name, role in EXTRA_LOGINS:
            if User.objects.filter(email=email).exists():
                self.stdout.write(f"  {role.label:<14} {email:<32} {name}")
        self.stdout.write(
            "職員（中小企業者・専門家以外）は2段階認証があります。確認コードは\n"
            "  .venv/bin/python manage.py demo_otp <メールアドレス>\nで表示されます。\n"
        )


def _katakana(kana):
    import jaconv

    return jaconv.hira2kata(kana).replace(" ", "　")


def totp_secret_b32():
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()
