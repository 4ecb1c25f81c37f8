"""Demo online desk of 東京都商工会連合会 (seed 004's 無料電話相談窓口): hours, weekday themes, four
consultants (中小企業診断士) with shifts and gaps, 商工会 with their 経営指導員 and member companies,
past sessions with consultation records, upcoming bookings, a walk-in call and a cancellation.

Called after `manage.py load_demo` (needs its organisations and demo logins); safe to run again.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RoleGrant, User
from accounts.roles import Role
from companies.models import Company, Membership
from consultations.models import Consultation
from core.dates import add_business_days, is_business_day
from directory.models import Organisation
from reference.models import Industry, Specialty

from . import actions
from .models import Booking, Channel, Desk, ShokokaiMember, Source
from .rules import DeskCalendar, at


FEDERATION = "東京都商工会連合会"
PASSWORD = "yorozu-demo-2026"
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # the same key as load_demo's staff

SHOKOKAI = [
    # name, kana, municipality, address, phone
    ("瑞穂町商工会", "みずほまちしょうこうかい", "西多摩郡瑞穂町", "大字箱根ケ崎2335", "042-557-0565"),
    ("檜原村商工会", "ひのはらむらしょうこうかい", "西多摩郡檜原村", "467-1", "042-598-0020"),
    ("奥多摩町商工会", "おくたままちしょうこうかい", "西多摩郡奥多摩町", "氷川1453", "0428-83-2471"),
    ("あきる野市商工会", "あきるのししょうこうかい", "あきる野市", "秋川1-8", "042-559-5311"),
    ("狛江市商工会", "こまえししょうこうかい", "狛江市", "和泉本町1-1-5", "03-3480-1234"),
]
PEOPLE = [
    # email, name, kana, role, organisation
    ("renrakukai@demo.yorozu.jp", "岡崎 由紀", "おかざき ゆき", Role.CHIEF, FEDERATION),
    ("shindanshi1@demo.yorozu.jp", "高見 康一", "たかみ こういち", Role.DESK, FEDERATION),
    ("shindanshi2@demo.yorozu.jp", "石井 美和", "いしい みわ", Role.DESK, FEDERATION),
    ("mizuho@demo.yorozu.jp", "瑞穂 健太", "みずほ けんた", Role.COORDINATOR, "瑞穂町商工会"),
]
MEMBERS = [
    # company name, kana, industry, municipality, address, employees, 商工会
    ("有限会社府中青果", "ゆうげんがいしゃふちゅうせいか", "50", "府中市", "寿町1-5-2", 6, "府中市商工会"),
    ("株式会社箱根ケ崎製作所", "かぶしきがいしゃはこねがさきせいさくしょ", "E", "西多摩郡瑞穂町", "殿ケ谷422", 24, "瑞穂町商工会"),
    ("みずほ茶房", "みずほさぼう", "76", "西多摩郡瑞穂町", "箱根ケ崎東松原8-3", 3, "瑞穂町商工会"),
]
THEMES = {0: "資金繰り・財務", 2: "事業承継", 4: "IT・Web活用"}


def load_demo_desk(now=None):
    now = now or timezone.now()
    federation = Organisation.objects.filter(name=FEDERATION).first()
    if federation is None or Desk.objects.filter(organisation=federation).exists():
        return None
    with transaction.atomic():
        shokokai = _shokokai(federation)
        people = _people(now)
        companies = _members(people)
        desk = _desk(people["renrakukai@demo.yorozu.jp"], federation)
        consultants = [u for u in User.objects.filter(email__in=[
            "desk@demo.yorozu.jp", "expert@demo.yorozu.jp", "shindanshi1@demo.yorozu.jp", "shindanshi2@demo.yorozu.jp",
        ]).order_by("email") if u.has_role(Role.DESK)]
        _past_sessions(desk, consultants, companies, shokokai, now)
        _upcoming(desk, consultants, companies, now)
        _walk_in(desk, consultants[0], shokokai, now)
    return desk


def _at(day, hour, minute=0):
    return at(day, datetime.time(hour, minute))


def _shokokai(federation):
    found = {o.name: o for o in Organisation.objects.filter(kind=Organisation.Kind.SHOKOKAI, prefecture=federation.prefecture)}
    for name, kana, city, address, phone in SHOKOKAI:
        if name not in found:
            found[name] = Organisation.objects.create(
                name=name, name_kana=kana, kind=Organisation.Kind.SHOKOKAI, prefecture=federation.prefecture,
                municipality=city, address=address, phone=phone, channel_phone=True, hours="平日 8:30〜17:15",
            )
    return found


def _people(now):
    people = {}
    for email, name, kana, role, org_name in PEOPLE:
        user, created = User.objects.get_or_create(email=email, defaults={
            "name": name, "name_kana": kana, "email_verified_at": now})
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        RoleGrant.objects.get_or_create(user=user, role=role, organisation=Organisation.objects.get(name=org_name),
                                        defaults={"status": RoleGrant.Status.APPROVED, "decided_at": now})
        TOTPDevice.objects.get_or_create(user=user, name="demo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True})
        user.forget_roles()
        people[email] = user
    return people


def _members(people):
    """Member companies of the 商工会 (ぱそな建設 of the demo SME is a member of 府中市商工会)."""
    companies = {}
    pasona = Company.objects.filter(name="株式会社ぱそな建設").first()
    if pasona:
        ShokokaiMember.objects.get_or_create(organisation=Organisation.objects.get(name="府中市商工会"), company=pasona)
        companies[pasona.name] = pasona
    for name, kana, industry, city, address, employees, org_name in MEMBERS:
        company, created = Company.objects.get_or_create(name=name, defaults=dict(
            legal_form=Company.LegalForm.CORPORATION if "会社" in name else Company.LegalForm.SOLE,
            name_kana=kana, representative="代表 一郎", industry=Industry.objects.get(code=industry),
            prefecture_id="13", municipality=city, address=address, employees=employees,
        ))
        if created:
            company.compute_sme_status()
            company.save(update_fields=["is_sme", "is_small_business"])
        ShokokaiMember.objects.get_or_create(organisation=Organisation.objects.get(name=org_name), company=company)
        companies[name] = company
    return companies


def _desk(chief, federation):
    hours = [(d, datetime.time(9, 30), datetime.time(15, 30), Specialty.objects.filter(name=THEMES[d]).first()
              if d in THEMES else None) for d in range(5)]
    return actions.open_desk(chief, federation, {
        "name": "無料電話相談窓口",
        "description": "経営に関するお悩みを、中小企業診断士が電話またはWeb会議で無料でお聞きします。"
                       "商工会の経営指導員の方が、会員の方に代わって予約することもできます。",
        "phone": federation.phone or "042-500-1234", "meeting_url_template": "https://meet.jit.si/yorozu-tokyo-{room}",
        "slot_minutes": 60, "min_consultants": 2, "booking_weeks": 4, "notice_hours": 1, "max_open_bookings": 2,
        "allow_fixed_consultant": True, "closed_year_end": True, "is_active": True,
    }, hours)


def _open_days(desk, start, count, step=1):
    """The next `count` days from `start` (by `step`) on which the desk is open."""
    days, day = [], start
    calendar = DeskCalendar(desk, start, start + datetime.timedelta(days=60))
    while len(days) < count:
        if not calendar.closed_reason(day):
            days.append(day)
        day += datetime.timedelta(days=step)
    return days


def _past_sessions(desk, consultants, companies, shokokai, now):
    """Three weeks ago to yesterday: sessions held and recorded, one no-show."""
    today = timezone.localtime(now).date()
    first = today - datetime.timedelta(days=21)
    while not is_business_day(first):
        first += datetime.timedelta(days=1)
    before = _at(first, 8) - datetime.timedelta(days=1)
    days = [d for d in _open_days(desk, first, 12) if d < today]
    adviser = User.objects.filter(email="shidoin@demo.yorozu.jp").first()
    mizuho = User.objects.filter(email="mizuho@demo.yorozu.jp").first()
    sme = User.objects.filter(email="sme@demo.yorozu.jp").first()
    plan = [
        # (who books, company, channel, theme, source, description, outcome)
        (sme, "株式会社ぱそな建設", Channel.WEB, "資金繰り・財務", Source.RADIO,
         "資材高騰で来月の資金繰りが厳しい。借入れの相談先を知りたい。", Consultation.Outcome.REFERRED),
        (adviser, "有限会社府中青果", Channel.PHONE, "事業承継", Source.SHOKOKAI,
         "息子に店を継がせたいが、何から始めればよいか分からない。", Consultation.Outcome.CONTINUE),
        (mizuho, "株式会社箱根ケ崎製作所", Channel.WEB, "IT・Web活用", Source.SHOKOKAI,
         "受発注をFAXから切り替えたい。IT導入補助金が使えるか知りたい。", Consultation.Outcome.DISPATCH),
        (mizuho, "みずほ茶房", Channel.PHONE, None, Source.NEWSPAPER,
         "客数が減っている。SNSでの集客を始めたい。", None),
    ]
    for index, (actor, company_name, channel, theme, source, description, outcome) in enumerate(plan):
        if actor is None or company_name not in companies or index >= len(days):
            continue
        day = days[index * 2 % len(days)]
        for consultant in consultants[:2]:
            _sign_up(desk, consultant, day, before)
        booking = actions.book(actor, desk.pk, companies[company_name].pk, _at(day, 10 + index % 3, 30), {
            "channel": channel, "theme": Specialty.objects.filter(name=theme).first() if theme else None,
            "description": description, "source": source,
        }, now=before)
        if outcome is None:
            actions.mark_no_show(booking.consultant, booking.pk)
            continue
        data = {"topics": [booking.theme] if booking.theme else list(Specialty.objects.filter(name="経営戦略")),
                "problem": description, "outcome": outcome, "attendees_note": "代表者",
                "next_steps": "商工会で決算書を見ながら対面で相談する。" if outcome == Consultation.Outcome.REFERRED
                else "次回までに資料を準備していただく。"}
        if outcome == Consultation.Outcome.REFERRED:
            data.update({"refer_to": shokokai.get("府中市商工会"),
                         "referral_note": "金融機関への借入れ申込みの準備を、対面で支援してください。"})
        actions.record_session(booking.consultant, booking.pk, None, data)


def _sign_up(desk, consultant, day, before, start=(9, 30), end=(15, 30)):
    try:
        actions.sign_up(consultant, desk.pk, day, datetime.time(*start), datetime.time(*end), now=before)
    except actions.Refused:  # already on shift that day
        pass


def _upcoming(desk, consultants, companies, now):
    """The next three weeks' roster (with gaps on purpose) and a few bookings."""
    today = timezone.localtime(now).date()
    start = add_business_days(today, 1)
    days = _open_days(desk, start, 12)
    patterns = [((9, 30), (15, 30)), ((9, 30), (12, 30)), ((12, 30), (15, 30))]
    for index, day in enumerate(days):
        for number, consultant in enumerate(consultants):
            if (index + number) % 3 == 2:
                continue  # not everyone every day: the roster shows the gaps
            begin, end = patterns[(index + number) % 3]
            _sign_up(desk, consultant, day, now, begin, end)
    sme = User.objects.filter(email="sme@demo.yorozu.jp").first()
    adviser = User.objects.filter(email="shidoin@demo.yorozu.jp").first()
    bookings = [
        (sme, "株式会社ぱそな建設", days[1], (10, 30), Channel.WEB, "IT・Web活用", Source.WEB,
         "施工事例をホームページで発信したい。まず何から手を付けるべきか。"),
        (adviser, "有限会社府中青果", days[2], (13, 30), Channel.PHONE, "資金繰り・財務", Source.SHOKOKAI,
         "前回の続き。事業承継にあわせて借入れの名義をどうするか。"),
        (adviser, "株式会社ぱそな建設", days[4], (9, 30), Channel.PHONE, None, Source.FLYER,
         "職人の採用がうまくいかない。求人の出し方を相談したい。"),
    ]
    made = []
    for actor, company_name, day, (hour, minute), channel, theme, source, description in bookings:
        if actor is None or company_name not in companies:
            continue
        try:
            made.append(actions.book(actor, desk.pk, companies[company_name].pk, _at(day, hour, minute), {
                "channel": channel, "theme": Specialty.objects.filter(name=theme).first() if theme else None,
                "description": description, "source": source,
            }))
        except actions.Refused:
            continue
    if len(made) > 2:
        actions.cancel_booking(made[2].booked_by, made[2].pk, "決算の準備と重なったため、改めて予約します。")


def _walk_in(desk, consultant, shokokai, now):
    day = timezone.localtime(now).date() - datetime.timedelta(days=1)
    while not is_business_day(day):
        day -= datetime.timedelta(days=1)
    if not Booking.objects.filter(desk=desk, kind=Booking.Kind.WALK_IN).exists():
        actions.log_walk_in(consultant, desk.pk, {
            "starts_at": _at(day, 14, 10), "minutes": 25, "channel": Channel.PHONE,
            "caller_company": "檜原そば処 山の家", "caller_name": "檜原 花子", "shokokai": shokokai.get("檜原村商工会"),
            "theme": Specialty.objects.filter(name="販路開拓・マーケティング").first(),
            "description": "観光客向けにそばの通販を始めたい。送料や表示の決まりを知りたい。", "source": Source.FLYER,
        })
