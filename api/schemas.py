"""Request parameters and response bodies of the API (they are the OpenAPI document)."""

import datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from directory.models import Organisation
from dispatch.models import State
from governance.models import CentrePlan

MAX_ID = 2**63 - 1  # the largest primary key the databases hold
NO_NUL = r"^[^\x00]*$"  # as Django's form fields: NUL cannot be stored in PostgreSQL text

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
FiscalYear = Annotated[int, Field(ge=2000, le=2100)]
Page = Annotated[int, Field(ge=1, le=1000, description="ページ番号（1から）")]

StateCode = Literal[tuple(State.values)]
KindCode = Literal[tuple(Organisation.Kind.values)]
ChannelCode = Literal["in_person", "phone", "web"]
SortCode = Literal["relevance", "rating", "activity"]


# --- errors ---------------------------------------------------------------------------------------

class Error(Schema):
    detail: str = Field(description="利用者向けの説明（日本語）")


class FieldError(Schema):
    field: str = Field(description="誤りのあるパラメーター")
    message: str
    type: str = Field(description="誤りの種類（機械向け）")


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldError]


# --- parameters -----------------------------------------------------------------------------------

class ExpertQuery(Schema):
    q: str = Field("", max_length=200, pattern=NO_NUL, description="キーワード（表記ゆれを吸収。すべての語を含む専門家がいなければ、いずれかを含む専門家）")
    specialty: Id = Field(None, description="専門分野のID（/api/reference/ の specialties）")
    industry: Id = Field(None, description="得意業種（大分類）のID。中分類を選んだ専門家も含む")
    prefecture: str = Field(None, pattern=r"^[0-9]{2}$", description="対応地域の都道府県コード（JIS X 0401、例: 13）")
    qualification: Id = Field(None, description="保有資格のID")
    name: str = Field("", max_length=60, pattern=NO_NUL, description="氏名（漢字・ふりがな）")
    sort: SortCode = Field("relevance", description="relevance=関連度順、rating=評価の高い順、activity=最近の活動順")
    page: Page = 1


class OrganisationQuery(Schema):
    prefecture: str = Field(None, pattern=r"^[0-9]{2}$", description="都道府県コード")
    municipality: str = Field("", max_length=40, pattern=NO_NUL, description="市区町村（部分一致）")
    kind: KindCode = Field(None, description="種別")
    channel: ChannelCode = Field(None, description="相談方法")
    page: Page = 1


class CaseQuery(Schema):
    state: StateCode = Field(None, description="状態")
    fiscal_year: FiscalYear = Field(None, description="年度（4月始まり、例: 2026）")
    page: Page = 1


# --- the public directory ------------------------------------------------------------------------

class Named(Schema):
    id: int
    name: str


class PrefectureOut(Schema):
    code: str
    name: str


class QualificationOut(Schema):
    name: str
    verified: bool = Field(description="事務局が確認済みか")


class ExpertFacts(Schema):
    """Measured by the system (ExpertStats), never typed in by the expert."""

    dispatches_completed: int = Field(description="派遣の実施件数")
    rating_count: int = Field(description="事業者による評価の件数")
    rating_average: float | None = Field(description="平均評価（1〜5）")


class ExpertCard(Schema):
    id: int
    display_name: str
    display_name_kana: str
    headline: str
    specialties: list[str]
    areas: list[str]
    qualifications: list[QualificationOut]
    facts: ExpertFacts
    url: str = Field(description="ウェブ上の専門家のページ")


class ExpertPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    broadened: bool = Field(description="すべての語を含む専門家がおらず、いずれかの語を含む専門家を表示しているか")
    items: list[ExpertCard]


class ExpertDetailFacts(ExpertFacts):
    last_activity_at: datetime.datetime | None = Field(description="最近の活動")


class ExpertDetail(Schema):
    id: int
    display_name: str
    display_name_kana: str
    headline: str
    bio: str
    career: str
    specialties: list[str]
    industries: list[str]
    areas: list[PrefectureOut]
    base_prefecture: PrefectureOut
    qualifications: list[QualificationOut]
    facts: ExpertDetailFacts
    photo_url: str | None
    url: str


class Responsiveness(Schema):
    """Measured from the organisation's answers to expert requests (intake.OrganisationStats)."""

    window_days: int = Field(description="集計期間（直近の日数）")
    requests_measured: int = Field(description="集計対象の依頼件数")
    responded: int = Field(description="回答済みの件数")
    median_response_seconds: int | None = Field(description="最初の回答までの時間（中央値・秒）")
    answered_in_time: int = Field(description="2営業日以内に回答した件数")
    share_in_time: float | None = Field(description="2営業日以内の回答率（0〜1）")
    dispatch_fiscal_year: int | None = Field(description="派遣申請件数の年度")
    dispatches_applied: int = Field(description="その年度の専門家派遣申請件数")
    computed_at: datetime.datetime | None


class OrganisationCard(Schema):
    id: int
    name: str
    name_kana: str
    kind: KindCode
    kind_label: str
    prefecture: PrefectureOut
    municipality: str
    channels: list[ChannelCode]
    handles_dispatch: bool
    responsiveness: Responsiveness | None
    url: str


class OrganisationPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[OrganisationCard]


class OrganisationDetail(OrganisationCard):
    bureau: str
    address: str
    phone: str
    hours: str
    website: str


class IndustryOut(Schema):
    id: int
    code: str
    name: str
    parent_id: int | None


class PrefectureRef(PrefectureOut):
    bureau: str


class KindOut(Schema):
    code: KindCode
    label: str


class Reference(Schema):
    specialties: list[Named]
    industries: list[IndustryOut]
    prefectures: list[PrefectureRef]
    qualifications: list[Named]
    organisation_kinds: list[KindOut]


# --- with a token ---------------------------------------------------------------------------------

class BureauOut(Schema):
    code: str
    name: str


class Me(Schema):
    id: int
    name: str
    email: str
    roles: list[str]
    organisations: list[Named]
    bureaus: list[BureauOut]


class ExpertRef(Schema):
    id: int
    display_name: str


class CaseSummary(Schema):
    id: int
    state: StateCode
    state_label: str
    holder: Literal["organisation", "secretariat", "expert", "sme"] | None = Field(
        description="次に対応が必要な立場（終了した派遣は null）"
    )
    next_action: str = Field(description="次に対応が必要な人と内容")
    organisation: Named
    company: Named
    expert: ExpertRef
    topic: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    fiscal_year: int
    updated_at: datetime.datetime


class CasePage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[CaseSummary]


class TimelineEvent(Schema):
    at: datetime.datetime
    from_state: StateCode | Literal[""]
    to_state: StateCode
    to_state_label: str
    actor: str = Field(description="操作した人（自動処理は「システム」）")
    reason: str


class CaseDetail(CaseSummary):
    request_text: str
    place: str
    consultation_id: int | None
    created_at: datetime.datetime
    my_roles: list[str] = Field(description="この派遣での自分の立場")
    timeline: list[TimelineEvent]


class KpiValues(Schema):
    consultations: int = Field(description="相談対応件数")
    visitors: int = Field(description="来訪相談者数（年度内の初来訪の事業者）")
    solved: int = Field(description="課題解決件数（その場で解決した相談＋従事証明済みの派遣）")
    network: int = Field(description="ネットワーク活動件数")


class KpiRow(Schema):
    organisation: Named
    prefecture: PrefectureOut
    bureau: str
    plan_status: Literal[tuple(CentrePlan.Status.values)] | None = Field(description="事業計画の状態（未作成は null）")
    actuals: KpiValues = Field(description="実績（記録から集計）")
    targets: KpiValues | None = Field(description="事業計画の目標（未作成は null）")
    dispatches: int = Field(description="専門家派遣の件数（申請以降、取消し・差戻しを除く）")
    dispatches_completed: int = Field(description="支援を実施した派遣の件数")


class KpiTotals(Schema):
    actuals: KpiValues
    targets: KpiValues
    dispatches: int
    dispatches_completed: int


class Kpis(Schema):
    fiscal_year: int
    fiscal_year_label: str
    scope: Literal["nation", "region", "centre"]
    refreshed_at: datetime.datetime | None = Field(description="実績を集計した日時")
    bureaus: list[BureauOut] = Field(description="集計に含まれる経済産業局")
    totals: KpiTotals
    centres: list[KpiRow]
