#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Deterministic list of N entries in the ttscreen-csv format, for the scale bench.

    python3 tests/bench/genlist.py N [SEED] > list.csv
    python3 tests/bench/genlist.py N SEED --queries Q > queries.txt

People and organisations of several cultures and scripts: Latin-script names
(English, German, French, Spanish, Portuguese, Italian, Polish, Turkish,
Vietnamese, Indonesian), Cyrillic (Russian, Ukrainian), Han (Chinese), Japanese
(kanji surnames with kana given names, katakana company names), Hangul and
Arabic. The vocabulary is large, as a real list's is: given names and surnames
are drawn from lists of common ones and, for three entries in five, from words
built of syllables of the same language (tens of thousands of distinct tokens
at a million entries, with the long tail of rare words real lists have).
About a third of the entries have one to three aliases (a transliteration, a
short form, a variant spelling).

--queries Q prints Q search strings instead: names of entries of the list
(some perturbed: a letter dropped or swapped, words swapped) and names that
are not on it, one a line; the same N and SEED give the same queries.

Only Python's random.Random with a fixed seed is used (its sequence for
choice/randrange is stable across Python 3 versions), so the same arguments
give the same bytes on every machine.
"""
import random
import sys

LATIN_GIVEN = (
    "James John Robert Michael William David Richard Joseph Thomas Charles Mary Patricia "
    "Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Hans Klaus Jurgen Wolfgang "
    "Stefan Andreas Monika Ursula Petra Sabine Jean Pierre Michel Philippe Alain Nicolas "
    "Isabelle Nathalie Sylvie Catherine Jose Antonio Manuel Francisco Juan Carmen Lucia "
    "Pilar Dolores Rosa Joao Pedro Paulo Tiago Ana Beatriz Mariana Giuseppe Giovanni "
    "Marco Luca Francesca Chiara Giulia Piotr Krzysztof Tomasz Agnieszka Katarzyna "
    "Mehmet Mustafa Ahmet Emine Ayse Fatma Nguyen Minh Tuan Huong Lan Budi Agus Siti "
    "Dewi Rizky Putri Oleg Boris Sergei Natalia Tatiana Svetlana Ali Hassan Hussein "
    "Omar Khalid Yusuf Ibrahim Fatima Aisha Maryam Zainab"
).split()
LATIN_SURNAME = (
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore Jackson "
    "Martin Lee Thompson White Harris Clark Lewis Walker Muller Schmidt Schneider Fischer "
    "Weber Meyer Wagner Becker Schulz Hoffmann Bernard Dubois Durand Lefebvre Moreau "
    "Laurent Simon Michel Garcia Fernandez Gonzalez Rodriguez Lopez Martinez Sanchez "
    "Perez Gomez Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Rossi Russo "
    "Ferrari Esposito Bianchi Romano Colombo Nowak Kowalski Wisniewski Wojcik Kaminski "
    "Yilmaz Kaya Demir Sahin Celik Yildiz Tran Le Pham Hoang Phan Vu Dang Bui Santoso "
    "Wijaya Kusuma Hidayat Saputra Ivanov Petrov Sidorov Smirnov Kuznetsov Popov Volkov "
    "Sokolov Morozov Novikov Al-Rashid Al-Hashimi Haddad Khoury Nasser Mansour Saleh "
    "Hamdan Qureshi Rahman Chowdhury"
).split()
# syllables for words of each kind of Latin name (onset + vowel + coda)
LATIN_SYL = {
    "en": ("b br c ch d f g h j k l m n p r s sh st t th tr w",
           "a e i o u ea ou ai", "n r l s t ck ll nd rt ng"),
    "de": ("b br d f g h k kl l m n p r s sch st t w z",
           "a e i o u au ei ie", "n r l s t ck ng rt tz ld"),
    "fr": ("b ch d f g j l m n p r s t v",
           "a e i o u ou eau ai", "n r l s t x"),
    "es": ("b c d f g j l ll m n p r s t v z",
           "a e i o u ia ue", "n r l s z"),
    "pl": ("b cz d g k l m n p r s sz t w z",
           "a e i o u y", "k n r l s sz ski wicz"),
    "tr": ("b c d g h k l m n p r s t y z",
           "a e i o u", "n r l k t z"),
    "vi": ("b d g h kh l m n ng nh ph qu s t th tr v x",
           "a e i o u uy ie ua", "n ng nh c t m p"),
}
LATIN_SYL = {k: tuple(p.split() for p in v) for k, v in LATIN_SYL.items()}

CYR_GIVEN = ("Александр Сергей Владимир Андрей Алексей Дмитрий Михаил Николай Иван Олег "
             "Юрий Виктор Игорь Павел Татьяна Елена Ольга Наталья Ирина Светлана Мария "
             "Анна Людмила Галина Богдан Тарас Оксана Богдана").split()
CYR_SURNAME = ("Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков "
               "Фёдоров Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов "
               "Степанов Николаев Орлов Андреев Макаров Шевченко Коваленко Бондаренко "
               "Ткаченко Кравченко").split()
CYR_SYL = ("б в г д ж з к л м н п р с т ф х ц ч ш".split(), "а е и о у ы я ю".split(),
           ["", "", "н", "р", "л", "в", "к", "ст"])
CYR_SURNAME_END = ["ов", "ев", "ин", "ский", "енко", "ук", "ич"]
CYR_PATRONYMIC_END = ["ович", "евич"]
CYR_ORG = ["ООО", "АО", "ПАО", "ЗАО"]
CYR_ORG_WORDS = ("Нефть Газ Строй Транс Пром Энерго Технологии Машиностроение Металл Торг "
                 "Инвест Логистика Сервис Холдинг Химия Агро Снаб Авиа Морфлот").split()

HAN_SURNAME = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
HAN_GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文辉力斌宇浩凯鹏飞鑫波海燕慧俊峰晨旭宁佳欣怡雪梅琳晶颖婷倩莉云龙坤翔瑞泽天昊博文轩子涵梓萱雨涵一诺思远嘉怡")
HAN_ORG_HEAD = list("华中东南西北新远恒泰盛鑫汇达通信科电力能源海天宏光明利隆兴安华润金银瑞丰联合国际")
HAN_ORG_TRADE = ["科技", "电子", "贸易", "航运", "机械", "化工", "能源", "物流", "投资", "实业",
                 "进出口", "精密", "材料", "半导体", "光电", "通讯"]
HAN_ORG_FORM = ["有限公司", "股份有限公司", "集团有限公司", "有限责任公司"]

JA_SURNAME = ("佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 "
              "井上 木村 林 斎藤 清水 山崎 森 池田 橋本 阿部 石川 山下 中島 石井 小川").split()
KANA_SYL = list("あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわ")
KATA_SYL = list("アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン")
JA_ORG_FORM = ["株式会社", "有限会社", "合同会社"]
JA_ORG_TRADE = ["工業", "商事", "電機", "精機", "化学", "物産", "製作所", "技研", "海運"]

KO_SURNAME = list("김이박최정강조윤장임한오서신권황안송류홍")
KO_SYL = list("민준서연지우현수영진호성희은혜재동경태훈석아윤하도유상철미선숙정명")
KO_ORG_FORM = ["주식회사", "(주)", "유한회사"]
KO_ORG_TRADE = ["전자", "무역", "해운", "기계", "화학", "에너지", "물산", "중공업", "반도체"]

AR_GIVEN = ("محمد أحمد علي حسن حسين عمر خالد يوسف إبراهيم عبدالله عبدالرحمن سعيد مصطفى "
            "محمود طارق كريم فاطمة عائشة مريم زينب خديجة نور سارة ليلى").split()
AR_FAMILY = ("الرشيد الهاشمي حداد خوري ناصر منصور صالح حمدان القرشي الرحمن العلي الحسيني "
             "التميمي الشمري العتيبي القحطاني الزهراني الغامدي المالكي الدوسري").split()
AR_LETTERS = list("بتثجحخدذرزسشصضطظعغفقكلمنهوي")
AR_ORG = ["شركة", "مؤسسة", "مجموعة"]
AR_ORG_TRADE = ["للتجارة", "للنقل", "للصناعات", "للاستثمار", "للنفط", "للإلكترونيات", "للشحن"]
AR_ORG_FORM = ["ذ.م.م", "المحدودة", "ش.م.ع", ""]

ORG_HEAD = ("Golden Pacific Northern Orient Summit Harbor Meridian Evergreen Apex Nova Lotus "
            "Pioneer Global United Eastern Western Silver Crystal Royal Imperial Atlas Delta "
            "Phoenix Star Ocean Eagle Falcon Dragon Tiger Sun Crescent Alpine Baltic Caspian").split()
ORG_TRADE = ("Trading Industries Shipping Holdings Electronics Machinery Technology Bank "
             "Group Logistics Chemical Energy Petroleum Aviation Marine Precision Materials "
             "Optics Robotics Semiconductor Battery Aerospace Instruments Alloys Textiles "
             "Pharmaceuticals Mining Construction Investment Finance Insurance").split()
ORG_FORM = ["Ltd", "Co., Ltd.", "LLC", "GmbH", "JSC", "Inc.", "S.A.", "OOO", "PJSC", "LLP",
            "Limited", "Corporation", "B.V.", "S.r.l.", ""]
COUNTRIES = ["CN", "RU", "IR", "KP", "SY", "AE", "TR", "DE", "US", "GB", "JP", "KR", "VN",
             "ID", "UA", "BY", "VE", "CU", "PK", "IN", "FR", "ES", "IT", "PL", "BR", "MX"]
PROGRAMS = ["SDGT", "IRAN", "RUSSIA-EO14024", "UKRAINE-EO13662", "DPRK", "SYRIA", "CUBA",
            "NPWMD", "VENEZUELA", "CYBER2", "GLOMAG", "1260H", "EL", "MEU"]


def latin_word(r, lang, lo=2, hi=3):
    on, vo, co = LATIN_SYL[lang]
    w = ""
    for k in range(r.randint(lo, hi)):
        w += r.choice(on) + r.choice(vo)
        if k == 0 or r.random() < 0.3:
            w += r.choice(co)
    return w.capitalize()


def cyr_word(r, lo=2, hi=3):
    on, vo, co = CYR_SYL
    w = "".join(r.choice(on) + r.choice(vo) + r.choice(co) for _ in range(r.randint(lo, hi)))
    return w.capitalize()


def latin_person(r):
    lang = r.choice(list(LATIN_SYL))
    given = r.choice(LATIN_GIVEN) if r.random() < 0.6 else latin_word(r, lang, 2, 2)
    sur = r.choice(LATIN_SURNAME) if r.random() < 0.4 else latin_word(r, lang, 2, 3)
    parts = [given]
    if r.random() < 0.3:
        parts.append(r.choice(LATIN_GIVEN) if r.random() < 0.5 else latin_word(r, lang, 2, 2))
    parts.append(sur)
    if lang in ("es", "vi") and r.random() < 0.5:
        parts.append(latin_word(r, lang, 2, 3))
    name = " ".join(parts)
    aliases = []
    if r.random() < 0.3:
        aliases.append(sur.upper() + ", " + " ".join(parts[:-1]))
    if r.random() < 0.15:
        aliases.append(given[0] + ". " + sur)
    return "person", name, aliases


def latin_org(r):
    lang = r.choice(list(LATIN_SYL))
    words = []
    if r.random() < 0.5:
        words.append(r.choice(ORG_HEAD))
    words.append(latin_word(r, lang, 2, 4))
    if r.random() < 0.4:
        words.append(latin_word(r, lang, 2, 3))
    words.append(r.choice(ORG_TRADE))
    if r.random() < 0.3:
        words.append(r.choice(ORG_TRADE))
    form = r.choice(ORG_FORM)
    name = " ".join(words) + (" " + form if form else "")
    aliases = []
    if r.random() < 0.3:
        aliases.append("".join(w[0] for w in words).upper() + (" " + form if form else ""))
    if r.random() < 0.2:
        aliases.append(" ".join(words[:-1]))
    return "organisation", name, aliases


def cyr_person(r):
    given = r.choice(CYR_GIVEN)
    sur = r.choice(CYR_SURNAME) if r.random() < 0.4 else cyr_word(r) + r.choice(CYR_SURNAME_END)
    patr = r.choice(CYR_GIVEN)
    patr = patr[:-1] if patr.endswith(("й", "а")) else patr
    name = f"{sur} {given} {patr}{r.choice(CYR_PATRONYMIC_END)}"
    return "person", name, ([f"{given} {sur}"] if r.random() < 0.3 else [])


def cyr_org(r):
    head = r.choice(CYR_ORG_WORDS) + r.choice(CYR_ORG_WORDS).lower()
    if r.random() < 0.6:
        head = cyr_word(r, 2, 3) + r.choice(CYR_ORG_WORDS).lower()
    name = f"{r.choice(CYR_ORG)} «{head}»"
    return "organisation", name, ([head] if r.random() < 0.3 else [])


def han_person(r):
    name = r.choice(HAN_SURNAME) + "".join(r.choice(HAN_GIVEN) for _ in range(r.randint(1, 2)))
    return "person", name, []


def han_org(r):
    head = "".join(r.choice(HAN_ORG_HEAD) for _ in range(r.randint(2, 3)))
    city = r.choice(["", "深圳", "上海", "北京", "广州", "天津", "重庆", "杭州", "宁波", "大连"])
    name = city + head + r.choice(HAN_ORG_TRADE) + r.choice(HAN_ORG_FORM)
    return "organisation", name, ([head + r.choice(HAN_ORG_TRADE)] if r.random() < 0.3 else [])


def ja_person(r):
    given = "".join(r.choice(KANA_SYL) for _ in range(r.randint(2, 3)))
    return "person", r.choice(JA_SURNAME) + " " + given, []


def ja_org(r):
    head = "".join(r.choice(KATA_SYL) for _ in range(r.randint(3, 5)))
    form = r.choice(JA_ORG_FORM)
    trade = r.choice(JA_ORG_TRADE)
    name = form + head + trade if r.random() < 0.5 else head + trade + form
    return "organisation", name, []


def ko_person(r):
    name = r.choice(KO_SURNAME) + "".join(r.choice(KO_SYL) for _ in range(2))
    return "person", name, []


def ko_org(r):
    head = "".join(r.choice(KO_SYL) for _ in range(r.randint(2, 3)))
    return "organisation", f"{r.choice(KO_ORG_FORM)} {head}{r.choice(KO_ORG_TRADE)}", []


def ar_person(r):
    given = r.choice(AR_GIVEN)
    fam = r.choice(AR_FAMILY) if r.random() < 0.5 else "ال" + "".join(
        r.choice(AR_LETTERS) for _ in range(r.randint(3, 5)))
    father = r.choice(AR_GIVEN)
    return "person", f"{given} {father} {fam}", []


def ar_org(r):
    head = "".join(r.choice(AR_LETTERS) for _ in range(r.randint(3, 6)))
    form = r.choice(AR_ORG_FORM)
    name = f"{r.choice(AR_ORG)} {head} {r.choice(AR_ORG_TRADE)}" + (f" {form}" if form else "")
    return "organisation", name, []


# (weight, maker): Latin script most, as on real lists
MAKERS = [(30, latin_person), (25, latin_org), (8, cyr_person), (6, cyr_org), (6, han_person),
          (6, han_org), (3, ja_person), (3, ja_org), (2, ko_person), (2, ko_org),
          (5, ar_person), (4, ar_org)]
TOTAL = sum(w for w, _ in MAKERS)


def entry(r):
    k = r.randrange(TOTAL)
    for w, make in MAKERS:
        if k < w:
            return make(r)
        k -= w
    raise AssertionError


def csv_field(s):
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n;') else s


def perturb(r, s):
    words = s.split(" ")
    k = r.randrange(4)
    if k == 0 and len(words) > 1:
        i = r.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
        return " ".join(words)
    if k == 1 and len(s) > 4:
        i = r.randrange(1, len(s) - 1)
        return s[:i] + s[i + 1:]
    if k == 2 and len(s) > 4:
        i = r.randrange(1, len(s) - 2)
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s


def main():
    args = sys.argv[1:]
    n = int(args[0])
    seed = int(args[1]) if len(args) > 1 and not args[1].startswith("-") else 20261203
    queries = int(args[args.index("--queries") + 1]) if "--queries" in args else 0
    r = random.Random(seed)
    out = sys.stdout
    if queries:
        # every step-th entry of the list, regenerated with the same stream
        step = max(1, n // queries)
        picked = []
        for i in range(n):
            kind, name, aliases = entry(r)
            r.choice(COUNTRIES), r.choice(PROGRAMS)
            if i % step == 0 and len(picked) < queries:
                picked.append(name)
        q = random.Random(seed + 1)
        for i, name in enumerate(picked):
            if i % 10 == 9:
                name = entry(q)[1]  # most likely not on the list
            elif i % 3 == 0:
                name = perturb(q, name)
            out.write(name.replace("\n", " ") + "\n")
        return
    out.write("id,name,aliases,country,programs,listed_on,source_url\n")
    for i in range(n):
        kind, name, aliases = entry(r)
        country = r.choice(COUNTRIES)
        program = r.choice(PROGRAMS)
        aka = ";".join(a.replace(";", ",") for a in aliases)
        out.write(f"gen-{i},{csv_field(name)},{csv_field(aka) if aka else ''},{country},"
                  f"{program},2026-01-01,\n")


if __name__ == "__main__":
    main()
