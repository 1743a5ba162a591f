"""Reference tables of the synthetic population: every number here has a source or a stated
assumption. They are data, not logic; :mod:`.population` samples from them.

Where a figure is "shaped after" a statistic, it was transcribed rounded and is meant to give a
realistic *shape*, not to reproduce the statistic to the last digit; the tests compare a
generated town with these tables (not with the original publication).
"""

from __future__ import annotations

# --- age and sex ---------------------------------------------------------------------------------

# Population of Japan by 5-year age band and sex, in thousands, 1 October 2020: 令和2年国勢調査
# (不詳補完値) as carried in 総務省統計局「人口推計」(2020年10月1日現在, 総人口). Entered rounded to
# the thousand without the publication at hand: check against e-Stat before quoting them as
# official figures. Shares are computed from this table (the generator and the tests use the
# same table), so a transcription error would shift the target, not break the check.
# Bands: 0–4 … 95–99, 100+.
AGE_BANDS: tuple[tuple[str, int, int, int, int], ...] = (
    # band, lowest age, highest age, male, female
    ("0-4", 0, 4, 2325, 2216),
    ("5-9", 5, 9, 2554, 2434),
    ("10-14", 10, 14, 2714, 2586),
    ("15-19", 15, 19, 2884, 2736),
    ("20-24", 20, 24, 3231, 3066),
    ("25-29", 25, 29, 3216, 3065),
    ("30-34", 30, 34, 3434, 3300),
    ("35-39", 35, 39, 3816, 3700),
    ("40-44", 40, 44, 4293, 4182),
    ("45-49", 45, 49, 4954, 4838),
    ("50-54", 50, 54, 4406, 4336),
    ("55-59", 55, 59, 4003, 3991),
    ("60-64", 60, 64, 3692, 3760),
    ("65-69", 65, 69, 4012, 4218),
    ("70-74", 70, 74, 4385, 4808),
    ("75-79", 75, 79, 3224, 3886),
    ("80-84", 80, 84, 2262, 3147),
    ("85-89", 85, 89, 1332, 2420),
    ("90-94", 90, 94, 490, 1331),
    ("95-99", 95, 99, 97, 406),
    ("100+", 100, 105, 10, 70),
)
# Within 100+: assumed geometric decline (about halving each year), capped at 105.
CENTENARIAN_AGE_WEIGHTS = (50, 25, 12, 7, 4, 2)


def band_shares() -> dict[str, tuple[float, float]]:
    """{band: (male share, female share)} of the whole population."""
    total = sum(m + f for _b, _lo, _hi, m, f in AGE_BANDS)
    return {b: (m / total, f / total) for b, _lo, _hi, m, f in AGE_BANDS}


def band_of(age: int) -> str:
    for band, lo, hi, _m, _f in AGE_BANDS:
        if lo <= age <= hi:
            return band
    return AGE_BANDS[-1][0]


# --- households ----------------------------------------------------------------------------------

# Target shape (令和2年国勢調査, 一般世帯の家族類型): 単独 38.0 %, 夫婦のみ 20.1 %, 夫婦と子 25.0 %,
# ひとり親と子 9.0 %, その他 (三世代 etc.) 7.9 %. The generator does not draw household types from
# this table directly: it fills households from a population whose age/sex structure is fixed
# (so that the age table above holds exactly) with the conditional probabilities below, which
# were tuned so that a generated town lands near this shape (see the test and the bench).
HOUSEHOLD_TARGET = {
    "single": 0.380,
    "couple": 0.201,
    "couple_children": 0.250,
    "single_parent": 0.090,
    "other": 0.079,
}

# Minors: extra siblings (0, 1, 2) beside a child — assumption shaped after 出生動向基本調査
# (completed fertility ≈ 1.9 with most families having 2 children).
SIBLINGS = ((0, 0.45), (1, 0.42), (2, 0.13))
# Family of minors: two parents / single parent / three generations (assumption: 2020 census
# shares 18歳未満の子のいる世帯 — ひとり親 ≈ 11 %, 三世代 ≈ 10 %).
MINOR_FAMILY = (("couple_children", 0.74), ("single_parent", 0.11), ("three_generation", 0.15))
SINGLE_MOTHER_SHARE = 0.86  # 母子世帯 vs 父子世帯 (全国ひとり親世帯等調査 2021: 母子 ≈ 86 %)
# Mother's age at the birth of her first child: mean 30.7 (人口動態統計 2020), sd assumed 4.
MOTHER_AGE_MEAN, MOTHER_AGE_SD = 30.0, 4.0
HUSBAND_OLDER_MEAN, HUSBAND_OLDER_SD = 2.0, 3.0  # 夫妻の平均初婚年齢差 ≈ 1.7 years

# Adults 18–34 still living with their parents (未婚者の親との同居率 shape; assumption), and the
# share of them living with one parent only.
WITH_ONE_PARENT = 0.20
WITH_PARENTS = ((18, 19, 0.70), (20, 24, 0.50), (25, 29, 0.32), (30, 34, 0.20))
# Elderly (70+) living with a middle-aged child as 父/母 of the 世帯主 (その他 households).
ELDERLY_WITH_CHILD = 0.12
# Probability that a still unassigned adult forms a couple-only household, by age (assumption,
# tuned to the target shape above).
COUPLE_BY_AGE = (
    (18, 29, 0.08),
    (30, 39, 0.22),
    (40, 49, 0.24),
    (50, 59, 0.36),
    (60, 69, 0.46),
    (70, 79, 0.46),
    (80, 89, 0.30),
    (90, 120, 0.10),
)
WIFE_HEAD_SHARE = 0.12  # couples registering the wife as 世帯主 (assumption)
SIBLINGS_TOGETHER = 0.05  # remaining adults sharing with a 兄/姉/弟/妹
COHABITANT_PAIR = 0.01  # remaining adults sharing with a 同居人 (unrelated)
FORMER_SURNAME_SHARE = 0.01  # married women with 旧氏 recorded (旧氏併記, since 2019)
RARE_KANJI_SHARE = 0.005  # families whose surname uses a 外字/異体字 (stored exactly)

# --- flows and history ---------------------------------------------------------------------------

# Yearly flows as a share of the population (住民基本台帳人口移動報告 / 人口動態統計 shape):
# births ≈ 0.6 %, deaths ≈ 1.2 %, 転入 ≈ 4 %, 転出 ≈ 4 %, 市内転居 ≈ 2.5 %.
DEATH_RATE = 0.012
MOVE_OUT_RATE = 0.040
MOVE_WITHIN_RATE = 0.035
# 除票 are generated for the last few years only (older ones would sit in the 除票保存領域).
REMOVED_YEARS = 3
# Years since the household arrived: exponential with this mean, by the head's age (tuned so
# that the 転入 of the last 12 months are ≈ 4 % of the population).
ARRIVAL_MEAN_YEARS = ((0, 29, 5.0), (30, 39, 15.0), (40, 64, 30.0), (65, 200, 45.0))
FOREIGN_ARRIVAL_MEAN_YEARS = 6.0
ABROAD_ORIGIN_JAPANESE = 0.03  # 国外からの転入 among Japanese arrivals (assumption)
ABROAD_ORIGIN_FOREIGN = 0.55
MOVE_OUT_ABROAD_JAPANESE = 0.04
MOVE_OUT_ABROAD_FOREIGN = 0.50
PLANNED_MOVE_OUT_SHARE = 0.0015  # households with a 転出予定 within 14 days (4 %/yr × 14/365)
# 支援措置: share of eligible households (women 20–59 living alone or with children), ≈ 0.1 % of
# residents (assumption).
PROTECTION_SHARE = 0.010
# Age at death, share of deaths (人口動態統計 2022 shape).
DEATH_AGE = ((30, 64, 0.09), (65, 74, 0.14), (75, 84, 0.28), (85, 94, 0.38), (95, 104, 0.11))
DEATH_MALE_SHARE = 0.51
# Who moves out: households of movers (住民基本台帳人口移動報告: movers are mostly 20–39).
MOVER_HOUSEHOLDS = (("single", 0.62), ("couple", 0.13), ("family", 0.25))
MOVER_SINGLE_AGE = ((18, 22, 0.30), (23, 29, 0.40), (30, 39, 0.20), (40, 69, 0.10))

# --- foreign residents ---------------------------------------------------------------------------

# Probability that a household is foreign, by kind (tuned so that ≈ 2.5 % of residents are
# foreign; 在留外国人統計 2023年末: 341万人 ≈ 2.7 % of the population, concentrated at 20–39).
FOREIGN_SINGLE_YOUNG = 0.12  # single, head 18–39
FOREIGN_SINGLE_OTHER = 0.012
FOREIGN_FAMILY = 0.02
FOREIGN_SPOUSE_OF_JAPANESE = 0.008  # couples whose wife is a foreign national (日本人の配偶者等)

# Nationality shares (出入国在留管理庁「在留外国人統計」2023年12月末, rounded): 中国 24 %, ベトナム 17 %,
# 韓国 12 %, フィリピン 9 %, ブラジル 6 %, ネパール 5 %, インドネシア 4 %, ミャンマー 2.5 %, 米国 2 %,
# 台湾 2 %, タイ 2 %, インド 1.5 %, others folded into these.
NATIONALITIES = (
    ("中国", 0.27),
    ("ベトナム", 0.19),
    ("韓国", 0.13),
    ("フィリピン", 0.10),
    ("ブラジル", 0.07),
    ("ネパール", 0.06),
    ("インドネシア", 0.05),
    ("ミャンマー", 0.03),
    ("米国", 0.03),
    ("台湾", 0.03),
    ("タイ", 0.02),
    ("インド", 0.02),
)
# 在留資格 of a foreign head, by nationality (weights; assumption shaped after the same
# statistics: 韓国 mostly 特別永住者, ベトナム/インドネシア/ミャンマー 技能実習・特定技能 …).
STATUS_SINGLE = {
    "中国": (
        ("永住者", 3),
        ("技術・人文知識・国際業務", 3),
        ("留学", 3),
        ("技能実習", 1),
        ("特定技能1号", 1),
    ),
    "ベトナム": (("技能実習", 5), ("特定技能1号", 3), ("留学", 2), ("技術・人文知識・国際業務", 2)),
    "韓国": (("特別永住者", 5), ("永住者", 2), ("技術・人文知識・国際業務", 1), ("留学", 1)),
    "フィリピン": (("永住者", 4), ("定住者", 2), ("技能実習", 2), ("特定技能1号", 1)),
    "ブラジル": (("永住者", 5), ("定住者", 4)),
    "ネパール": (("留学", 3), ("技能", 2), ("技術・人文知識・国際業務", 2), ("特定技能1号", 1)),
    "インドネシア": (("技能実習", 5), ("特定技能1号", 3), ("留学", 1)),
    "ミャンマー": (("技能実習", 4), ("特定技能1号", 3), ("留学", 2)),
    "米国": (("永住者", 3), ("技術・人文知識・国際業務", 3), ("教育", 2)),
    "台湾": (("永住者", 3), ("技術・人文知識・国際業務", 3), ("留学", 2)),
    "タイ": (("技能実習", 3), ("永住者", 2), ("特定技能1号", 2)),
    "インド": (("技術・人文知識・国際業務", 4), ("技能", 2), ("永住者", 1)),
}
STATUS_FAMILY_HEAD = {
    "韓国": (("特別永住者", 6), ("永住者", 3)),
    "ブラジル": (("永住者", 6), ("定住者", 4)),
}
STATUS_FAMILY_HEAD_DEFAULT = (("永住者", 5), ("技術・人文知識・国際業務", 3), ("定住者", 2))
# The family of a head with this status holds:
STATUS_OF_FAMILY = {
    "永住者": "永住者の配偶者等",
    "技術・人文知識・国際業務": "家族滞在",
    "技能": "家族滞在",
    "定住者": "定住者",
    "特別永住者": "特別永住者",
}
PERMANENT_STATUSES = frozenset({"永住者", "特別永住者"})  # no 在留期間の満了の日
# Length of a stay granted at once, in days (1–5 years depending on the status; assumption).
STAY_DAYS = {"技能実習": (180, 730), "留学": (180, 1600), "特定技能1号": (180, 365)}
STAY_DAYS_DEFAULT = (365, 1825)
ALIAS_SHARE_SPECIAL_PERMANENT = 0.5  # 特別永住者 with a 通称 (Japanese name) recorded
# Nationalities whose married women keep their own surname.
KEEP_SURNAME = frozenset({"中国", "韓国", "ベトナム", "台湾"})

# Names in the alphabet as registered (passport order: surname first) with フリガナ.
# {nationality: (surnames, male given names, female given names, male middle, female middle)}
_N = tuple[tuple[str, str], ...]
FOREIGN_NAMES: dict[str, tuple[_N, _N, _N, _N, _N]] = {
    "中国": (
        (
            ("WANG", "ワン"),
            ("LI", "リー"),
            ("ZHANG", "チャン"),
            ("LIU", "リュウ"),
            ("CHEN", "チェン"),
            ("YANG", "ヤン"),
            ("ZHAO", "チャオ"),
            ("HUANG", "ホアン"),
            ("ZHOU", "チョウ"),
            ("WU", "ウー"),
            ("XU", "シュー"),
            ("SUN", "スン"),
            ("MA", "マー"),
            ("ZHU", "チュー"),
            ("HU", "フー"),
        ),
        (
            ("WEI", "ウェイ"),
            ("LEI", "レイ"),
            ("JIE", "ジエ"),
            ("TAO", "タオ"),
            ("JUN", "ジュン"),
            ("QIANG", "チャン"),
            ("HAO", "ハオ"),
            ("YONG", "ヨン"),
            ("BO", "ボー"),
            ("MING", "ミン"),
        ),
        (
            ("FANG", "ファン"),
            ("NA", "ナー"),
            ("MIN", "ミン"),
            ("JING", "ジン"),
            ("YAN", "イェン"),
            ("HUI", "フイ"),
            ("LING", "リン"),
            ("XIN", "シン"),
            ("YU", "ユー"),
            ("LI", "リー"),
        ),
        (),
        (),
    ),
    "台湾": (
        (
            ("CHEN", "チェン"),
            ("LIN", "リン"),
            ("HUANG", "ホアン"),
            ("CHANG", "チャン"),
            ("LEE", "リー"),
            ("WANG", "ワン"),
            ("WU", "ウー"),
            ("LIU", "リウ"),
            ("TSAI", "ツァイ"),
            ("YANG", "ヤン"),
        ),
        (
            ("CHIH-MING", "チーミン"),
            ("CHUN-HUNG", "チュンホン"),
            ("YU-TING", "ユーティン"),
            ("WEI-LUN", "ウェイルン"),
            ("CHIA-HAO", "チアハオ"),
        ),
        (
            ("YA-TING", "ヤーティン"),
            ("HSIN-YI", "シンイー"),
            ("SHU-FEN", "シューフェン"),
            ("MEI-LING", "メイリン"),
            ("PEI-SHAN", "ペイシャン"),
        ),
        (),
        (),
    ),
    "ベトナム": (
        (
            ("NGUYEN", "グエン"),
            ("TRAN", "チャン"),
            ("LE", "レ"),
            ("PHAM", "ファム"),
            ("HOANG", "ホアン"),
            ("HUYNH", "フイン"),
            ("PHAN", "ファン"),
            ("VU", "ヴー"),
            ("VO", "ヴォー"),
            ("DANG", "ダン"),
            ("BUI", "ブイ"),
            ("DO", "ドー"),
        ),
        (
            ("AN", "アン"),
            ("BINH", "ビン"),
            ("CUONG", "クオン"),
            ("DUNG", "ズン"),
            ("HUNG", "フン"),
            ("NAM", "ナム"),
            ("TUAN", "トゥアン"),
            ("HIEU", "ヒエウ"),
            ("DUC", "ドゥック"),
            ("THANH", "タイン"),
        ),
        (
            ("LINH", "リン"),
            ("MAI", "マイ"),
            ("HOA", "ホア"),
            ("LAN", "ラン"),
            ("NGOC", "ゴック"),
            ("TRANG", "チャン"),
            ("THAO", "タオ"),
            ("HUONG", "フオン"),
            ("NHUNG", "ニュン"),
            ("VY", "ヴィー"),
        ),
        (("VAN", "ヴァン"), ("DUC", "ドゥック"), ("MINH", "ミン"), ("QUANG", "クアン")),
        (("THI", "ティ"), ("NGOC", "ゴック"), ("THU", "トゥ")),
    ),
    "韓国": (
        (
            ("KIM", "キム"),
            ("LEE", "イ"),
            ("PARK", "パク"),
            ("CHOI", "チェ"),
            ("JUNG", "チョン"),
            ("KANG", "カン"),
            ("CHO", "チョ"),
            ("YOON", "ユン"),
            ("JANG", "チャン"),
            ("LIM", "イム"),
        ),
        (
            ("MINJUN", "ミンジュン"),
            ("JIHOON", "ジフン"),
            ("HYUNWOO", "ヒョヌ"),
            ("YOUNGHO", "ヨンホ"),
            ("DONGHYUN", "ドンヒョン"),
            ("SUNGMIN", "ソンミン"),
            ("JAEHO", "ジェホ"),
            ("YOUNGSOO", "ヨンス"),
        ),
        (
            ("SEOYEON", "ソヨン"),
            ("JIWOO", "ジウ"),
            ("YUNA", "ユナ"),
            ("SUJIN", "スジン"),
            ("MINJI", "ミンジ"),
            ("EUNJI", "ウンジ"),
            ("YOUNGHEE", "ヨンヒ"),
            ("HYEJIN", "ヘジン"),
        ),
        (),
        (),
    ),
    "フィリピン": (
        (
            ("SANTOS", "サントス"),
            ("REYES", "レイエス"),
            ("CRUZ", "クルス"),
            ("BAUTISTA", "バウティスタ"),
            ("GARCIA", "ガルシア"),
            ("MENDOZA", "メンドーサ"),
            ("RAMOS", "ラモス"),
            ("AQUINO", "アキノ"),
            ("VILLANUEVA", "ビラヌエバ"),
            ("DELA CRUZ", "デラクルス"),
        ),
        (
            ("JOSE", "ホセ"),
            ("MARK", "マーク"),
            ("JOHN PAUL", "ジョン・ポール"),
            ("MICHAEL", "マイケル"),
            ("RONALDO", "ロナルド"),
            ("JERICHO", "ジェリコ"),
        ),
        (
            ("MARIA", "マリア"),
            ("ANA", "アナ"),
            ("GRACE", "グレース"),
            ("JOY", "ジョイ"),
            ("CRISTINA", "クリスティーナ"),
            ("ROSE ANN", "ローズ・アン"),
            ("MARICEL", "マリセル"),
        ),
        (),
        (),
    ),
    "ブラジル": (
        (
            ("SILVA", "シルバ"),
            ("SANTOS", "サントス"),
            ("OLIVEIRA", "オリベイラ"),
            ("SOUZA", "ソウザ"),
            ("PEREIRA", "ペレイラ"),
            ("COSTA", "コスタ"),
            ("RODRIGUES", "ロドリゲス"),
            ("FERREIRA", "フェレイラ"),
            ("NAKAMURA", "ナカムラ"),
            ("TANAKA", "タナカ"),
        ),
        (
            ("LUCAS", "ルーカス"),
            ("GABRIEL", "ガブリエル"),
            ("RAFAEL", "ハファエル"),
            ("BRUNO", "ブルーノ"),
            ("MARCOS", "マルコス"),
            ("PAULO", "パウロ"),
            ("RICARDO", "ヒカルド"),
        ),
        (
            ("ANA", "アナ"),
            ("JULIANA", "ジュリアナ"),
            ("FERNANDA", "フェルナンダ"),
            ("CAMILA", "カミラ"),
            ("BEATRIZ", "ベアトリス"),
            ("LETICIA", "レチシア"),
        ),
        (),
        (),
    ),
    "ネパール": (
        (
            ("SHRESTHA", "シュレスタ"),
            ("GURUNG", "グルン"),
            ("TAMANG", "タマン"),
            ("RAI", "ライ"),
            ("MAGAR", "マガル"),
            ("THAPA", "タパ"),
            ("SHARMA", "シャルマ"),
            ("ADHIKARI", "アディカリ"),
        ),
        (
            ("RAM", "ラム"),
            ("BIKASH", "ビカス"),
            ("PRAKASH", "プラカシュ"),
            ("RAJESH", "ラジェシュ"),
            ("SURESH", "スレス"),
            ("DIPAK", "ディパク"),
        ),
        (("SUNITA", "スニタ"), ("ANITA", "アニタ"), ("SITA", "シタ"), ("GITA", "ギタ"), ("SABINA", "サビナ")),
        (),
        (),
    ),
    "インドネシア": (
        (
            ("SETIAWAN", "セティアワン"),
            ("SANTOSO", "サントソ"),
            ("PRATAMA", "プラタマ"),
            ("WULANDARI", "ウランダリ"),
            ("HIDAYAT", "ヒダヤット"),
            ("SAPUTRA", "サプトラ"),
            ("LESTARI", "レスタリ"),
        ),
        (("AGUS", "アグス"), ("BUDI", "ブディ"), ("RIZKY", "リズキ"), ("EKO", "エコ"), ("DWI", "ドウィ")),
        (("DEWI", "デウィ"), ("SITI", "シティ"), ("PUTRI", "プトリ"), ("INDAH", "インダ"), ("AYU", "アユ")),
        (),
        (),
    ),
    "ミャンマー": (
        (("AUNG", "アウン"), ("KYAW", "チョー"), ("HTET", "テッ"), ("ZAW", "ゾー"), ("WIN", "ウィン")),
        (("MIN THU", "ミン・トゥ"), ("ZIN KO", "ジン・コ"), ("NAING", "ナイン"), ("HTUN", "トゥン")),
        (("SU SU", "スー・スー"), ("THIDA", "ティダ"), ("MYA", "ミャ"), ("KHIN", "キン")),
        (),
        (),
    ),
    "米国": (
        (
            ("SMITH", "スミス"),
            ("JOHNSON", "ジョンソン"),
            ("WILLIAMS", "ウィリアムズ"),
            ("BROWN", "ブラウン"),
            ("JONES", "ジョーンズ"),
            ("MILLER", "ミラー"),
            ("DAVIS", "デイビス"),
            ("WILSON", "ウィルソン"),
        ),
        (
            ("JOHN", "ジョン"),
            ("MICHAEL", "マイケル"),
            ("DAVID", "デイビッド"),
            ("JAMES", "ジェームズ"),
            ("ROBERT", "ロバート"),
        ),
        (
            ("EMILY", "エミリー"),
            ("SARAH", "サラ"),
            ("JESSICA", "ジェシカ"),
            ("ASHLEY", "アシュリー"),
            ("JENNIFER", "ジェニファー"),
        ),
        (("LEE", "リー"), ("ALAN", "アラン"), ("JAMES", "ジェームズ")),
        (("ANN", "アン"), ("MARIE", "マリー"), ("LYNN", "リン")),
    ),
    "タイ": (
        (
            ("SRISUK", "シースック"),
            ("WONGSA", "ウォンサー"),
            ("CHAIYAPORN", "チャイヤポーン"),
            ("SAETANG", "セータン"),
            ("BOONMA", "ブンマー"),
        ),
        (("SOMCHAI", "ソムチャイ"), ("ANAN", "アナン"), ("KITTI", "キッティ"), ("NATTAPONG", "ナッタポン")),
        (
            ("SOMSRI", "ソムシー"),
            ("MALEE", "マリー"),
            ("PORNTHIP", "ポーンティップ"),
            ("SIRIPORN", "シリポーン"),
        ),
        (),
        (),
    ),
    "インド": (
        (
            ("KUMAR", "クマール"),
            ("SINGH", "シン"),
            ("SHARMA", "シャルマ"),
            ("PATEL", "パテル"),
            ("GUPTA", "グプタ"),
            ("REDDY", "レッディ"),
        ),
        (("RAHUL", "ラフル"), ("AMIT", "アミット"), ("VIKRAM", "ヴィクラム"), ("ARJUN", "アルジュン")),
        (("PRIYA", "プリヤ"), ("NEHA", "ネハ"), ("ANJALI", "アンジャリ"), ("POOJA", "プージャ")),
        (),
        (),
    ),
}
MIDDLE_AFTER_GIVEN = frozenset({"米国"})
# 通称 of 特別永住者 (Japanese surnames commonly used as 通称).
ALIAS_SURNAMES = (
    ("金田", "カネダ"),
    ("金本", "カネモト"),
    ("新井", "アライ"),
    ("松本", "マツモト"),
    ("木村", "キムラ"),
    ("岩本", "イワモト"),
    ("高山", "タカヤマ"),
    ("西原", "ニシハラ"),
)
COUNTRY_ADDRESS = {  # 国外 as written in 転入前住所 / 転出先住所
    "中国": "中華人民共和国",
    "ベトナム": "ベトナム社会主義共和国",
    "韓国": "大韓民国",
    "フィリピン": "フィリピン共和国",
    "ブラジル": "ブラジル連邦共和国",
    "ネパール": "ネパール",
    "インドネシア": "インドネシア共和国",
    "ミャンマー": "ミャンマー連邦共和国",
    "米国": "アメリカ合衆国",
    "台湾": "台湾",
    "タイ": "タイ王国",
    "インド": "インド",
}
JAPANESE_ABROAD = (
    "アメリカ合衆国",
    "中華人民共和国",
    "オーストラリア連邦",
    "タイ王国",
    "イギリス",
    "ドイツ連邦共和国",
    "シンガポール共和国",
    "カナダ",
)

# --- Japanese names ------------------------------------------------------------------------------

# Faker ja_JP supplies the 50 most frequent surnames (weighted by frequency) and ~50 given
# names; these add the next ~100 surnames (明治安田生命/名字由来net rankings, ranks ≈ 51–150)
# and given names typical of each birth cohort (明治安田生命「名前ランキング」 by year).
EXTRA_SURNAMES = (
    ("石田", "イシダ"),
    ("小野", "オノ"),
    ("田村", "タムラ"),
    ("竹内", "タケウチ"),
    ("金子", "カネコ"),
    ("和田", "ワダ"),
    ("中山", "ナカヤマ"),
    ("上田", "ウエダ"),
    ("原田", "ハラダ"),
    ("中野", "ナカノ"),
    ("小山", "コヤマ"),
    ("石原", "イシハラ"),
    ("松井", "マツイ"),
    ("今井", "イマイ"),
    ("河野", "コウノ"),
    ("高木", "タカギ"),
    ("藤本", "フジモト"),
    ("武田", "タケダ"),
    ("村田", "ムラタ"),
    ("上野", "ウエノ"),
    ("杉山", "スギヤマ"),
    ("増田", "マスダ"),
    ("小島", "コジマ"),
    ("平野", "ヒラノ"),
    ("大塚", "オオツカ"),
    ("千葉", "チバ"),
    ("久保", "クボ"),
    ("松尾", "マツオ"),
    ("丸山", "マルヤマ"),
    ("菅原", "スガワラ"),
    ("岩崎", "イワサキ"),
    ("野口", "ノグチ"),
    ("木下", "キノシタ"),
    ("佐野", "サノ"),
    ("野村", "ノムラ"),
    ("松下", "マツシタ"),
    ("菊地", "キクチ"),
    ("杉本", "スギモト"),
    ("市川", "イチカワ"),
    ("古川", "フルカワ"),
    ("大野", "オオノ"),
    ("水野", "ミズノ"),
    ("桜井", "サクライ"),
    ("高野", "タカノ"),
    ("渡部", "ワタナベ"),
    ("吉川", "ヨシカワ"),
    ("山内", "ヤマウチ"),
    ("西田", "ニシダ"),
    ("飯田", "イイダ"),
    ("菊池", "キクチ"),
    ("西川", "ニシカワ"),
    ("小松", "コマツ"),
    ("北村", "キタムラ"),
    ("安藤", "アンドウ"),
    ("五十嵐", "イガラシ"),
    ("川口", "カワグチ"),
    ("平田", "ヒラタ"),
    ("関", "セキ"),
    ("中田", "ナカタ"),
    ("久保田", "クボタ"),
    ("服部", "ハットリ"),
    ("東", "アズマ"),
    ("岩田", "イワタ"),
    ("土屋", "ツチヤ"),
    ("福島", "フクシマ"),
    ("本田", "ホンダ"),
    ("辻", "ツジ"),
    ("樋口", "ヒグチ"),
    ("秋山", "アキヤマ"),
    ("田口", "タグチ"),
    ("永井", "ナガイ"),
    ("山中", "ヤマナカ"),
    ("中西", "ナカニシ"),
    ("吉村", "ヨシムラ"),
    ("川上", "カワカミ"),
    ("石橋", "イシバシ"),
    ("大西", "オオニシ"),
    ("荒木", "アラキ"),
    ("宮崎", "ミヤザキ"),
    ("高田", "タカダ"),
    ("星", "ホシ"),
    ("宮本", "ミヤモト"),
    ("内田", "ウチダ"),
    ("酒井", "サカイ"),
    ("工藤", "クドウ"),
    ("横山", "ヨコヤマ"),
    ("宮田", "ミヤタ"),
    ("原", "ハラ"),
    ("柴田", "シバタ"),
    ("須藤", "スドウ"),
    ("桑原", "クワバラ"),
    ("大久保", "オオクボ"),
    ("野田", "ノダ"),
    ("小池", "コイケ"),
    ("谷口", "タニグチ"),
    ("松岡", "マツオカ"),
    ("黒田", "クロダ"),
    ("安田", "ヤスダ"),
    ("尾崎", "オザキ"),
    ("馬場", "ババ"),
)
# Surnames written with 異体字/外字 (U+20BB7 𠮷, U+9AD9 髙, U+FA11 﨑, 邉, 邊, 齋, 齊, 濱, 德).
RARE_SURNAMES = (
    ("𠮷田", "ヨシダ"),
    ("髙橋", "タカハシ"),
    ("山﨑", "ヤマザキ"),
    ("渡邉", "ワタナベ"),
    ("渡邊", "ワタナベ"),
    ("齋藤", "サイトウ"),
    ("齊藤", "サイトウ"),
    ("濱田", "ハマダ"),
    ("髙木", "タカギ"),
    ("德永", "トクナガ"),
)
# Given names by birth cohort: (first year of the cohort, male names, female names).
GIVEN_NAMES_BY_COHORT = (
    (
        0,
        (
            ("清", "キヨシ"),
            ("茂", "シゲル"),
            ("勇", "イサム"),
            ("博", "ヒロシ"),
            ("実", "ミノル"),
            ("進", "ススム"),
            ("正", "タダシ"),
            ("武", "タケシ"),
            ("三郎", "サブロウ"),
            ("正雄", "マサオ"),
            ("和夫", "カズオ"),
            ("幸雄", "ユキオ"),
            ("昭", "アキラ"),
            ("勝", "マサル"),
            ("弘", "ヒロシ"),
            ("一郎", "イチロウ"),
        ),
        (
            ("幸子", "サチコ"),
            ("和子", "カズコ"),
            ("節子", "セツコ"),
            ("洋子", "ヨウコ"),
            ("文子", "フミコ"),
            ("京子", "キョウコ"),
            ("久子", "ヒサコ"),
            ("美代子", "ミヨコ"),
            ("悦子", "エツコ"),
            ("静子", "シズコ"),
            ("ハナ", "ハナ"),
            ("キミ", "キミ"),
            ("トシ", "トシ"),
            ("千代子", "チヨコ"),
            ("芳子", "ヨシコ"),
        ),
    ),
    (
        1950,
        (
            ("誠", "マコト"),
            ("浩", "ヒロシ"),
            ("修", "オサム"),
            ("隆", "タカシ"),
            ("健一", "ケンイチ"),
            ("哲也", "テツヤ"),
            ("直樹", "ナオキ"),
            ("和彦", "カズヒコ"),
            ("秀樹", "ヒデキ"),
            ("浩二", "コウジ"),
            ("剛", "ツヨシ"),
            ("聡", "サトシ"),
            ("達也", "タツヤ"),
            ("学", "マナブ"),
            ("稔", "ミノル"),
        ),
        (
            ("恵子", "ケイコ"),
            ("陽子", "ヨウコ"),
            ("裕子", "ユウコ"),
            ("直美", "ナオミ"),
            ("由美子", "ユミコ"),
            ("真由美", "マユミ"),
            ("久美子", "クミコ"),
            ("明美", "アケミ"),
            ("智子", "トモコ"),
            ("典子", "ノリコ"),
            ("美香", "ミカ"),
            ("順子", "ジュンコ"),
            ("淳子", "ジュンコ"),
            ("純子", "スミコ"),
        ),
    ),
    (
        1980,
        (
            ("大輔", "ダイスケ"),
            ("拓也", "タクヤ"),
            ("翔太", "ショウタ"),
            ("健太", "ケンタ"),
            ("和也", "カズヤ"),
            ("直人", "ナオト"),
            ("亮", "リョウ"),
            ("大樹", "ダイキ"),
            ("翔", "ショウ"),
            ("拓海", "タクミ"),
            ("雄太", "ユウタ"),
            ("駿", "シュン"),
        ),
        (
            ("愛", "アイ"),
            ("彩", "アヤ"),
            ("舞", "マイ"),
            ("麻衣", "マイ"),
            ("美咲", "ミサキ"),
            ("沙織", "サオリ"),
            ("香織", "カオリ"),
            ("愛美", "マナミ"),
            ("瞳", "ヒトミ"),
            ("恵", "メグミ"),
            ("彩香", "アヤカ"),
            ("理沙", "リサ"),
        ),
    ),
    (
        2000,
        (
            ("蓮", "レン"),
            ("陽翔", "ハルト"),
            ("悠真", "ユウマ"),
            ("湊", "ミナト"),
            ("大翔", "ヒロト"),
            ("颯太", "ソウタ"),
            ("樹", "イツキ"),
            ("悠斗", "ユウト"),
            ("陸", "リク"),
            ("蒼", "アオイ"),
            ("朝陽", "アサヒ"),
            ("律", "リツ"),
            ("碧", "アオイ"),
        ),
        (
            ("陽葵", "ヒマリ"),
            ("結菜", "ユイナ"),
            ("凛", "リン"),
            ("芽依", "メイ"),
            ("紬", "ツムギ"),
            ("葵", "アオイ"),
            ("結愛", "ユア"),
            ("咲良", "サクラ"),
            ("美桜", "ミオ"),
            ("莉子", "リコ"),
            ("杏", "アン"),
            ("澪", "ミオ"),
            ("花", "ハナ"),
        ),
    ),
)

# --- addresses -----------------------------------------------------------------------------------

# 方書 (building name + room): share of households, in 住居表示 (丁目) areas and elsewhere
# (assumption: 共同住宅 ≈ 44 % of dwellings nationally (住宅・土地統計調査 2018), fewer outside
# city centres; only part of them is recorded with a 方書).
EXTRA_SHARE_URBAN = 0.35
EXTRA_SHARE_RURAL = 0.08
BUILDING_PREFIXES = (
    "コーポ",
    "ハイツ",
    "メゾン",
    "グランド",
    "パレス",
    "サンハイツ",
    "アーバン",
    "ロイヤル",
    "エスポワール",
    "ヴィラ",
    "プリムローズ",
    "フォーレスト",
)
BUILDING_SUFFIXES = ("", "", "", "荘", "マンション", "ハイツ", "レジデンス", "コート", "ガーデン")
# Weight of a 町字 when choosing where a household lives: 住居表示 areas are denser (assumption).
URBAN_WEIGHT, OTHER_WEIGHT, RURAL_WEIGHT = 4, 2, 1
KANJI_NUMBERS = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十")
