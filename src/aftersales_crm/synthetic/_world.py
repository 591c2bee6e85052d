"""The synthetic dealer network's world: every number and list the draws read, in one place.

Each constant is a share, a period or a distribution parameter of the generative model.
They describe a plausible Chinese dealer network of a volume brand, not any real dealer;
the rhythms follow the after-sales practice the library models (a first maintenance 3 to
6 months after purchase, then a visit every 6 months or 5,000 to 10,000 km).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from types import MappingProxyType
from typing import Final

from aftersales_crm.features import CHINA_STANDARD_TIME
from aftersales_crm.records import ComplaintCategory, ContactOutcome
from aftersales_crm.values import (
    BodyType,
    ContactChannel,
    ContactPurpose,
    FuelType,
    PayType,
    ServiceKind,
)

DEFAULT_AS_OF: Final = date(2026, 6, 30)
"""The day the synthetic history ends when no ``as_of`` is given (a fixed date: the library
reads no clock).

Examples:
    >>> from aftersales_crm import synthetic
    >>> synthetic.DEFAULT_AS_OF
    datetime.date(2026, 6, 30)
"""

# ------------------------------------------------------------------ dealers and customers

#: Customers per dealer when ``n_dealers`` is not given, and the bounds on the count.
CUSTOMERS_PER_DEALER, MIN_DEALERS, MAX_DEALERS = 2_000, 2, 200
#: Share of dealers with the full after-sales function (only those form club chapters).
FULL_FUNCTION_SHARE = 0.9
#: Share of customers that are fleets or companies.
FLEET_SHARE = 0.03
#: Share of individual customers who are men; share of given names with two characters.
MALE_SHARE, TWO_CHAR_GIVEN_SHARE = 0.62, 0.7
#: Mean and spread (normal) of customers' ages in years, and the youngest and oldest age.
AGE_MEAN, AGE_SD, AGE_MIN, AGE_MAX = 41, 10, 20, 75
#: Median (km) and spread (lognormal sigma) of the distance from home to the home dealer.
HOME_DISTANCE_MEDIAN_KM, HOME_DISTANCE_SIGMA = 6.0, 0.7

CITIES: Final = (
    # name, latitude, longitude, plate prefix, national-ID county codes
    ("北京", 39.9042, 116.4074, "京A", ("110101", "110105", "110108", "110106")),
    ("上海", 31.2304, 121.4737, "沪A", ("310101", "310104", "310115", "310112")),
    ("广州", 23.1291, 113.2644, "粤A", ("440103", "440106", "440111", "440113")),
    ("深圳", 22.5431, 114.0579, "粤B", ("440303", "440304", "440305", "440306")),
    ("杭州", 30.2741, 120.1551, "浙A", ("330102", "330106", "330108", "330110")),
    ("南京", 32.0603, 118.7969, "苏A", ("320102", "320104", "320105", "320106")),
    ("成都", 30.5728, 104.0668, "川A", ("510104", "510105", "510106", "510107")),
    ("武汉", 30.5928, 114.3055, "鄂A", ("420102", "420103", "420106", "420111")),
    ("重庆", 29.5630, 106.5516, "渝A", ("500103", "500104", "500105", "500106")),
    ("西安", 34.3416, 108.9398, "陕A", ("610102", "610103", "610104", "610113")),
)
#: Spread (degrees, normal) of a dealer's position around its city centre.
DEALER_SPREAD_DEG = 0.08
FAMILY_NAMES: Final = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_CHARS: Final = tuple(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕鑫宇浩然子轩欣怡梓涵晨阳嘉"
)
COMPANY_NAMES: Final = ("顺达物流", "安捷租车", "华信出行", "恒通快运", "金桥商务")
MOBILE_PREFIXES: Final = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177",
    "178", "180", "181", "182", "183", "185", "186", "187", "188", "189", "198", "199",
)  # fmt: skip
#: Hobbies a Book's customers may list (up to two).
HOBBIES: Final = ("自驾", "摄影", "钓鱼", "骑行", "露营", "美食")

# ------------------------------------------------------------------ consent

#: Consent given at purchase, per (purpose, channel).
CONSENT_SHARES: Final[Mapping[tuple[str, str], float]] = MappingProxyType(
    {
        ("service_reminder", "phone"): 0.9,
        ("marketing", "sms"): 0.6,
        ("survey", "phone"): 0.7,
    }
)
#: Share of customers who later withdraw marketing by SMS, and how many days after purchase.
WITHDRAW_MARKETING_SHARE, WITHDRAW_AFTER_DAYS = 0.05, 200
#: Hour of the day (UTC) consents given at purchase are recorded.
CONSENT_HOUR = 10
#: Days before ``as_of`` consent is dated for a customer without a vehicle.
CONSENT_DAYS_WITHOUT_VEHICLE = 30

# ------------------------------------------------------------------ vehicles

#: Years of sales history before ``as_of``.
HISTORY_YEARS = 8
#: Share of customers with a second vehicle.
SECOND_VEHICLE_SHARE = 0.12
#: Share of vehicles that change hands once (the buyer is another customer of the base).
RESALE_SHARE = 0.03
#: Vehicles younger than this many days are not resold.
MIN_DAYS_BEFORE_RESALE = 400
#: A resale happens between these fractions of the time from purchase to ``as_of``.
RESALE_WINDOW = (0.3, 0.9)
#: Share of vehicles that were not sold by the network (full record at first visit).
NOT_SOLD_HERE_SHARE = 0.15
#: Median and spread (lognormal sigma) of kilometres driven per day.
KM_PER_DAY_MEDIAN, KM_PER_DAY_SIGMA = 38.0, 0.45
WMIS: Final = ("LSV", "LFV", "LSG", "LVS", "LHG", "LVG", "LBV", "LE4", "LRW", "LGB")
MODELS: Final = (
    # model, body type, fuel, share
    ("Lavida", BodyType.SEDAN, FuelType.PETROL, 0.22),
    ("Tiguan L", BodyType.SUV, FuelType.PETROL, 0.16),
    ("Passat", BodyType.SEDAN, FuelType.PETROL, 0.12),
    ("Touran", BodyType.MPV, FuelType.PETROL, 0.07),
    ("Sagitar", BodyType.SEDAN, FuelType.PETROL, 0.14),
    ("ID.4", BodyType.SUV, FuelType.BATTERY_ELECTRIC, 0.10),
    ("Magotan PHEV", BodyType.SEDAN, FuelType.PLUG_IN_HYBRID, 0.06),
    ("Golf GTI", BodyType.HATCHBACK, FuelType.PETROL, 0.05),
    ("Teramont", BodyType.SUV, FuelType.DIESEL, 0.05),
    ("Scirocco", BodyType.SPORTS, FuelType.PETROL, 0.03),
)
#: The brand (车辆品牌) of each model of ``MODELS``, as Chinese dealers record it: the
#: joint venture that makes it, or the importer. Read from the model, so brands draw no
#: random number.
MODEL_BRANDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "Lavida": "上汽大众",
        "Tiguan L": "上汽大众",
        "Passat": "上汽大众",
        "Touran": "上汽大众",
        "Sagitar": "一汽-大众",
        "ID.4": "上汽大众",
        "Magotan PHEV": "一汽-大众",
        "Golf GTI": "一汽-大众",
        "Teramont": "上汽大众",
        "Scirocco": "大众进口",
    }
)
COLOURS: Final = ("白", "黑", "银", "灰", "蓝", "红")

# ------------------------------------------------------------------ visits and repair orders

#: Mean years until an owner drifts away for good (exponential).
MEAN_YEARS_TO_DRIFT = 4.5
#: First maintenance: 3 to 6 months, or about 5,000 km, whichever comes first.
FIRST_MAINTENANCE_DAYS, FIRST_MAINTENANCE_KM = (90, 180), 5_000
#: The first maintenance is never sooner than this many days after purchase.
MIN_FIRST_MAINTENANCE_DAYS = 7
#: Routine service: every 6 months, or 5,000 to 10,000 km, whichever comes first.
SERVICE_DAYS, SERVICE_KM = 182, (5_000, 10_000)
#: The shortest gap between two routine visits, and the most visits one vehicle makes.
MIN_GAP_DAYS, MAX_VISITS = 30, 50
#: Days of slack, either way, around a due visit.
VISIT_JITTER_DAYS = 21
#: Share of visits that were booked by appointment.
APPOINTMENT_SHARE = 0.35
#: Share of repair visits that come back for the same fault, and within how many days.
COMEBACK_SHARE, COMEBACK_DAYS = 0.04, (2, 15)
#: Beijing time, in seconds east of UTC: the synthetic dealers' business hours are local.
UTC_OFFSET_S = int(CHINA_STANDARD_TIME.total_seconds())
#: Workshops open orders between these local hours; the promise is this many hours later.
OPENING_HOURS, PROMISED_HOURS = (8, 11), (2, 9)
#: Share of orders delivered after the promised time, and by how many hours.
LATE_SHARE, LATE_HOURS = 0.12, (1, 48)
#: An order on time is handed back up to this many seconds early, and never sooner
#: than this many seconds after it opened.
EARLY_S, MIN_WORKSHOP_S = 2 * 3600, 1800
#: The odometer reading of a visit is the vehicle's rate times its age, within this spread.
MILEAGE_SPREAD = (0.92, 1.08)
#: Extra lines per visit (Poisson mean) and the most lines on one order.
EXTRA_LINES_MEAN, MAX_LINES = 0.8, 4
#: Service advisors per dealer; an order's advisor is its row modulo this count.
ADVISORS_PER_DEALER = 5

# Service lines: kind, pay type, weight among extra lines, labour and parts (median fen).
FIRST_LINE: Final = (ServiceKind.FIRST_MAINTENANCE, PayType.WARRANTY, 0.0, 15_000, 20_000)
ROUTINE_LINE: Final = (ServiceKind.MAINTENANCE, PayType.CUSTOMER, 0.0, 25_000, 45_000)
EXTRA_LINES: Final = (
    (ServiceKind.MINOR_REPAIR, PayType.CUSTOMER, 0.30, 20_000, 35_000),
    (ServiceKind.WARRANTY_CLAIM, PayType.WARRANTY, 0.15, 40_000, 60_000),
    (ServiceKind.MAJOR_REPAIR, PayType.CUSTOMER, 0.05, 150_000, 300_000),
    (ServiceKind.INSURANCE_REPAIR, PayType.INSURANCE, 0.08, 80_000, 160_000),
    (ServiceKind.BODY_PAINT, PayType.CUSTOMER, 0.10, 60_000, 40_000),
    (ServiceKind.ACCESSORIES, PayType.CUSTOMER, 0.12, 5_000, 60_000),
    (ServiceKind.PARTS_SALE, PayType.CUSTOMER, 0.08, 0, 30_000),
    (ServiceKind.INSURANCE_RENEWAL, PayType.CUSTOMER, 0.06, 30_000, 0),  # agency fee
    (ServiceKind.INSPECTION_AGENCY, PayType.CUSTOMER, 0.04, 30_000, 0),
    (ServiceKind.ROADSIDE_RESCUE, PayType.CUSTOMER, 0.02, 50_000, 10_000),
)
#: The parts a line of each service kind may replace (更换零部件), one set drawn per line
#: with a parts amount; kinds not listed replace none (agency fees, for instance).
PARTS_REPLACED: Final[Mapping[ServiceKind, tuple[tuple[str, ...], ...]]] = MappingProxyType(
    {
        ServiceKind.FIRST_MAINTENANCE: (("机油", "机油滤清器"),),
        ServiceKind.MAINTENANCE: (
            ("机油", "机油滤清器"),
            ("机油", "机油滤清器", "空气滤清器"),
            ("机油", "机油滤清器", "空调滤清器"),
            ("机油", "机油滤清器", "火花塞"),
            ("机油", "机油滤清器", "刹车油"),
        ),
        ServiceKind.MINOR_REPAIR: (("前刹车片",), ("后刹车片",), ("雨刮片",), ("蓄电池",)),
        ServiceKind.WARRANTY_CLAIM: (("水泵",), ("车窗升降器",), ("氧传感器",), ("点火线圈",)),
        ServiceKind.MAJOR_REPAIR: (
            ("离合器片", "离合器压盘"),
            ("正时皮带", "张紧轮"),
            ("涡轮增压器",),
        ),
        ServiceKind.INSURANCE_REPAIR: (
            ("前保险杠",),
            ("前大灯",),
            ("后视镜",),
            ("前保险杠", "前大灯"),
        ),
        ServiceKind.BODY_PAINT: (("车漆",),),
        ServiceKind.ACCESSORIES: (("脚垫",), ("行车记录仪",), ("座椅套",)),
        ServiceKind.PARTS_SALE: (("雨刮片",), ("蓄电池",), ("轮胎",)),
        ServiceKind.ROADSIDE_RESCUE: (("蓄电池",), ("轮胎",)),
    }
)
#: Spread (lognormal sigma) of line amounts around each kind's median.
AMOUNT_SIGMA = 0.5
#: Spread (lognormal sigma) of each customer's spend propensity: a multiplier with mean 1 on
#: the amounts of the lines the customer or their insurer pays. The library's choice: real
#: dealer bases follow the Pareto rule (the top 20% of customers bring 70–80% of value);
#: with this spread the synthetic base does too (its A class brings about 72% of spend and
#: its B class about 21% on bases of ten thousand customers and more; small bases scatter
#: around that), where customers who all spend alike give A only about 54%.
SPEND_PROPENSITY_SIGMA = 1.2
#: The pay types whose amounts follow the customer's spend propensity; warranty and
#: internal work are paid by the maker and the dealer, whatever the customer is like.
PROPENSITY_PAYS: Final = (PayType.CUSTOMER, PayType.INSURANCE)
#: The random streams apart from the main one, each ``default_rng((seed, stream))``: the
#: facts only a Book carries, the spend propensities and the parts replaced (so that every
#: other draw of a seed is the same with or without them).
BOOK_STREAM, SPEND_STREAM, PARTS_STREAM = 1, 2, 3
#: The random stream of the club activities (``._activities``), apart from the others
#: for the same reason.
ACTIVITY_STREAM = 4

# ------------------------------------------------------------------ facts only a Book carries

#: Share of deliveries whose follow-up call was made, per call; the days after delivery
#: are the care rule [`FOLLOW_UP_DAYS`][aftersales_crm.values.FOLLOW_UP_DAYS].
FOLLOW_UP_REACH: Final[Mapping[ContactPurpose, float]] = MappingProxyType(
    {ContactPurpose.FOLLOW_UP_3D: 0.85, ContactPurpose.FOLLOW_UP_7D: 0.5}
)
#: Outcomes of a follow-up call, each with its weight: about 43% are reached, and each
#: of the four hard-to-reach customers of the follow-up deck comes up as often as a refusal.
CALL_OUTCOME_WEIGHTS: Final[Mapping[ContactOutcome, int]] = MappingProxyType(
    {
        ContactOutcome.REACHED: 6,
        ContactOutcome.NO_ANSWER: 2,
        ContactOutcome.REFUSED: 1,
        ContactOutcome.WRONG_NUMBER: 1,
        **{outcome: 1 for outcome in ContactOutcome if outcome.is_hard_to_reach},
    }
)
#: The outcomes of ``CALL_OUTCOME_WEIGHTS``, each repeated by its weight.
CALL_OUTCOMES: Final = tuple(
    outcome.value for outcome, weight in CALL_OUTCOME_WEIGHTS.items() for _ in range(weight)
)
#: Call-centre staff who make the calls (``CC01`` to ``CC05``).
CALL_STAFF = 5
#: Share of orders that draw a complaint: after a late delivery or a comeback, otherwise.
COMPLAINT_SHARE_TROUBLED, COMPLAINT_SHARE_NORMAL = 0.08, 0.015
#: Hours after delivery a complaint is filed.
COMPLAINT_DELAY_HOURS = (2, 72)
#: What complaints are about: every category but "other".
COMPLAINT_CATEGORIES: Final = tuple(
    category.value for category in ComplaintCategory if category is not ComplaintCategory.OTHER
)
#: Severities of a complaint, repeated by their weight.
COMPLAINT_SEVERITIES: Final = ("low", "low", "medium", "medium", "high", "critical")
#: The steps of a complaint and their typical hours after filing (each 0.5 to 2 times that).
#: A resolved complaint was in progress (处理中) halfway between its acknowledgement and
#: its resolution.
COMPLAINT_STEPS: Final = (("acknowledged", 4), ("resolved", 72), ("closed", 120))
COMPLAINT_STEP_SPREAD = (0.5, 2.0)
#: The least time between two steps of a complaint: a step follows the one before it.
COMPLAINT_STEP_GAP: Final = timedelta(minutes=30)
#: Verdicts of a closed complaint, repeated by their weight.
COMPLAINT_VERDICTS: Final = ("satisfied", "satisfied", "neutral", "dissatisfied")
#: Share of customers who refer a buyer, and of referrals that end in a delivery.
REFERRAL_SHARE, REFERRAL_SUCCESS_SHARE = 0.04, 0.5
#: A referral is made this many days before ``as_of``; the delivery this many days later.
REFERRAL_DAYS_AGO, REFERRAL_DELIVERY_DAYS = (30, 900), (7, 60)

# ------------------------------------------------------------------ club activities

#: Club activities are dated this many days before ``as_of`` (the last bound excluded):
#: the activities table covers about the last two years.
ACTIVITY_DAYS_AGO = (1, 700)
#: Activities a dealer's club holds in a year, the most one member can attend: a monthly
#: car-care class, an outdoor event every 2-3 months and a yearly party (12 + 5 + 1), as
#: in the dealer's club plan that 《斯柯达车友汇客户关爱总监培训教材》 shows as a case:
#: "每月一期爱车课堂", "每2-3个月一期户外活动", "每年一期车友答谢晚会".
ACTIVITIES_PER_YEAR = 18
#: Shape of the gamma distribution (mean 1) of each customer's propensity to attend. The
#: library's choice: a small shape makes participation heavy-tailed, as club attendance
#: is: about four customers in five attend nothing in two years, a few attend monthly.
ACTIVITY_PROPENSITY_SHAPE = 0.25
#: Activities a customer of propensity 1 attends over the whole window: a base, plus this
#: many for each repair order in the window (visitors are invited and come more often;
#: the library's choice). With the model's visits, about one customer in five attends at
#: least one activity in the window.
ACTIVITY_BASE, ACTIVITY_PER_VISIT = 0.15, 0.2

# ------------------------------------------------------------------ the owners' club

#: The random stream of the owners' club (``._members``), apart from the others so that
#: the other tables of a seed are the same with or without it.
CLUB_STREAM = 5
#: The club opened this many days before ``as_of``: nobody applies earlier.
CLUB_OPEN_DAYS = 6 * 365
#: Share of the individual owners served by a dealer with a chapter who apply, at some
#: point, to join it. With the joins and lapses below, about 55% of the owners are members
#: or applicants at the end, near the "会员招募率56.6%" that 《斯柯达车友汇客户关爱总监培训教材》
#: reports nationally.
APPLY_SHARE = 0.62
#: Mean days from the later of the first purchase and the club's opening to applying
#: (exponential).
APPLY_MEAN_DAYS = 120
#: Share of applicants who join, and the days from applying to joining (uniform, the last
#: bound excluded).
JOIN_SHARE, JOIN_DAYS = 0.92, (1, 31)
#: Share of the applicants who do not join that withdraw, and after how many days.
WITHDRAW_SHARE, WITHDRAW_DAYS = 0.5, (15, 61)
#: Share of members who move once to another chapter, and the days after joining.
TRANSFER_SHARE, TRANSFER_DAYS = 0.03, (30, 1_500)
#: Share of members who lapse, and the days after their last step (join or transfer).
LAPSE_SHARE, LAPSE_DAYS = 0.12, (60, 1_500)
#: Why members lapse ([`LapseReason`][aftersales_crm.records.LapseReason] values) and how often.
LAPSE_REASONS: Final[Mapping[str, float]] = MappingProxyType(
    {"lost": 0.6, "left": 0.2, "vehicle_sold": 0.15, "other": 0.05}
)
#: Share of lapsed members who come back, and the days after lapsing.
REACTIVATE_SHARE, REACTIVATE_DAYS = 0.25, (30, 600)
#: Share of applicants brought in by an earlier member (推荐入会).
REFERRED_SHARE = 0.05
#: Club facts happen in business hours, Beijing time: this hour range (the last excluded).
CLUB_HOURS = (9, 18)

# -- satisfaction surveys (the Book's, from its own stream) ---------------------------------
#: The random stream of the survey responses, apart from the Book's other facts so that
#: adding surveys moved none of them.
SURVEY_STREAM = 14
#: Share of delivered repair orders whose customer answers the CSI survey, and the days
#: after delivery it is answered (uniform, the last bound excluded): J.D. Power China fields
#: its CSI study by interview, the dealer's own survey rides on the 3-day and 7-day calls.
SURVEY_SHARE, SURVEY_DAYS = 0.3, (3, 8)
#: The satisfaction model behind each answer (the generator's choice, not a published
#: figure): a respondent's level on 1–10 around this mean, with this spread; each factor of
#: the China CSI set lies around the level with a spread of its own (so the factors are
#: correlated through the level, as factor scores of one respondent are); each item lies
#: around its factor with the last spread.
SURVEY_MEAN, SURVEY_RESPONDENT_SD, SURVEY_FACTOR_SD, SURVEY_ITEM_SD = 8.3, 0.9, 0.7, 0.7
#: Each dealer's effect on each factor, and each service advisor's effect on the
#: service-advisor factor (normal, mean 0, these spreads): the known effects a test of the
#: satisfaction analytics looks for (``synthetic.survey_effects``).
SURVEY_DEALER_SD, SURVEY_ADVISOR_SD = 0.4, 0.6
#: How much lower the pick-up factor is rated after a late delivery, and the quality factor
#: after a repeat repair, on the 1–10 scale.
SURVEY_LATE_PENALTY, SURVEY_COMEBACK_PENALTY = 1.5, 2.0
#: The weight of each China CSI factor in the recommend score (0–10): the true key drivers,
#: unequal on purpose so that a key-driver analysis has an order to find; quality first, as
#: in the published 2014 and 2015 China CSI weights. The recommend score is the weighted factor levels plus
#: noise of the last spread.
SURVEY_DRIVERS: Final[Mapping[str, float]] = MappingProxyType(
    {
        "service_initiation": 0.13,
        "service_advisor": 0.26,
        "service_facility": 0.06,
        "vehicle_pickup": 0.19,
        "service_quality": 0.36,
    }
)
SURVEY_RECOMMEND_SD = 0.6
#: Share of items a respondent leaves unanswered.
SURVEY_SKIP_SHARE = 0.04
#: Share of delivered repair orders whose customer also answers SERVQUAL (1991, 22 paired
#: items on 1–7, expectation and perception), and the share of those who give importance
#: points. The SERVQUAL model is the generator's choice, shaped as SERVQUAL studies report
#: their results (expectations near the top of the scale, perceptions below them): each
#: dimension's mean expectation, and how far the mean perception falls below it.
SERVQUAL_SHARE, SERVQUAL_IMPORTANCE_SHARE = 0.05, 0.8
SERVQUAL_EXPECTED: Final[Mapping[str, float]] = MappingProxyType(
    {
        "tangibles": 5.6,
        "reliability": 6.5,
        "responsiveness": 6.2,
        "assurance": 6.3,
        "empathy": 5.9,
    }
)
SERVQUAL_SHORTFALL: Final[Mapping[str, float]] = MappingProxyType(
    {
        "tangibles": 0.3,
        "reliability": 1.0,
        "responsiveness": 0.8,
        "assurance": 0.5,
        "empathy": 0.6,
    }
)
#: Spreads: a respondent's expectations (shared by the dimensions), a dimension's
#: perception around its mean, and an item around its dimension, on 1–7.
SERVQUAL_EXPECTED_SD, SERVQUAL_PERCEIVED_SD, SERVQUAL_ITEM_SD = 0.4, 0.6, 0.5
#: The mean importance points a respondent gives each dimension (summing to 100), and how
#: closely respondents follow them (a Dirichlet's concentration).
SERVQUAL_IMPORTANCE: Final[Mapping[str, int]] = MappingProxyType(
    {"tangibles": 11, "reliability": 32, "responsiveness": 22, "assurance": 19, "empathy": 16}
)
SERVQUAL_IMPORTANCE_CONCENTRATION = 30.0

# -- staff beliefs of customers' expectations (the Book's, from their own stream) -------------
#: The random stream of the staff survey responses, apart from the customers' surveys.
STAFF_SURVEY_STREAM = 15
#: Each dealer's service manager answers, and from this many of its service advisors
#: (uniform, the last bound excluded), within this many days before ``as_of``.
STAFF_ADVISORS, STAFF_SURVEY_DAYS = (1, 3), (1, 91)
#: The hour (UTC) staff answer at: 10:00 Beijing time.
STAFF_SURVEY_HOUR = 2
#: The mean believed expectation on SERVQUAL's 1–7 scale, the spread of staff members
#: around it and of one item around its staff member: the library's choice, a little below
#: the top of the scale, where customers' stated expectations cluster.
STAFF_BELIEF_MEAN, STAFF_BELIEF_SD, STAFF_BELIEF_ITEM_SD = 5.6, 0.4, 0.6

# -- the customers' own preferences (from their own stream) -------------------------------------
#: The random stream of the customers' preferences (lunar birthday, preferred channel), apart
#: from the others so that every other draw of a seed is the same with or without them.
PREFERENCE_STREAM = 16
#: Share of the individual owners who celebrate the lunar birthday (农历生日): the
#: library's choice, a small share, so that the lunar greeting has customers to greet.
LUNAR_BIRTHDAY_SHARE = 0.1
#: Share of the customers who name a channel they prefer, and the channels they name with
#: their weights: the library's choice, the phone and SMS that the consents cover most,
#: and messaging apps.
PREFERRED_CHANNEL_SHARE = 0.2
PREFERRED_CHANNELS: Final[Mapping[ContactChannel, float]] = MappingProxyType(
    {ContactChannel.PHONE: 0.5, ContactChannel.SMS: 0.3, ContactChannel.MESSAGING_APP: 0.2}
)
