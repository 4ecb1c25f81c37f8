"""National-scale synthetic activity for the governance dashboards (on top of `manage.py seed_scale`).

    manage.py seed_activity --consultations 1000000 --dispatches 150000 --seed 1

Consultations (with topics) and dispatch cases (with their timeline, a share certified) over the
last 365 days, most of them at the よろず支援拠点; per centre a staff of coordinators with
self-reported qualifications, this year's confirmed plan with targets and focus areas, network
activities, sampled surveys (some answered) and follow-ups. Then the monthly aggregates are built
in full (timed). The same --seed gives the same data. Bulk inserts, no actions: nothing is mailed.
"""

import datetime
from contextlib import contextmanager
import random
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import RoleGrant, User
from accounts.roles import Role
from companies.models import Company
from consultations.models import Consultation
from core.dates import fiscal_year
from directory.models import ExpertProfile, Organisation
from dispatch.models import DispatchCase, DispatchEvent, State
from governance import aggregates
from governance.models import CentrePlan, FocusArea, FollowUp, NetworkActivity, StaffQualification, Survey, hash_token
from reference.models import Qualification, Specialty

BATCH = 5000
PROBLEMS = [
    "売上が減少しており、新しい販路を開拓したい。", "資金繰りが厳しく、借入の返済計画を見直したい。",
    "後継者への事業承継の進め方を相談したい。", "ホームページとSNSで集客を強化したい。",
    "人手不足で採用と定着に悩んでいる。", "創業計画と創業融資の準備をしたい。", "原価管理と生産性の向上に取り組みたい。",
]
FOCUS = [("事業承継", ["事業承継"]), ("DX・IT活用", ["IT・Web活用"]), ("創業支援", ["創業"]), ("販路開拓", ["販路開拓・マーケティング"])]
PARTNERS = [("shokokai", "{city}商工会"), ("cci", "{city}商工会議所"), ("shopping_street", "{city}中央商店街振興組合"),
            ("tourism", "{city}観光協会"), ("financial", "{pref}信用金庫")]


@contextmanager
def explicit_created_at(model):
    """Keep the timeline's own dates: auto_now_add would stamp every bulk-inserted event with now."""
    field = model._meta.get_field("created_at")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


class Command(BaseCommand):
    help = "ダッシュボードの計測用に、全国規模の相談・派遣の記録を一括投入します（seed_scale の後に実行）。"

    def add_arguments(self, parser):
        parser.add_argument("--consultations", type=int, default=100_000)
        parser.add_argument("--dispatches", type=int, default=15_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--centre-share", type=float, default=0.7, help="share of consultations at the centres")

    def handle(self, *args, **options):
        self.rng = random.Random(options["seed"])
        self.prefix = f"act{options['seed']}-"
        if User.objects.filter(email__startswith=self.prefix).exists():
            raise CommandError(f"seed {options['seed']} の活動データは投入済みです。別の --seed を指定してください。")
        self.centres = list(Organisation.objects.filter(kind=Organisation.Kind.YOROZU).select_related("prefecture").order_by("pk"))
        self.others = list(Organisation.objects.exclude(kind=Organisation.Kind.YOROZU).values_list("pk", flat=True))
        self.company_ids = list(Company.objects.values_list("pk", flat=True))
        self.expert_ids = list(ExpertProfile.objects.filter(status="approved").values_list("pk", flat=True)[:5000])
        self.specialties = list(Specialty.objects.filter(is_active=True).values_list("pk", flat=True))
        if not (self.centres and self.company_ids and self.expert_ids):
            raise CommandError("先に manage.py seed_scale で支援機関・事業者・専門家を投入してください。")
        self.today = timezone.localdate()
        self.now = timezone.now()
        started = time.monotonic()
        for label, step in [("staff", self.make_staff), ("plans", self.make_plans),
                            ("consultations", lambda: self.make_consultations(options["consultations"], options["centre_share"])),
                            ("dispatches", lambda: self.make_dispatches(options["dispatches"])),
                            ("network activities", self.make_network), ("surveys and follow-ups", self.make_surveys)]:
            t0 = time.monotonic()
            step()
            self.stdout.write(f"{label}: {time.monotonic() - t0:.1f}s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        t0 = time.monotonic()
        count = aggregates.refresh(full=True)
        self.stdout.write(f"aggregates (full refresh, {count} centre-years): {time.monotonic() - t0:.1f}s")
        self.stdout.write(self.style.SUCCESS(f"done in {time.monotonic() - started:.1f}s"))

    def day(self):
        return self.today - datetime.timedelta(days=self.rng.randrange(365))

    # --- staff ----------------------------------------------------------------------------------------

    def make_staff(self):
        password = make_password(None)
        users, grants = [], []
        qualifications = list(Qualification.objects.values_list("pk", "name"))
        weights = {"中小企業診断士": 40, "その他": 25, "ITコーディネータ": 8, "社会保険労務士": 8, "税理士": 6}
        self.staff = {}
        with transaction.atomic():
            for centre in self.centres:
                for n in range(self.rng.randint(6, 14)):
                    users.append(User(email=f"{self.prefix}staff{centre.pk}-{n}@example.jp", name=f"相談員{centre.pk}-{n}",
                                      password=password, email_verified_at=self.now))
            User.objects.bulk_create(users, batch_size=BATCH)
            quals = []
            for user in users:
                centre_pk = int(user.email.split("staff", 1)[1].split("-", 1)[0])
                chief = user.email.endswith("-0@example.jp")
                self.staff.setdefault(centre_pk, []).append(user.pk)
                grants.append(RoleGrant(user=user, role=Role.CHIEF if chief else Role.COORDINATOR, organisation_id=centre_pk,
                                        status=RoleGrant.Status.APPROVED, decided_at=self.now))
                for pk, name in qualifications:
                    if self.rng.random() * 100 < weights.get(name, 2):
                        quals.append(StaffQualification(user=user, qualification_id=pk))
            RoleGrant.objects.bulk_create(grants, batch_size=BATCH)
            StaffQualification.objects.bulk_create(quals, batch_size=BATCH)

    # --- plans ----------------------------------------------------------------------------------------

    def make_plans(self):
        fy = fiscal_year(self.today)
        specialties = dict(Specialty.objects.values_list("name", "pk"))
        with transaction.atomic():
            for centre in self.centres:
                if CentrePlan.objects.filter(organisation=centre, fiscal_year=fy).exists():
                    continue
                scale = self.rng.randint(8, 30) * 1000
                plan = CentrePlan.objects.create(
                    organisation=centre, fiscal_year=fy, status=CentrePlan.Status.CONFIRMED,
                    needs_analysis=f"{centre.prefecture.name}では事業承継とデジタル化の相談が増えている。",
                    plan_text="商工会・金融機関と連携し、重点分野の相談に対応する。",
                    target_consultations=scale, target_visitors=scale // 3, target_solved=scale // 4, target_network=120,
                    confirmed_at=self.now, interview_on=self.today, interview_notes="計測用", created_by_id=self.staff[centre.pk][0],
                )
                for name, names in self.rng.sample(FOCUS, 2):
                    area = FocusArea.objects.create(plan=plan, name=name, target=scale // 10)
                    area.specialties.set([specialties[n] for n in names if n in specialties])

    # --- consultations --------------------------------------------------------------------------------

    def make_consultations(self, count, centre_share):
        channels = ["in_person"] * 6 + ["phone"] * 3 + ["web"]
        outcomes = ["solved"] * 3 + ["continue"] * 5 + ["referred", "dispatch"]
        through = Consultation.topics.through
        for start in range(0, count, BATCH):
            rows = []
            for _ in range(min(BATCH, count - start)):
                at_centre = self.rng.random() < centre_share or not self.others
                if at_centre:
                    centre = self.rng.choice(self.centres).pk
                    staff = self.rng.choice(self.staff[centre])
                else:
                    centre, staff = self.rng.choice(self.others), self.staff[self.centres[0].pk][0]
                rows.append(Consultation(
                    organisation_id=centre, company_id=self.rng.choice(self.company_ids), held_on=self.day(),
                    channel=self.rng.choice(channels), staff_id=staff, problem=self.rng.choice(PROBLEMS),
                    outcome=self.rng.choice(outcomes), created_by_id=staff,
                ))
            with transaction.atomic():
                Consultation.objects.bulk_create(rows, batch_size=BATCH)
                topics = [through(consultation_id=c.pk, specialty_id=s) for c in rows
                          for s in self.rng.sample(self.specialties, self.rng.choice([1, 1, 2]))]
                through.objects.bulk_create(topics, batch_size=BATCH)

    # --- dispatches -----------------------------------------------------------------------------------

    def make_dispatches(self, count):
        certified_states = [State.CERTIFIED, State.VERIFIED, State.PAID]
        other_states = [State.APPLIED, State.APPROVED, State.SCHEDULED, State.REPORTED, State.CANCELLED]
        path = [State.DRAFT, State.APPLIED, State.APPROVED, State.SCHEDULED, State.DONE, State.REPORTED, State.CERTIFIED]
        for start in range(0, count, BATCH):
            cases, plans = [], []
            for _ in range(min(BATCH, count - start)):
                centre = self.rng.choice(self.centres).pk if self.rng.random() < 0.6 or not self.others else self.rng.choice(self.others)
                starts = timezone.make_aware(datetime.datetime.combine(self.day(), datetime.time(10)))
                state = self.rng.choice(certified_states) if self.rng.random() < 0.5 else self.rng.choice(other_states)
                staff = self.staff.get(centre, self.staff[self.centres[0].pk])[0]
                cases.append(DispatchCase(
                    organisation_id=centre, company_id=self.rng.choice(self.company_ids), expert_id=self.rng.choice(self.expert_ids),
                    topic_id=self.rng.choice(self.specialties), request_text="計測用の派遣", place="事業所",
                    starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), fiscal_year=fiscal_year(starts.date()),
                    state=state, step_started_at=starts, created_by_id=staff,
                ))
                plans.append((starts, state))
            with transaction.atomic():
                DispatchCase.objects.bulk_create(cases, batch_size=BATCH)
                events = []
                for case, (starts, state) in zip(cases, plans):
                    steps = path if state in certified_states else path[: path.index(state) + 1] if state in path else path[:2]
                    for n, (old, new) in enumerate(zip(steps, steps[1:])):
                        events.append(DispatchEvent(case_id=case.pk, from_state=old, to_state=new,
                                                    created_at=starts - datetime.timedelta(days=10) + datetime.timedelta(days=2 * n)))
                    if state == State.CANCELLED:
                        events.append(DispatchEvent(case_id=case.pk, from_state=State.APPLIED, to_state=State.CANCELLED, created_at=starts))
                with explicit_created_at(DispatchEvent):
                    DispatchEvent.objects.bulk_create(events, batch_size=BATCH)

    # --- network activities, surveys, follow-ups ------------------------------------------------------

    def make_network(self):
        rows = []
        for centre in self.centres:
            city = centre.municipality or centre.prefecture.name
            for _ in range(self.rng.randint(40, 160)):
                kind, pattern = self.rng.choice(PARTNERS)
                held = self.day()
                rows.append(NetworkActivity(
                    organisation=centre, held_on=held, fiscal_year=fiscal_year(held), staff_id=self.rng.choice(self.staff[centre.pk]),
                    partner_kind=kind, partner_name=pattern.format(city=city, pref=centre.prefecture.name.rstrip("都道府県")),
                    purpose=self.rng.choice(["visit", "meeting", "joint", "pr", "seminar"]), created_by_id=self.staff[centre.pk][0],
                ))
        NetworkActivity.objects.bulk_create(rows, batch_size=BATCH)

    def make_surveys(self):
        """30 % of the centres' closed consultations surveyed, 40 % of those answered; follow-ups for a share of solved."""
        centre_ids = [c.pk for c in self.centres]
        rows = Consultation.objects.filter(organisation_id__in=centre_ids, outcome__in=["solved", "referred", "dispatch"]).values_list(
            "pk", "organisation_id", "company_id", "held_on", "outcome").order_by("pk").iterator(chunk_size=BATCH)
        surveys, follow_ups = [], []
        for pk, org, company, held, outcome in rows:
            sampled = self.rng.random() < 0.3
            answered = sampled and self.rng.random() < 0.4
            surveys.append(Survey(
                source_kind="consultation", source_id=pk, organisation_id=org, company_id=company, fiscal_year=fiscal_year(held),
                source_date=held, sampled=sampled, token_hash=hash_token(f"{self.prefix}{pk}") if sampled else None,
                sent_at=self.now if sampled else None, expires_at=self.now if sampled else None,
                responded_at=self.now if answered else None, satisfaction=self.rng.choice([3, 4, 4, 5, 5]) if answered else None,
                usefulness=self.rng.choice([3, 4, 5]) if answered else None, would_recommend=True if answered else None,
            ))
            if outcome == "solved" and self.rng.random() < 0.25 and (self.today - held).days > 92:
                answered = self.rng.random() < 0.5
                follow_ups.append(FollowUp(
                    source_kind="consultation", source_id=pk, months=3, organisation_id=org, company_id=company, base_date=held,
                    fiscal_year=fiscal_year(held), token_hash=hash_token(f"{self.prefix}f{pk}"), sent_at=self.now, expires_at=self.now,
                    responded_at=self.now if answered else None,
                    problem_solved=self.rng.choice(["yes", "yes", "partly", "no"]) if answered else "",
                    sales_trend=self.rng.choice(["up", "flat", "down"]) if answered else "",
                    employees=self.rng.randint(1, 50) if answered else None, new_customers=self.rng.randint(0, 20) if answered else None,
                ))
            if len(surveys) >= BATCH:
                Survey.objects.bulk_create(surveys, batch_size=BATCH, ignore_conflicts=True)
                surveys = []
        # A second seed on top of a first one meets the first one's consultations again: keep those.
        Survey.objects.bulk_create(surveys, batch_size=BATCH, ignore_conflicts=True)
        FollowUp.objects.bulk_create(follow_ups, batch_size=BATCH, ignore_conflicts=True)
