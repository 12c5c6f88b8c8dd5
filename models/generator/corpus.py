# -*- coding: utf-8 -*-
"""Synthetic Japanese text for the ja-reranker test tokenizer and test cases.

Everything in this file was written for this project: a fictional web shop / magazine
("みどり商店") with products, recipes, travel guides, support FAQs and store news.  No
third-party corpus, dictionary or data set is used.  The generator is deterministic for a
given ``random.Random`` state.
"""

SHOP = "みどり商店"

BRANDS = [
    "ミドリ", "ハルカ", "ソラノ", "こもれび", "やまびこ", "sora", "AquaLite", "KAZE",
    "Nagomi", "TOMOSHIBI", "あかり工房", "北風製作所", "青葉電機", "木の実舎", "HOSHI",
]

MODEL_CODES = [
    "KX-2040", "TX-5", "AL-300", "MK2", "HR-18", "S-700", "ZERO-1", "V3", "P-120", "QT-88",
    "NX-10", "LT-250",
]

PRODUCTS = [
    # (name, category)
    ("電気ケトル", "キッチン家電"), ("炊飯器", "キッチン家電"), ("電子レンジ", "キッチン家電"),
    ("トースター", "キッチン家電"), ("コーヒーメーカー", "キッチン家電"), ("ホットプレート", "キッチン家電"),
    ("ミキサー", "キッチン家電"), ("掃除機", "生活家電"), ("加湿器", "生活家電"), ("空気清浄機", "生活家電"),
    ("扇風機", "生活家電"), ("洗濯機", "生活家電"), ("冷蔵庫", "生活家電"), ("電気毛布", "生活家電"),
    ("ドライヤー", "美容家電"), ("電動歯ブラシ", "美容家電"), ("体重計", "健康家電"),
    ("万年筆", "文房具"), ("ボールペン", "文房具"), ("ノート", "文房具"), ("手帳", "文房具"),
    ("付箋", "文房具"), ("消しゴム", "文房具"), ("定規", "文房具"), ("ホッチキス", "文房具"),
    ("包丁", "キッチン用品"), ("まな板", "キッチン用品"), ("フライパン", "キッチン用品"),
    ("土鍋", "キッチン用品"), ("保存容器", "キッチン用品"), ("水筒", "キッチン用品"),
    ("弁当箱", "キッチン用品"), ("計量カップ", "キッチン用品"), ("急須", "キッチン用品"),
    ("テント", "アウトドア用品"), ("寝袋", "アウトドア用品"), ("ランタン", "アウトドア用品"),
    ("登山靴", "アウトドア用品"), ("リュックサック", "アウトドア用品"), ("折りたたみ椅子", "アウトドア用品"),
    ("帽子", "衣料品"), ("手袋", "衣料品"), ("靴下", "衣料品"), ("雨がっぱ", "衣料品"),
    ("腕時計", "小物"), ("財布", "小物"), ("傘", "小物"), ("眼鏡ケース", "小物"),
    ("モバイルバッテリー", "スマホ周辺機器"), ("ワイヤレスイヤホン", "スマホ周辺機器"),
    ("充電ケーブル", "スマホ周辺機器"), ("スマートウォッチ", "スマホ周辺機器"),
]

FEATURES = [
    "軽量で持ち運びやすい", "静音設計で夜でも使える", "省エネ性能が高い", "防水仕様で雨の日も安心",
    "抗菌加工が施されている", "大容量なのにコンパクトな", "丸洗いできる", "自動電源オフ機能が付いた",
    "温度を細かく調節できる", "タイマー付きの", "電池が長持ちする", "折りたたみ式の",
    "日本の職人が仕上げた", "木目調のデザインが美しい", "手入れが簡単な", "初心者でも扱いやすい",
    "プロも愛用する", "子どもでも安全に使える", "USB-Cで充電できる", "Bluetooth対応の",
    "Wi-Fiでスマホと連携できる", "LEDライトを搭載した", "再生素材を使った", "丈夫で長く使える",
]

COLORS = [
    "白", "黒", "赤", "青", "緑", "灰色", "紺色", "桜色", "ベージュ", "シルバー", "ネイビー",
    "オリーブ", "からし色", "若草色", "生成り",
]

DISHES = [
    "肉じゃが", "親子丼", "カレーライス", "味噌汁", "焼き魚", "茶碗蒸し", "天ぷら", "お好み焼き",
    "餃子", "豚汁", "筑前煮", "卵焼き", "照り焼きチキン", "ハンバーグ", "冷やし中華", "おにぎり",
    "炊き込みご飯", "鍋焼きうどん", "すき焼き", "ちらし寿司", "麻婆豆腐", "唐揚げ", "ぶり大根",
    "きんぴらごぼう", "ポテトサラダ", "けんちん汁", "たこ焼き", "焼きそば", "オムライス", "グラタン",
]

INGREDIENTS = [
    "鶏もも肉", "豚バラ肉", "牛こま切れ肉", "ひき肉", "玉ねぎ", "にんじん", "じゃがいも", "大根",
    "長ねぎ", "しいたけ", "豆腐", "卵", "白菜", "キャベツ", "ほうれん草", "生姜", "にんにく",
    "ごぼう", "こんにゃく", "れんこん", "ぶり", "鮭", "えび", "油揚げ", "ピーマン", "トマト",
    "きゅうり", "もやし", "米", "うどん", "中華麺", "小麦粉", "片栗粉", "パン粉", "牛乳", "チーズ",
]

SEASONINGS = [
    "醤油", "みりん", "砂糖", "塩", "味噌", "だし", "酒", "酢", "ごま油", "サラダ油", "こしょう",
    "ケチャップ", "マヨネーズ", "ソース", "バター", "豆板醤", "鶏ガラスープの素",
]

AMOUNTS = [
    "200g", "300g", "1個", "2個", "半分", "1本", "2本", "大さじ1", "大さじ2", "小さじ1",
    "小さじ1/2", "少々", "適量", "100ml", "300ml", "1カップ", "2枚", "1/4個", "ひとつまみ",
]

RECIPE_STEPS = [
    "{i}は食べやすい大きさに切ります。", "{i}は皮をむいて一口大に切ります。",
    "鍋に{s}を熱し、{i}を中火で炒めます。", "{i}と{j}を加えて弱火で{n}分ほど煮込みます。",
    "味を見ながら{s}で調えます。", "器に盛り付けて{i}を散らせば完成です。",
    "フライパンを熱して{i}を焼き色がつくまで焼きます。", "沸騰したら火を弱めてあくを取ります。",
    "冷蔵庫で{n}分ほど寝かせます。", "{s}と{t}を混ぜ合わせてたれを作ります。",
    "{i}に{s}をもみ込み、{n}分おきます。", "ふたをして蒸し焼きにします。",
    "ボウルに{i}を入れてよく混ぜます。", "油を170度に熱して{i}をからりと揚げます。",
    "ご飯の上に{i}をのせ、{s}をかけます。", "耐熱容器に入れて電子レンジで{n}分加熱します。",
]

RECIPE_TIPS = [
    "コツは{i}を先に炒めて香りを出すことです。", "作り置きする場合は冷蔵庫で{n}日ほど保存できます。",
    "{i}の代わりに{j}を使ってもおいしく作れます。", "お弁当のおかずにもぴったりです。",
    "子どもにも人気の定番料理です。", "煮込む時間を長くすると味がよくしみます。",
    "冷凍保存する場合は小分けにしてください。", "{s}を少し足すとコクが出ます。",
]

PLACES = [
    ("京都", "京都府"), ("奈良", "奈良県"), ("金沢", "石川県"), ("函館", "北海道"), ("札幌", "北海道"),
    ("仙台", "宮城県"), ("松本", "長野県"), ("高山", "岐阜県"), ("倉敷", "岡山県"), ("尾道", "広島県"),
    ("長崎", "長崎県"), ("熊本", "熊本県"), ("鹿児島", "鹿児島県"), ("那覇", "沖縄県"), ("日光", "栃木県"),
    ("箱根", "神奈川県"), ("鎌倉", "神奈川県"), ("伊勢", "三重県"), ("出雲", "島根県"), ("松山", "愛媛県"),
    ("高知", "高知県"), ("別府", "大分県"), ("富良野", "北海道"), ("軽井沢", "長野県"), ("小樽", "北海道"),
    ("弘前", "青森県"), ("会津若松", "福島県"), ("川越", "埼玉県"), ("宮島", "広島県"), ("湯布院", "大分県"),
]

SPOTS = [
    "古いお寺", "神社", "お城", "温泉街", "美術館", "水族館", "展望台", "朝市", "日本庭園", "滝",
    "湖", "古い町並み", "動物園", "博物館", "商店街", "港", "植物園", "酒蔵", "竹林", "灯台",
]

SEASON_EVENTS = [
    "春は桜が見ごろを迎え", "夏は花火大会が開かれ", "秋は紅葉が山を彩り", "冬は一面の雪景色が広がり",
    "週末には朝市がにぎわい", "夜はライトアップが行われ", "伝統的な祭りが毎年開かれ",
    "梅雨の時期はあじさいが咲き", "初夏には新緑がまぶしく",
]

TRANSPORTS = ["バス", "電車", "徒歩", "タクシー", "レンタカー", "路面電車", "フェリー", "自転車", "ロープウェイ"]

LOCAL_FOODS = [
    "海鮮丼", "ラーメン", "そば", "うどん", "和菓子", "地酒", "焼き鳥", "団子", "餃子", "カステラ",
    "ちゃんぽん", "ジンギスカン", "牛たん", "おでん", "もみじまんじゅう", "湯豆腐", "ほうとう",
]

FAQ = [
    ("注文した商品はいつ届きますか。",
     "通常はご注文から{n}営業日以内に発送します。配送状況は注文履歴の画面から確認できます。"),
    ("送料はいくらですか。",
     "全国一律{price}円です。{big}円以上のご注文で送料が無料になります。"),
    ("返品や交換はできますか。",
     "商品到着後{n}日以内であれば、未使用品に限り返品や交換を受け付けています。"),
    ("支払い方法には何がありますか。",
     "クレジットカード、銀行振込、コンビニ払い、代金引換をご利用いただけます。"),
    ("ポイントの有効期限はありますか。",
     "最後にポイントが増えた日から{n}か月間有効です。期限を過ぎると失効します。"),
    ("パスワードを忘れてしまいました。",
     "ログイン画面の「パスワードを忘れた方」からメールアドレスを入力し、再設定してください。"),
    ("ログインできません。",
     "メールアドレスとパスワードをご確認ください。それでも解決しない場合はお問い合わせ窓口までご連絡ください。"),
    ("注文をキャンセルしたいです。",
     "発送前であればマイページからキャンセルできます。発送後のキャンセルはお受けできません。"),
    ("領収書は発行できますか。",
     "注文履歴のページから領収書をPDFでダウンロードできます。"),
    ("届いた商品が壊れていました。",
     "大変申し訳ございません。お手数ですが、商品の写真を添えてサポート窓口までご連絡ください。"),
    ("配送日時を指定できますか。",
     "ご注文時に配送日と時間帯を指定できます。一部の地域では指定できない場合があります。"),
    ("ギフト包装はできますか。",
     "1点につき{price}円でギフト包装を承ります。のしやメッセージカードもご用意しています。"),
    ("会員登録は必要ですか。",
     "会員登録をしなくてもお買い物はできますが、登録するとポイントがたまります。"),
    ("メールマガジンを停止したいです。",
     "マイページのメール設定から配信を停止できます。反映まで{n}日ほどかかる場合があります。"),
    ("海外への発送はしていますか。",
     "申し訳ございませんが、現在は日本国内への発送のみとなっております。"),
    ("在庫切れの商品は再入荷しますか。",
     "再入荷の予定がある商品は、商品ページの「入荷お知らせ」から通知を受け取れます。"),
    ("電話で問い合わせできますか。",
     "お電話でのお問い合わせは平日10:00〜18:00に受け付けています。"),
    ("クーポンが使えません。",
     "クーポンには有効期限と対象商品があります。ご利用条件をご確認ください。"),
]

NEWS = [
    "{m}月{d}日から{event}を開催します。期間中は{cat}の対象商品が{pct}%オフになります。",
    "{brand}の新しい{product}が{m}月{d}日に発売されます。",
    "年末年始の休業日は{m}月{d}日から{n}日間です。休業中のご注文は休み明けに順次発送します。",
    "{m}月のおすすめ特集では、{season}に役立つ{cat}をご紹介します。",
    "アプリをご利用のお客様に{pct}%オフのクーポンをお配りしています。",
    "店舗限定で{product}の試用会を行います。ご予約は不要です。",
]
NEWS_EVENTS = ["春の大感謝祭", "夏のセール", "秋の収穫祭フェア", "冬のあったか市", "決算セール", "新生活応援フェア"]
SEASONS = ["春", "夏", "秋", "冬", "梅雨", "新生活", "お正月", "行楽シーズン"]

REVIEWS = [
    "{product}を買いました。{feature}ところが気に入っています。",
    "色は{color}を選びました。写真よりも落ち着いた色合いで満足です。",
    "思っていたより小さかったですが、{use}にはちょうどいい大きさでした。",
    "{n}か月使っていますが、今のところ故障もなく快適です。",
    "注文の翌日に届きました。梱包もていねいでした。",
    "値段の割に品質が良いと思います。家族にもすすめました。",
    "説明書がわかりにくかったので、星を一つ減らしました。",
]
USES = ["一人暮らし", "キャンプ", "通勤", "旅行", "在宅勤務", "子どものお弁当作り", "毎朝の準備", "来客時"]


def _price(rng):
    return rng.choice([480, 980, 1280, 1980, 2480, 3980, 5980, 7980, 12800, 19800, 29800, 49800])


def _fmt_price(rng, value):
    style = rng.random()
    if style < 0.55:
        return "{:,}円".format(value)
    if style < 0.75:
        return "¥{:,}".format(value)
    if style < 0.9:
        return "{}円".format(value)
    # full-width digits
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in str(value)) + "円"


def product_text(rng):
    name, cat = rng.choice(PRODUCTS)
    brand = rng.choice(BRANDS)
    feat = rng.choice(FEATURES)
    c1, c2 = rng.sample(COLORS, 2)
    price = _fmt_price(rng, _price(rng))
    parts = []
    style = rng.randrange(4)
    if style == 0:
        parts.append("{b}の{n}「{c}」は、{f}{cat}です。".format(
            b=brand, n=name, c=rng.choice(MODEL_CODES), f=feat, cat=cat))
    elif style == 1:
        parts.append("{f}{n}です。{b}が自信を持っておすすめします。".format(f=feat, n=name, b=brand))
    elif style == 2:
        parts.append("【{cat}】{b} {n} {c}".format(cat=cat, b=brand, n=name, c=rng.choice(MODEL_CODES)))
    else:
        parts.append("{n}（{b}）：{f}モデル。".format(n=name, b=brand, f=feat))
    parts.append("価格は{p}（税込）です。".format(p=price))
    if rng.random() < 0.6:
        parts.append("カラーは{a}と{b}の2色からお選びいただけます。".format(a=c1, b=c2))
    if rng.random() < 0.4:
        parts.append("サイズは幅{w}cm、高さ{h}cm、重さ約{g}gです。".format(
            w=rng.randint(5, 60), h=rng.randint(5, 90), g=rng.randint(50, 5000)))
    if rng.random() < 0.3:
        parts.append(rng.choice(REVIEWS).format(
            product=name, feature=rng.choice(FEATURES), color=rng.choice(COLORS),
            use=rng.choice(USES), n=rng.randint(1, 24)))
    return "".join(parts)


def recipe_text(rng):
    dish = rng.choice(DISHES)
    ings = rng.sample(INGREDIENTS, 4)
    seas = rng.sample(SEASONINGS, 3)
    parts = []
    style = rng.randrange(3)
    if style == 0:
        parts.append("{d}の作り方（{n}人分）".format(d=dish, n=rng.randint(1, 4)))
    elif style == 1:
        parts.append("今日の献立は{d}です。".format(d=dish))
    else:
        parts.append("簡単{d}レシピ　調理時間{n}分".format(d=dish, n=rng.choice([10, 15, 20, 30, 45, 60])))
    parts.append("材料：{a}{x}、{b}{y}、{s}{z}。".format(
        a=ings[0], x=rng.choice(AMOUNTS), b=ings[1], y=rng.choice(AMOUNTS), s=seas[0], z=rng.choice(AMOUNTS)))
    for _ in range(rng.randint(2, 4)):
        parts.append(rng.choice(RECIPE_STEPS).format(
            i=rng.choice(ings), j=rng.choice(ings), s=rng.choice(seas), t=rng.choice(seas),
            n=rng.choice([3, 5, 10, 15, 20, 30])))
    if rng.random() < 0.5:
        parts.append(rng.choice(RECIPE_TIPS).format(
            i=rng.choice(ings), j=rng.choice(INGREDIENTS), s=rng.choice(seas), n=rng.randint(2, 5)))
    return "".join(parts)


def travel_text(rng):
    place, pref = rng.choice(PLACES)
    spot = rng.choice(SPOTS)
    parts = []
    style = rng.randrange(3)
    if style == 0:
        parts.append("{p}（{r}）は{s}で知られる観光地です。".format(p=place, r=pref, s=spot))
    elif style == 1:
        parts.append("{r}の{p}で{s}めぐりを楽しむ旅。".format(r=pref, p=place, s=spot))
    else:
        parts.append("{p}旅行ガイド：{s}と名物{f}".format(p=place, s=spot, f=rng.choice(LOCAL_FOODS)))
    parts.append("{e}、多くの人が訪れます。".format(e=rng.choice(SEASON_EVENTS)))
    parts.append("{p}駅から{t}で約{n}分です。".format(p=place, t=rng.choice(TRANSPORTS), n=rng.randint(3, 60)))
    if rng.random() < 0.6:
        parts.append("名物の{f}もぜひ味わってみてください。".format(f=rng.choice(LOCAL_FOODS)))
    if rng.random() < 0.3:
        parts.append("入場料は大人{a}円、子ども{c}円です。".format(a=rng.choice([300, 500, 800, 1200]),
                                                      c=rng.choice([0, 100, 200, 400])))
    if rng.random() < 0.3:
        parts.append("開館時間は{a}:00〜{b}:00、{w}曜日は休みです。".format(
            a=rng.randint(8, 10), b=rng.randint(16, 20), w=rng.choice("月火水木金")))
    return "".join(parts)


def faq_text(rng):
    q, a = rng.choice(FAQ)
    a = a.format(n=rng.randint(1, 14), price=rng.choice([330, 550, 660, 880]), big=rng.choice([3000, 5000, 8000]))
    style = rng.randrange(4)
    if style == 0:
        return "Q. {q} A. {a}".format(q=q, a=a)
    if style == 1:
        return "よくある質問：{q}　回答：{a}".format(q=q, a=a)
    if style == 2:
        return "Q：{q}\nA：{a}".format(q=q, a=a)
    return "{q}{a}".format(q=q, a=a)


def news_text(rng):
    name, cat = rng.choice(PRODUCTS)
    return rng.choice(NEWS).format(
        m=rng.randint(1, 12), d=rng.randint(1, 28), event=rng.choice(NEWS_EVENTS), cat=cat,
        pct=rng.choice([5, 10, 15, 20, 30, 50]), brand=rng.choice(BRANDS), product=name,
        n=rng.randint(3, 6), season=rng.choice(SEASONS))


MISC = [
    "お問い合わせはメール（support@midori.example）またはお電話でどうぞ。",
    "詳しくは https://midori.example/faq をご覧ください。",
    "営業時間：平日 9:00〜18:00 / 土日祝 10:00〜17:00",
    "ＷｉＦｉ対応モデルとＵＳＢ給電モデルがあります。",
    "この商品はApp StoreとGoogle Playのアプリに対応しています。",
    "OK、わかりました。ありがとうございます！",
    "Ｑ＆Ａページを更新しました。",
    "ご利用ガイド　ｰ　はじめての方へ",
    "新着情報 2024年4月1日 サイトをリニューアルしました。",
    "The quick brown fox jumps over the lazy dog.",
    "Free shipping on orders over 5,000 yen.",
    "Please contact customer support for more information.",
    "Our store is open from 10 am to 6 pm, Monday to Friday.",
    "1234567890 ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz",
    "あいうえお かきくけこ さしすせそ たちつてと なにぬねの はひふへほ まみむめも やゆよ らりるれろ わをん",
    "アイウエオ カキクケコ サシスセソ タチツテト ナニヌネノ ハヒフヘホ マミムメモ ヤユヨ ラリルレロ ワヲン",
    "がぎぐげご ざじずぜぞ だぢづでど ばびぶべぼ ぱぴぷぺぽ ゃゅょっ ャュョッ ー",
    "！？（）「」『』【】・、。：；～＋－＝％＆＃＠＄",
    "０１２３４５６７８９ ＡＢＣＤＥＦＧ ａｂｃｄｅｆｇ",
]

GENERATORS = [
    (product_text, 5), (recipe_text, 4), (travel_text, 4), (faq_text, 3), (news_text, 2),
]


def sentence(rng):
    total = sum(w for _, w in GENERATORS)
    x = rng.randrange(total)
    for fn, w in GENERATORS:
        if x < w:
            return fn(rng)
        x -= w
    raise AssertionError


def corpus_lines(rng, n):
    lines = []
    for i in range(n):
        if i % 97 == 0:
            lines.append(MISC[(i // 97) % len(MISC)])
        s = sentence(rng)
        # keep one line per record (spm treats a line as a sentence); embedded newlines become
        # separate lines, which is what spm_train would do anyway
        lines.extend(part for part in s.split("\n") if part)
    return lines


def paragraph(rng, n_sentences):
    """A longer document made of several generated records (used for long/truncation cases)."""
    return "".join(sentence(rng).replace("\n", "") for _ in range(n_sentences))
