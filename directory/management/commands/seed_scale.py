"""National-scale synthetic data (SPEC §7): companies, experts, organisations, with bulk inserts.

    manage.py seed_scale --companies 100000 --experts 20000 --organisations 1000 --seed 1

Names, bios and places come from word lists (reference specialties and their keywords, JSIC
industries, prefectures and cities), so search and recommendation meet realistic text. The same
--seed gives the same data. Every 法人番号 has a valid check digit. Accounts get an unusable
password: nobody can log in as a synthetic person.
"""

import random
import time
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts.models import RoleGrant, User
from accounts.roles import Role
from companies.models import Company, Membership
from core.validators import corporate_number_check_digit
from directory import search
from directory.models import ExpertProfile, ExpertQualification, ExpertStats, Organisation
from reference.models import Industry, Prefecture, Qualification, Specialty

BATCH = 2000

SURNAMES = [
    ("佐藤", "さとう"), ("鈴木", "すずき"), ("高橋", "たかはし"), ("田中", "たなか"), ("伊藤", "いとう"),
    ("渡辺", "わたなべ"), ("山本", "やまもと"), ("中村", "なかむら"), ("小林", "こばやし"), ("加藤", "かとう"),
    ("吉田", "よしだ"), ("山田", "やまだ"), ("佐々木", "ささき"), ("山口", "やまぐち"), ("松本", "まつもと"),
    ("井上", "いのうえ"), ("木村", "きむら"), ("林", "はやし"), ("斎藤", "さいとう"), ("清水", "しみず"),
    ("山崎", "やまざき"), ("森", "もり"), ("池田", "いけだ"), ("橋本", "はしもと"), ("阿部", "あべ"),
    ("石川", "いしかわ"), ("山下", "やました"), ("中島", "なかじま"), ("石井", "いしい"), ("小川", "おがわ"),
    ("前田", "まえだ"), ("岡田", "おかだ"), ("長谷川", "はせがわ"), ("藤田", "ふじた"), ("後藤", "ごとう"),
    ("近藤", "こんどう"), ("村上", "むらかみ"), ("遠藤", "えんどう"), ("青木", "あおき"), ("坂本", "さかもと"),
    ("金子", "かねこ"), ("藤井", "ふじい"), ("西村", "にしむら"), ("福田", "ふくだ"), ("太田", "おおた"),
    ("三浦", "みうら"), ("岡本", "おかもと"), ("松田", "まつだ"), ("中川", "なかがわ"), ("比嘉", "ひが"),
]
GIVEN_NAMES = [
    ("太郎", "たろう"), ("一郎", "いちろう"), ("健", "けん"), ("大輔", "だいすけ"), ("直樹", "なおき"),
    ("浩二", "こうじ"), ("誠", "まこと"), ("翔太", "しょうた"), ("拓也", "たくや"), ("和也", "かずや"),
    ("修", "おさむ"), ("隆", "たかし"), ("花子", "はなこ"), ("恵子", "けいこ"), ("由美", "ゆみ"),
    ("美穂", "みほ"), ("真理子", "まりこ"), ("陽子", "ようこ"), ("彩", "あや"), ("麻衣", "まい"),
    ("智子", "ともこ"), ("裕子", "ゆうこ"), ("さくら", "さくら"), ("優子", "ゆうこ"), ("明美", "あけみ"),
]
CITIES = {
    "01": ["札幌市", "旭川市", "函館市", "帯広市"], "04": ["仙台市", "石巻市"], "13": ["千代田区", "新宿区", "八王子市", "世田谷区"],
    "14": ["横浜市", "川崎市", "相模原市"], "23": ["名古屋市", "豊田市", "岡崎市"], "26": ["京都市", "宇治市"],
    "27": ["大阪市", "堺市", "東大阪市"], "28": ["神戸市", "姫路市"], "34": ["広島市", "福山市"], "40": ["福岡市", "北九州市", "久留米市"],
    "47": ["那覇市", "沖縄市"],
}
COMPANY_STEMS = ["山田", "大和", "富士", "みどり", "あおば", "さくら", "ひかり", "東洋", "中央", "丸三", "北斗", "南海", "若葉", "松竹"]
COMPANY_KINDS = [
    ("製作所", "せいさくしょ"), ("商店", "しょうてん"), ("工業", "こうぎょう"), ("食品", "しょくひん"), ("建設", "けんせつ"),
    ("物産", "ぶっさん"), ("企画", "きかく"), ("旅館", "りょかん"), ("食堂", "しょくどう"), ("運輸", "うんゆ"),
]
STEM_KANA = {"山田": "やまだ", "大和": "やまと", "富士": "ふじ", "みどり": "みどり", "あおば": "あおば", "さくら": "さくら",
             "ひかり": "ひかり", "東洋": "とうよう", "中央": "ちゅうおう", "丸三": "まるさん", "北斗": "ほくと",
             "南海": "なんかい", "若葉": "わかば", "松竹": "しょうちく"}
BIO_SENTENCES = [
    "{industry}の{kw}を中心に支援しています。",
    "{place}を拠点に、{kw}と{kw2}の相談に対応します。",
    "これまで{n}社以上の{industry}で{kw}に取り組んできました。",
    "{kw}の進め方を、事業者の方と一緒に考えます。",
    "小規模事業者の{kw2}について、具体的な手順までお伝えします。",
    "{specialty}の分野で、現場に合った改善を提案します。",
]
HEADLINES = ["{kw}で売上を伸ばす", "{specialty}の実務家", "{industry}専門の{kw}支援", "{place}の{kw}相談"]
CAREERS = ["{industry}の企業で{n}年勤務した後、独立。", "金融機関で{n}年、融資と{kw}を担当。", "{place}の商工会で経営指導員として{n}年。"]
ORG_KINDS = [
    (Organisation.Kind.SHOKOKAI, "{city}商工会"), (Organisation.Kind.CCI, "{city}商工会議所"),
    (Organisation.Kind.FINANCIAL, "{pref}信用金庫 {city}支店"), (Organisation.Kind.PROFESSIONAL, "{city}税理士会"),
    (Organisation.Kind.SME_CENTER, "{pref}中小企業支援センター"), (Organisation.Kind.OTHER, "{city}観光協会"),
]
QUALIFICATION_BY_SPECIALTY = {
    "資金繰り・財務": ["税理士", "公認会計士", "中小企業診断士"], "人材・労務": ["社会保険労務士"], "法務": ["弁護士", "行政書士", "司法書士"],
    "知的財産": ["弁理士"], "IT・Web活用": ["ITコーディネータ", "情報処理技術者", "ウェブデザイン技能士"], "海外展開": ["貿易アドバイザー"],
}
BASE_TIME = datetime(2026, 4, 1, 9, 0, tzinfo=dt_timezone.utc)


class Command(BaseCommand):
    help = "全国規模の合成データ（事業者・専門家・支援機関）を一括投入します。"

    def add_arguments(self, parser):
        parser.add_argument("--companies", type=int, default=1000)
        parser.add_argument("--experts", type=int, default=200)
        parser.add_argument("--organisations", type=int, default=100)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        seed = options["seed"]
        if User.objects.filter(email__startswith=f"seed{seed}-").exists():
            raise CommandError(f"seed {seed} のデータは投入済みです。別の --seed を指定してください。")
        self.rng = random.Random(seed)
        self.prefix = f"seed{seed}-"
        self.password = make_password(None)  # unusable, hashed once
        self.prefectures = list(Prefecture.objects.order_by("code"))
        self.industries = list(Industry.objects.select_related("parent").exclude(code="I").order_by("sort_key"))
        self.specialties = list(Specialty.objects.filter(is_active=True).order_by("sort_order", "pk"))
        if not self.prefectures or not self.specialties:
            raise CommandError("reference data (prefectures, specialties) is missing: run `manage.py migrate` first")
        self.qualifications = {q.name: q for q in Qualification.objects.all()}
        started = time.monotonic()
        for label, count, step in [
            ("organisations", options["organisations"], self.make_organisations),
            ("companies", options["companies"], self.make_companies),
            ("experts", options["experts"], self.make_experts),
        ]:
            t0 = time.monotonic()
            for start in range(0, count, BATCH):
                with transaction.atomic():
                    step(start, min(BATCH, count - start))
            self.stdout.write(f"{label}: {count} in {time.monotonic() - t0:.1f}s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics after a bulk load (both databases)
        self.stdout.write(self.style.SUCCESS(f"done in {time.monotonic() - started:.1f}s"))

    # --- helpers ----------------------------------------------------------------------------------

    def person(self):
        (sur, sur_kana), (given, given_kana) = self.rng.choice(SURNAMES), self.rng.choice(GIVEN_NAMES)
        return f"{sur} {given}", f"{sur_kana} {given_kana}"

    def city(self, prefecture):
        cities = CITIES.get(prefecture.code) or [prefecture.name.rstrip("都道府県") + "市"]
        return self.rng.choice(cities)

    def users(self, kind, start, count):
        users = []
        self.spaced_names = {}
        for n in range(start, start + count):
            name, kana = self.person()
            self.spaced_names[f"{self.prefix}{kind}{n}@example.jp"] = name
            users.append(User(
                email=f"{self.prefix}{kind}{n}@example.jp", name=name.replace(" ", ""), name_kana=kana,
                password=self.password, email_verified_at=BASE_TIME,
            ))
        User.objects.bulk_create(users, batch_size=BATCH)  # sets pks (PostgreSQL, SQLite >= 3.35)
        return users

    # --- organisations ----------------------------------------------------------------------------

    def make_organisations(self, start, count):
        rows = []
        for n in range(start, start + count):
            prefecture = self.prefectures[n % len(self.prefectures)]
            if n < len(self.prefectures):  # one よろず支援拠点 per prefecture first
                kind, name = Organisation.Kind.YOROZU, f"{prefecture.name}よろず支援拠点"
            else:
                kind, pattern = self.rng.choice(ORG_KINDS)
                name = pattern.format(city=self.city(prefecture), pref=prefecture.name.rstrip("都道府県"))
                name = f"{name}（{n}）"
            rows.append(Organisation(
                name=name, kind=kind, prefecture=prefecture, municipality=self.city(prefecture),
                channel_phone=self.rng.random() < 0.6, channel_web=self.rng.random() < 0.4,
            ))
        Organisation.objects.bulk_create(rows, batch_size=BATCH)

    # --- companies --------------------------------------------------------------------------------

    def corporate_number(self, n):
        body = f"{(7_000_000_000 + self.seed_offset() + n * 7919) % 10**12:012d}"
        return f"{corporate_number_check_digit(body)}{body}"

    def seed_offset(self):
        if not hasattr(self, "_offset"):
            self._offset = self.rng.randrange(10**9)
        return self._offset

    def make_companies(self, start, count):
        owners = self.users("sme", start, count)
        companies = []
        for n, owner in zip(range(start, start + count), owners):
            industry = self.rng.choice(self.industries)
            prefecture = self.rng.choice(self.prefectures)
            stem, (kind, kind_kana) = self.rng.choice(COMPANY_STEMS), self.rng.choice(COMPANY_KINDS)
            corporation = self.rng.random() < 0.7
            company = Company(
                legal_form=Company.LegalForm.CORPORATION if corporation else Company.LegalForm.SOLE,
                corporate_number=self.corporate_number(n) if corporation else "",
                name=("株式会社" if corporation else "") + stem + kind,
                name_kana=("かぶしきがいしゃ" if corporation else "") + STEM_KANA[stem] + kind_kana,
                representative=owner.name, industry=industry, prefecture=prefecture,
                municipality=self.city(prefecture), address=f"{self.rng.randint(1, 9)}-{self.rng.randint(1, 30)}-{self.rng.randint(1, 20)}",
                capital=self.rng.choice([1_000_000, 3_000_000, 10_000_000, 50_000_000, 300_000_000]) if corporation else None,
                employees=int(self.rng.paretovariate(1.2)) + self.rng.randint(0, 5),
            )
            company.compute_sme_status()
            companies.append(company)
        Company.objects.bulk_create(companies, batch_size=BATCH)
        Membership.objects.bulk_create(
            [Membership(company=c, user=u, role=Membership.Role.OWNER) for c, u in zip(companies, owners)], batch_size=BATCH
        )
        RoleGrant.objects.bulk_create(
            [RoleGrant(user=u, role=Role.SME, status=RoleGrant.Status.APPROVED) for u in owners], batch_size=BATCH
        )

    # --- experts ----------------------------------------------------------------------------------

    def words(self, specialties):
        keywords = [kw for s in specialties for kw in s.keywords.split()] or ["経営改善"]
        return keywords

    def fill(self, pattern, specialties, industries, place):
        keywords = self.words(specialties)
        return pattern.format(
            kw=self.rng.choice(keywords), kw2=self.rng.choice(keywords), specialty=specialties[0].name,
            industry=(industries[0].name if industries else "中小企業"), place=place, n=self.rng.randint(3, 30),
        )

    def make_experts(self, start, count):
        users = self.users("expert", start, count)
        profiles, links = [], []
        for user in users:
            base = self.rng.choice(self.prefectures)
            specialties = self.rng.sample(self.specialties, self.rng.choice([1, 1, 2, 2, 3]))
            industries = self.rng.sample(self.industries, self.rng.choice([0, 1, 1, 2, 3]))
            neighbours = [p for p in self.prefectures if p.bureau_id == base.bureau_id and p != base]
            areas = [base] + self.rng.sample(neighbours, min(len(neighbours), self.rng.choice([0, 1, 2, 3])))
            place = f"{base.name}{self.city(base)}"
            roll = self.rng.random()
            status = ExpertProfile.Status.APPROVED if roll < 0.9 else (
                ExpertProfile.Status.PENDING if roll < 0.97 else ExpertProfile.Status.REJECTED)
            sentences = self.rng.sample(BIO_SENTENCES, 3)
            profiles.append(ExpertProfile(
                user=user, display_name=self.spaced_names[user.email], display_name_kana=user.name_kana,
                headline=self.fill(self.rng.choice(HEADLINES), specialties, industries, place),
                bio="".join(self.fill(s, specialties, industries, place) for s in sentences),
                career=self.fill(self.rng.choice(CAREERS), specialties, industries, place),
                base_prefecture=base, status=status, approved_at=BASE_TIME if status == "approved" else None,
            ))
            links.append((specialties, industries, areas))
        ExpertProfile.objects.bulk_create(profiles, batch_size=BATCH)
        through = ExpertProfile.specialties.through, ExpertProfile.industries.through, ExpertProfile.areas.through
        rows = ([], [], [])
        qualifications, stats, grants = [], [], []
        for profile, (specialties, industries, areas) in zip(profiles, links):
            pk = profile.pk
            rows[0].extend(through[0](expertprofile_id=pk, specialty_id=s.pk) for s in specialties)
            rows[1].extend(through[1](expertprofile_id=pk, industry_id=i.pk) for i in industries)
            rows[2].extend(through[2](expertprofile_id=pk, prefecture_id=p.pk) for p in areas)
            names = {"中小企業診断士"} if self.rng.random() < 0.4 else set()
            for s in specialties:
                options = QUALIFICATION_BY_SPECIALTY.get(s.name)
                if options and self.rng.random() < 0.6:
                    names.add(self.rng.choice(options))
            qualifications.extend(
                ExpertQualification(expert_id=pk, qualification=self.qualifications[name],
                                    verified_at=BASE_TIME if self.rng.random() < 0.7 else None)
                for name in sorted(names)
            )
            done = int(self.rng.paretovariate(1.5)) - 1 if self.rng.random() < 0.7 else 0
            count_ratings = min(done, self.rng.randint(0, done)) if done else 0
            total = sum(self.rng.choice([3, 4, 4, 5, 5]) for _ in range(count_ratings))
            stats.append(ExpertStats(
                expert_id=pk, dispatches_completed=done, open_dispatches=self.rng.choice([0, 0, 0, 1, 2]),
                rating_sum=total, rating_count=count_ratings, rating_average=(total / count_ratings) if count_ratings else None,
                last_activity_at=(BASE_TIME + timedelta(days=self.rng.randint(0, 200))) if done else None,
            ))
            grants.append(RoleGrant(user_id=profile.user_id, role=Role.EXPERT, status=(
                RoleGrant.Status.APPROVED if profile.status == "approved" else RoleGrant.Status.PENDING)))
        for model_rows, model in zip(rows, through):
            model.objects.bulk_create(model_rows, batch_size=BATCH)
        ExpertQualification.objects.bulk_create(qualifications, batch_size=BATCH)
        ExpertStats.objects.bulk_create(stats, batch_size=BATCH)
        RoleGrant.objects.bulk_create(grants, batch_size=BATCH)
        # The search index in bulk, from the objects already in memory (no per-expert queries).
        qual_names = {}
        for q in qualifications:
            qual_names.setdefault(q.expert_id, []).append(q.qualification.name)
        search_docs = [
            search.make_document(p, [s.name for s in sp], [i.name for i in ind], qual_names.get(p.pk, []))
            for p, (sp, ind, _areas) in zip(profiles, links)
        ]
        search.ExpertSearchDoc.objects.bulk_create(search_docs, batch_size=BATCH)
