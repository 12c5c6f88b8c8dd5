package io.github.jareranker.encoder;

import java.util.List;

/**
 * The pairs {@link GraphVerifier#builtIn()} scores: written for this project (no third-party text), Japanese site-search
 * style, with documents from empty to far past 512 tokens so that every length class a graph rewrite could treat
 * differently is covered: shorter than ModernBERT's sliding window (±64 tokens, where the window mask is all zeros),
 * around it, several windows long, and cut at the maximum length.
 */
final class VerificationPairs {
    private static final String LIBRARY = "市立図書館は午前九時に開館し、平日は午後七時、土日と祝日は午後五時に閉館します。"
            + "毎月第二月曜日は館内整理のため休館です。貸出は一人十冊まで、期間は二週間で、予約の入っていない資料は一回だけ延長できます。"
            + "返却ポストは正面玄関の右側にあり、閉館中も利用できますが、視聴覚資料は破損を防ぐためカウンターへ返してください。";
    private static final String GARBAGE = "燃えるごみは月曜日と木曜日、資源ごみは第一と第三水曜日の朝八時までに、決められた集積所へ出してください。"
            + "粗大ごみは事前の申し込みが必要で、品目ごとに手数料がかかります。スプレー缶は中身を使い切り、穴を開けずに別の袋へ入れます。"
            + "年末年始は収集の日程が変わるため、市の広報紙かウェブサイトで確認してください。";
    private static final String SHIPPING = "五千円以上のご注文で送料が無料になります。五千円未満の場合は全国一律で六百円を頂戴します。"
            + "離島など一部の地域では追加の料金がかかることがあります。お届けは通常、ご注文から三営業日以内です。"
            + "日時指定は午前中から夜間まで六つの時間帯から選べます。";
    private static final String TRAIN = "新幹線の指定席は乗車日の一か月前の午前十時から予約できます。"
            + "ネット予約では座席表から好きな席を選べ、出発の直前まで手数料なしで何度でも変更できます。"
            + "自由席は号車が決まっているため、混雑する時期は早めにホームへ並ぶことをおすすめします。";

    static final List<GraphVerifier.Query> QUERIES = List.of(
            new GraphVerifier.Query(
                    "図書館は何時まで開いていますか",
                    List.of(
                            "",
                            "図書館の開館時間は午前9時から午後7時までです。",
                            LIBRARY,
                            (LIBRARY + GARBAGE).repeat(3),
                            (GARBAGE + TRAIN + LIBRARY).repeat(6))),
            new GraphVerifier.Query(
                    "粗大ごみの出し方",
                    List.of("粗大ごみは申し込みが必要です。", GARBAGE, GARBAGE + SHIPPING, (SHIPPING + GARBAGE).repeat(8))),
            new GraphVerifier.Query(
                    "送料は無料ですか",
                    List.of(SHIPPING, TRAIN, (TRAIN + SHIPPING).repeat(2), (LIBRARY + SHIPPING + TRAIN).repeat(4))),
            new GraphVerifier.Query(
                    "新幹線の指定席はいつから予約できるのか、変更に手数料はかかるのか、自由席との違いも教えてください",
                    List.of("予約は一か月前からです。", TRAIN, TRAIN + TRAIN, (GARBAGE + TRAIN).repeat(10))));

    private VerificationPairs() {}
}
