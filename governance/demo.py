"""Demo data for centre governance: this year's policy and plans, a year of activity at the demo
centres (consultations, network activities, surveys, follow-ups), HQ's visit, trainings, staff
qualifications, and last year's ratings. Safe to run again (skips what is there)."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import RoleGrant, User
from accounts.roles import Role
from companies.models import Company
from consultations.models import Consultation
from core.dates import fiscal_year, fiscal_year_range
from directory.models import Organisation
from reference.models import Qualification, Specialty

from . import aggregates
from .models import (
    ActivityPolicy, CentrePlan, FocusArea, FollowUp, HQVisit, NetworkActivity, OrgEvaluation, Rating, StaffQualification,
    Survey, Training, TrainingAttendance, VisitFollowUp, hash_token,
)
from .years import governance_year_for

POLICY = """1. 相談対応の質の向上：相談者の課題を的確に把握し、解決までの道筋を示す。継続相談は期限を決めてフォローする。
2. 成果の重視：課題解決件数と、3・6・12か月後の成果（売上・従業員・新規顧客）を把握し、支援の改善につなげる。
3. 地域の支援機関との連携：商工会・商工会議所・金融機関に加え、商店街振興組合や観光協会とも連携し、紹介を結果まで確認する。
4. 重点分野の設定：地域の中小企業の実状を分析し、事業承継・DX・創業など重点的に取り組む分野と目標を定める。
5. 人材育成：全国研修・ブロック研修・OJT研修で、コーディネーターの支援スキルを高める。"""

PLANS = {
    # centre: (needs analysis, plan, targets (consultations, visitors, solved, network), focus areas, status)
    "東京都よろず支援拠点": (
        "都内の小規模事業者は飲食・小売・サービス業が多く、人手不足とデジタル化の遅れ、後継者不在の相談が増えている。"
        "多摩地域では商工会経由の相談が多く、区部では創業相談が多い。",
        "区部は創業とDX、多摩地域は商工会と連携した事業承継を重点に支援する。金融機関との合同相談会を毎月開く。",
        (620, 160, 170, 70), [("事業承継", ["事業承継"], 60), ("DX・IT活用", ["IT・Web活用"], 90)], "confirmed"),
    "大阪府よろず支援拠点": (
        "製造業の町工場が多く、価格転嫁と生産性向上、海外展開の相談が多い。",
        "ものづくり企業の生産性向上と販路開拓を重点に、商工会議所と連携して支援する。",
        (480, 130, 130, 60), [("生産性向上", ["生産管理・品質"], 50), ("販路開拓", ["販路開拓・マーケティング"], 60)], "submitted"),
    "福岡県よろず支援拠点": (
        "食品製造・観光関連の事業者が多く、インバウンド回復に伴う販路開拓と人材確保の相談が多い。",
        "観光協会・商店街と連携し、食と観光の販路開拓を重点に支援する。",
        (280, 90, 80, 60), [("食と観光の販路開拓", ["販路開拓・マーケティング", "海外展開"], 50)], "confirmed"),
    "北海道よろず支援拠点": (
        "広域で移動に時間がかかり、Web会議での相談ニーズが高い。農業・観光の事業者の事業承継が課題。",
        "サテライト相談会とWeb会議を組み合わせ、事業承継と創業を重点に支援する。",
        (260, 70, 60, 50), [("事業承継", ["事業承継"], 30)], "draft"),
}
NETWORK = [("shokokai", "府中市商工会"), ("cci", "八王子商工会議所"), ("financial", "多摩信用金庫"), ("shopping_street", "吉祥寺サンロード商店街振興組合"),
           ("tourism", "東京観光財団"), ("municipality", "府中市産業振興課"), ("professional", "東京税理士会")]
PROBLEMS = ["売上が落ち込み、新しい販路を開拓したい。", "資金繰りが厳しく、返済計画を見直したい。", "後継者への事業承継の進め方を知りたい。",
            "ホームページとSNSで集客したい。", "人手が足りず、採用と定着に悩んでいる。", "創業計画を作りたい。"]


@transaction.atomic
def load_demo_governance(now=None):
    now = now or timezone.now()
    today = timezone.localdate(now)
    fy = fiscal_year(today)
    centres = {o.name: o for o in Organisation.objects.filter(kind=Organisation.Kind.YOROZU, name__in=list(PLANS) + [
        "愛知県よろず支援拠点", "宮城県よろず支援拠点"])}
    hq = User.objects.filter(role_grants__role=Role.HQ).order_by("pk").first()
    tokyo = centres.get("東京都よろず支援拠点")
    if not (centres and hq and tokyo) or CentrePlan.objects.filter(organisation=tokyo, fiscal_year=fy).exists():
        return
    rng = random.Random(2026)
    for year in (fy - 1, fy):
        governance_year_for(year)
    ActivityPolicy.objects.get_or_create(fiscal_year=fy, defaults={
        "title": f"{fy}年度 よろず支援拠点 活動方針", "body": POLICY, "published_at": now, "published_by": hq})
    staff = _staff(centres, now)
    _qualifications(staff)
    _plans(centres, staff, fy, today, now)
    _activity(rng, centres, staff, fy, today)
    _visits_and_trainings(rng, tokyo, centres, staff, hq, fy, today)
    _surveys(rng, centres, today, now)
    _last_year(rng, centres, hq, fy, now)
    for centre in centres.values():
        for year in (fy - 1, fy):
            aggregates.refresh_bucket(centre.pk, year)


def _staff(centres, now):
    """The demo logins plus two coordinators per centre, so tables and attendance have people."""
    staff = {}
    for name, centre in centres.items():
        people = list(User.objects.filter(role_grants__organisation=centre, role_grants__role__in=[Role.CHIEF, Role.COORDINATOR],
                                          role_grants__status="approved").distinct())
        for n, (person, kana) in enumerate([("コーディネーター 一", "こーでぃねーたー いち"), ("コーディネーター 二", "こーでぃねーたー に")]):
            user, created = User.objects.get_or_create(
                email=f"co{centre.pk}-{n}@demo.yorozu.jp", defaults={"name": f"{centre.prefecture.name} {person}", "name_kana": kana,
                                                                      "email_verified_at": now})
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            RoleGrant.objects.get_or_create(user=user, role=Role.COORDINATOR, organisation=centre,
                                            defaults={"status": "approved", "decided_at": now})
            people.append(user)
        staff[name] = people
    return staff


def _qualifications(staff):
    quals = {q.name: q for q in Qualification.objects.all()}
    pattern = [["中小企業診断士"], ["中小企業診断士", "ITコーディネータ"], ["社会保険労務士"], ["税理士", "ファイナンシャル・プランニング技能士"],
               ["販売士"], ["その他"]]
    i = 0
    for people in staff.values():
        for user in people:
            for name in pattern[i % len(pattern)]:
                if name in quals:
                    StaffQualification.objects.get_or_create(user=user, qualification=quals[name])
            i += 1


def _plans(centres, staff, fy, today, now):
    specialties = {s.name: s for s in Specialty.objects.all()}
    bureau_user = User.objects.filter(role_grants__role=Role.BUREAU).order_by("pk").first()
    for name, (needs, text, targets, focus, status) in PLANS.items():
        centre = centres.get(name)
        if centre is None:
            continue
        plan = CentrePlan.objects.create(
            organisation=centre, fiscal_year=fy, status=status, needs_analysis=needs, plan_text=text,
            target_consultations=targets[0], target_visitors=targets[1], target_solved=targets[2], target_network=targets[3],
            submitted_at=now if status != "draft" else None, created_by=staff[name][0],
            interview_on=fiscal_year_range(fy)[0] + datetime.timedelta(days=20) if status == "confirmed" else None,
            interview_notes="重点分野の目標と、商工会との連携の進め方を確認した。" if status == "confirmed" else "",
            confirmed_at=now if status == "confirmed" else None, confirmed_by=bureau_user if status == "confirmed" else None,
        )
        for area_name, names, target in focus:
            area = FocusArea.objects.create(plan=plan, name=area_name, target=target, description=f"{area_name}の相談会を四半期ごとに開く。")
            area.specialties.set([specialties[n] for n in names if n in specialties])


def _activity(rng, centres, staff, fy, today):
    """Consultations (with topics) from the start of last year to today, and network activities."""
    companies = _companies(rng)
    specialties = list(Specialty.objects.filter(is_active=True))
    first = fiscal_year_range(fy - 1)[0]
    days = (today - first).days
    through = Consultation.topics.through
    for name, centre in centres.items():
        people = staff[name]
        volume = {"東京都よろず支援拠点": 900, "大阪府よろず支援拠点": 700}.get(name, 400)
        rows = []
        for _ in range(volume):
            person = rng.choice(people)
            rows.append(Consultation(
                organisation=centre, company_id=rng.choice(companies), held_on=first + datetime.timedelta(days=rng.randrange(days + 1)),
                channel=rng.choice(["in_person"] * 6 + ["phone"] * 2 + ["web"] * 2), staff=person, problem=rng.choice(PROBLEMS),
                outcome=rng.choice(["solved"] * 3 + ["continue"] * 5 + ["referred", "dispatch"]), created_by=person,
            ))
        Consultation.objects.bulk_create(rows)
        through.objects.bulk_create([through(consultation_id=c.pk, specialty_id=s.pk) for c in rows
                                     for s in rng.sample(specialties, rng.choice([1, 1, 2]))])
        NetworkActivity.objects.bulk_create([
            NetworkActivity(organisation=centre, held_on=(held := first + datetime.timedelta(days=rng.randrange(days + 1))),
                            fiscal_year=fiscal_year(held), staff=rng.choice(people), partner_kind=kind,
                            partner_name=partner if centre.prefecture_id == "13" else f"{centre.prefecture.name}{partner[-5:]}",
                            purpose=rng.choice(["visit", "meeting", "joint", "pr", "seminar"]), note="連携の状況を確認し、相談会の共催を打ち合わせた。",
                            created_by=rng.choice(people))
            for kind, partner in (rng.choice(NETWORK) for _ in range(rng.randint(60, 110)))
        ])


SHOPS = [("さくら", "さくら"), ("みどり", "みどり"), ("ひかり", "ひかり"), ("あおば", "あおば"), ("こだま", "こだま"), ("わかば", "わかば")]
TRADES = [("食堂", "しょくどう", "76"), ("製作所", "せいさくしょ", "E"), ("商店", "しょうてん", "58"), ("工務店", "こうむてん", "D"),
          ("美容室", "びようしつ", "78"), ("旅館", "りょかん", "75")]


def _companies(rng):
    """Sole proprietors in the demo centres' prefectures, so the number of visiting SMEs means something."""
    from reference.models import Industry

    industries = {i.code: i for i in Industry.objects.filter(code__in={t[2] for t in TRADES})}
    existing = list(Company.objects.filter(name__startswith="デモ").values_list("pk", flat=True))
    if not existing:
        rows = []
        for n in range(240):
            (stem, stem_kana), (trade, trade_kana, code) = SHOPS[n % len(SHOPS)], TRADES[n // len(SHOPS) % len(TRADES)]
            pref = ["13", "27", "40", "01", "23", "04"][n % 6]
            company = Company(legal_form="sole", name=f"デモ{stem}{trade}{n + 1}", name_kana=f"でも{stem_kana}{trade_kana}",
                              representative=f"代表 {n + 1}", industry=industries.get(code) or Industry.objects.first(),
                              prefecture_id=pref, municipality="中央", address=f"{n % 9 + 1}-{n % 20 + 1}", employees=n % 12 + 1)
            company.compute_sme_status()
            rows.append(company)
        existing = [c.pk for c in Company.objects.bulk_create(rows)]
    return existing + list(Company.objects.exclude(name__startswith="デモ").order_by("pk").values_list("pk", flat=True)[:20])


def _visits_and_trainings(rng, tokyo, centres, staff, hq, fy, today):
    start = fiscal_year_range(fy)[0]
    visited = min(today, start + datetime.timedelta(days=70))
    visit = HQVisit.objects.create(
        organisation=tokyo, fiscal_year=fiscal_year(visited), visited_on=visited, visitor=hq, sat_in_consultations=2,
        observations="相談記録の「今後の対応」が空欄のものが1割ほどある。継続相談の期限管理が担当者任せになっている。",
        advice="相談記録の記入ルールを統一し、継続相談の一覧をチーフが毎週確認すること。商店街との連携は好事例として全国に共有したい。",
    )
    VisitFollowUp.objects.create(visit=visit, action="相談記録の記入ルールを職員に周知する", due_on=visited + datetime.timedelta(days=30),
                                 status="done", result="職員会議で周知し、記入例を配布した。", done_by=staff["東京都よろず支援拠点"][0],
                                 done_at=timezone.now())
    VisitFollowUp.objects.create(visit=visit, action="継続相談の一覧を毎週確認する仕組みをつくる", due_on=visited + datetime.timedelta(days=60))
    trainings = [
        Training(kind="national", title="全国研修（相談対応力の向上）", held_on=min(today, start + datetime.timedelta(days=50)),
                 place="中小企業大学校 東京校", created_by=hq),
        Training(kind="block", title="関東ブロック研修（事業承継の支援事例）", held_on=min(today, start + datetime.timedelta(days=90)),
                 place="さいたま新都心合同庁舎", created_by=hq),
        Training(kind="ojt", title="OJT研修（富士市産業支援センター f-Biz）", held_on=min(today, start + datetime.timedelta(days=120)),
                 place="静岡県富士市", created_by=hq),
    ]
    from reference.models import Bureau

    trainings[1].bureau = Bureau.objects.filter(code="kanto").first()
    for t in trainings:
        t.fiscal_year = fiscal_year(t.held_on)
    Training.objects.bulk_create(trainings)
    for t in trainings:
        for name, centre in centres.items():
            people = staff[name]
            TrainingAttendance.objects.bulk_create([
                TrainingAttendance(training=t, user=u, organisation=centre, recorded_by=people[0])
                for u in rng.sample(people, min(len(people), 2))], ignore_conflicts=True)


def _surveys(rng, centres, today, now):
    """Last year's closed consultations surveyed (30 %), half answered; follow-ups for solved ones."""
    closed = Consultation.objects.filter(organisation__in=centres.values(), outcome__in=["solved", "referred", "dispatch"]).values_list(
        "pk", "organisation_id", "company_id", "held_on", "outcome")
    surveys, follow_ups = [], []
    for pk, org, company, held, outcome in closed:
        sampled = rng.random() < 0.3
        answered = sampled and rng.random() < 0.5
        surveys.append(Survey(
            source_kind="consultation", source_id=pk, organisation_id=org, company_id=company, fiscal_year=fiscal_year(held),
            source_date=held, sampled=sampled, token_hash=hash_token(f"demo-survey-{pk}") if sampled else None,
            sent_at=now if sampled else None, expires_at=now if sampled else None, responded_at=now if answered else None,
            satisfaction=rng.choice([3, 4, 4, 5, 5, 5]) if answered else None, usefulness=rng.choice([3, 4, 5]) if answered else None,
            would_recommend=rng.random() < 0.9 if answered else None,
            comment=rng.choice(["", "", "親身に相談に乗っていただけた。", "専門家の紹介が早く助かった。"]) if answered else "",
        ))
        if outcome == "solved" and (today - held).days > 95:
            answered = rng.random() < 0.6
            follow_ups.append(FollowUp(
                source_kind="consultation", source_id=pk, months=3, organisation_id=org, company_id=company, base_date=held,
                fiscal_year=fiscal_year(held), token_hash=hash_token(f"demo-followup-{pk}"), sent_at=now, expires_at=now,
                responded_at=now if answered else None, problem_solved=rng.choice(["yes", "yes", "partly", "no"]) if answered else "",
                sales_trend=rng.choice(["up", "up", "flat", "down"]) if answered else "",
                employees=rng.randint(2, 30) if answered else None, new_customers=rng.randint(0, 25) if answered else None,
            ))
    Survey.objects.bulk_create(surveys, ignore_conflicts=True)
    FollowUp.objects.bulk_create(follow_ups, ignore_conflicts=True)


def _last_year(rng, centres, hq, fy, now):
    """Last year's ratings with their budget effect; 宮城 flagged for intensive guidance."""
    evaluator = Organisation.objects.filter(name="府中市商工会").first()
    tokyo = centres.get("東京都よろず支援拠点")
    if evaluator and tokyo:
        user = User.objects.filter(role_grants__organisation=evaluator).first() or hq
        OrgEvaluation.objects.get_or_create(centre=tokyo, fiscal_year=fy - 1, evaluator=evaluator, defaults={
            "score": 4, "comment": "紹介した事業者への対応が早く、結果の連絡もある。", "submitted_by": user})
    scores = {"東京都よろず支援拠点": (88.5, 82.0, 75.0, 84.0, "A", 3.0), "大阪府よろず支援拠点": (79.0, 78.5, None, 76.0, "A", 0.0),
              "福岡県よろず支援拠点": (72.0, 80.0, None, 70.0, "B", 0.0), "宮城県よろず支援拠点": (48.0, 62.0, None, 50.0, "C", -5.0)}
    year = governance_year_for(fy - 1)
    for name, (ind, sur, org_eval, hear, grade, budget) in scores.items():
        centre = centres.get(name)
        if centre is None:
            continue
        parts = {"indicators": ind, "survey": sur, "org_evaluation": org_eval, "hearing": hear}
        from .scoring import combine

        Rating.objects.get_or_create(organisation=centre, fiscal_year=fy - 1, defaults={
            "indicator_score": ind, "survey_score": sur, "org_evaluation_score": org_eval, "hearing_score": hear,
            "overall": combine(parts, year.weights()), "grade": grade, "flagged": grade == "C", "computed_at": now, "computed_by": hq,
            "budget_change_percent": budget, "budget_amount": {"A": 62000, "B": 55000, "C": 48000}[grade],
            "budget_note": "活動指標の達成状況と満足度を反映", "budget_recorded_at": now,
            "guidance_note": "全国本部の専門家が毎月訪問し、相談記録と継続相談の管理を指導する。" if grade == "C" else "",
        })
