"""The words of a view in English, Japanese and Korean: legend, titles, source line, and the
interactive page's controls, panel and group names.

The views name their classes, relations and notes in English (:mod:`viz.encoding`,
:mod:`viz.view`); a figure or page asked for in ``ja`` or ``ko`` translates them here. A
word missing from the legend table stays English, so a new relation never breaks a figure.

>>> translate("member of", "ja"), translate("member of", "ko"), translate("member of", "en")
('加盟', '회원', 'member of')
>>> from graph.analysis import DocumentName
>>> report = DocumentLines(None, ((14, 15),))
>>> source_line(Sources((report,)), "ko")
'출처: 한일비전그룹 보고서(2025년 9월 18일), 14–15행(1곳).'
>>> source_line(Sources((), ("A", "B", "C", "D", "E")), "ja")
'出典：日韓ビジョングループ報告書（2025年9月18日）。背景資料：A; Bほか3件。'
>>> note = DocumentLines(DocumentName("n", (("en", "A note"), ("ja", "メモ"))), ((1, 1), (4, 5)))
>>> source_line(Sources((report, note)), "en")
'Source: Japan–Korea Vision Group report (18 September 2025), lines 14–15 (1 passage); A note, lines 1, 4–5 (2 passages).'
>>> source_line(Sources((note,)), "ja")
'出典：メモ、1, 4–5行（2箇所）。'
"""

from __future__ import annotations

from viz.sources import DocumentLines, Sources

__all__ = [
    "FIGURE_LANGUAGES",
    "REPORT",
    "class_name",
    "join",
    "page_words",
    "source_line",
    "translate",
    "word",
]

#: The languages a figure can be drawn in.
FIGURE_LANGUAGES = ("en", "ja", "ko")

#: The report as a figure names it, with its date (``dcterms:date`` of ``id:jkvg2025``).
REPORT = {
    "en": "Japan–Korea Vision Group report (18 September 2025)",
    "ja": "日韓ビジョングループ報告書（2025年9月18日）",
    "ko": "한일비전그룹 보고서(2025년 9월 18일)",
}

#: Legend words: English -> (Japanese, Korean).
_LEGEND: dict[str, tuple[str, str]] = {
    "Country": ("国", "국가"),
    "Organisation": ("組織", "조직"),
    "Person": ("人物", "인물"),
    "Grouping of actors": ("主体のグループ", "행위자 그룹"),
    "Framework": ("枠組み", "프레임워크"),
    "Proposal": ("提言", "제언"),
    "Topic": ("分野", "주제"),
    "Report section": ("報告書の節", "보고서 절"),
    "Document": ("文書", "문서"),
    "Event": ("出来事", "사건"),
    "Place": ("場所", "장소"),
    "Statistic": ("統計", "통계"),
    "Role or seat": ("地位・議席", "지위·의석"),
    "Other": ("その他", "기타"),
    "member of": ("加盟", "회원"),
    "part of": ("一部", "일부"),
    "country of": ("所属国", "소속국"),
    "affiliated with": ("所属", "소속"),
    "involves": ("関与", "관여"),
    "concerns": ("関連する枠組み", "관련 프레임워크"),
    "addresses": ("扱う分野", "다루는 주제"),
    "in section": ("掲載節", "수록 절"),
    "in document": ("掲載文書", "수록 문서"),
    "participant": ("参加者", "참가자"),
    "about": ("対象", "대상"),
    "evidence": ("根拠", "근거"),
    "member": ("加盟国・メンバー", "회원"),
    "founder": ("創設メンバー", "창설 회원"),
    "chair": ("議長", "의장"),
    "host": ("主催", "주최"),
    "partner": ("パートナー", "파트너"),
    "observer": ("オブザーバー", "옵서버"),
    "applicant": ("加盟申請", "가입 신청"),
    "acts through": ("実施主体", "실행 주체"),
    "calls on": ("呼びかけ先", "요청 대상"),
    "location": ("所在地", "소재지"),
    "modelled on": ("手本", "본보기"),
    "proposes joining": ("参加を提案", "가입 제안"),
    "proposes creating": ("創設を提案", "창설 제안"),
    "proposes strengthening": ("強化を提案", "강화 제안"),
    "proposes role": ("地位を提案", "지위 제안"),
    "sub proposal of": ("上位の提言", "상위 제언"),
    "member (active)": ("加盟（有効）", "회원 (유효)"),
    "suspended framework": ("停止中の枠組み", "중단된 프레임워크"),
    "ended": ("終了", "종료"),
    "proposed by the report": ("報告書が提案", "보고서의 제안"),
    "founder, chair or host": ("創設・議長・主催", "창설·의장·주최"),
    "Thick outline: a framework two or more of them belong to": (
        "太い枠：複数の主体が加盟する枠組み",
        "굵은 테두리: 둘 이상이 가입한 프레임워크",
    ),
    "On a line: the roles and dates (none: a member, no dates given); all: the matrix form": (
        "線上：役割と日付（なし：加盟、日付の記載なし）。一覧は表形式",
        "선 위: 역할과 날짜 (없음: 회원, 날짜 없음). 전체는 표 형식",
    ),
    "* member list partial: the graph may not name every member": (
        "＊加盟国一覧が部分的：すべての加盟国を示していない場合がある",
        "* 회원 목록 일부: 모든 회원이 표시되지 않을 수 있음",
    ),
    "Node size: degree centrality in the whole graph": (
        "ノードの大きさ：グラフ全体での次数中心性",
        "노드 크기: 전체 그래프의 연결 중심성",
    ),
    "Thick outline: the entity at the centre": ("太い枠：中心の項目", "굵은 테두리: 중심 항목"),
    "White with a coloured outline: a group of entities (open it in the interactive view)": (
        "白地に色枠：項目のまとまり（対話型の図で開く）",
        "흰 바탕에 색 테두리: 항목 묶음 (대화형 보기에서 펼침)",
    ),
    "Thick outline: member of two or more of the frameworks shown": (
        "太い枠：表示した複数の枠組みに加盟",
        "굵은 테두리: 표시된 둘 이상의 프레임워크 회원",
    ),
}

#: Words of titles and the frame of a figure: key -> (English, Japanese, Korean).
_WORDS: dict[str, tuple[str, str, str]] = {
    "legend": ("Legend", "凡例", "범례"),
    "highlighted": ("Red ring: highlighted", "赤い輪：強調", "빨간 고리: 강조"),
    "unlabelled": (
        "Unlabelled: {n} smaller entities (see the interactive view)",
        "ラベルなし：小さい{n}件（対話型の図を参照）",
        "라벨 없음: 작은 항목 {n}개 (대화형 보기 참조)",
    ),
    "ego": (
        "{label}: neighbourhood at depth {depth}",
        "{label}の近傍（深さ{depth}）",
        "{label}의 이웃 (깊이 {depth})",
    ),
    "frameworks": ("Members of {names}", "{names}の構成員", "{names}의 구성원"),
    "frameworks-all": ("Frameworks and their members", "枠組みとその構成員", "프레임워크와 구성원"),
    "proposals": ("Proposals {filters}", "提言：{filters}", "제언: {filters}"),
    "proposals-all": ("All proposals", "すべての提言", "모든 제언"),
    "proposals-section": ("in {x}", "{x}", "{x}"),
    "proposals-actor": ("involving {x}", "{x}が関与", "{x} 관여"),
    "proposals-framework": ("concerning {x}", "{x}に関する", "{x} 관련"),
    "proposals-topic": ("addressing {x}", "{x}を扱う", "{x} 다룸"),
    "proposals-document": ("with a passage in {x}", "{x}に記載", "{x}에 수록"),
    "path": ("How {a} connects to {b}", "{a}と{b}のつながり", "{a}와 {b}의 연결"),
    "overview": ("The whole graph", "グラフ全体", "전체 그래프"),
    "memberships": (
        "Framework memberships of {names}",
        "{names}の枠組みへの参加",
        "{names}의 프레임워크 참여",
    ),
    "and": (" and ", "と", "와 "),
    "or": (" or ", "または", " 또는 "),
    "list": (", ", "、", ", "),
    # A figure's source line: the documents with their lines, then the outside sources.
    "source": ("Source: {x}", "出典：{x}", "출처: {x}"),
    "source-line": ("{d}, line {x} (1 passage)", "{d}、{x}行（1箇所）", "{d}, {x}행(1곳)"),
    "source-range": ("{d}, lines {x} (1 passage)", "{d}、{x}行（1箇所）", "{d}, {x}행(1곳)"),
    "source-lines": ("{d}, lines {x} ({n} passages)", "{d}、{x}行（{n}箇所）", "{d}, {x}행({n}곳)"),
    "source-next": ("; ", "；", "; "),
    "background": ("; background: {x}", "。背景資料：{x}", "; 배경 자료: {x}"),
    "background-more": (" and {n} more", "ほか{n}件", " 외 {n}건"),
    "full-stop": (".", "。", "."),
}
#: A class of nodes in running text, one and many: group -> ((en one, many), ja, ko).
_CLASSES: dict[str, tuple[tuple[str, str], str, str]] = {
    "country": (("country", "countries"), "国", "국가"),
    "organisation": (("organisation", "organisations"), "組織", "조직"),
    "person": (("person", "people"), "人物", "인물"),
    "grouping": (("grouping", "groupings"), "主体のグループ", "행위자 그룹"),
    "framework": (("framework", "frameworks"), "枠組み", "프레임워크"),
    "proposal": (("proposal", "proposals"), "提言", "제언"),
    "topic": (("topic", "topics"), "分野", "주제"),
    "section": (("report section", "report sections"), "報告書の節", "보고서 절"),
    "document": (("document", "documents"), "文書", "문서"),
    "event": (("event", "events"), "出来事", "사건"),
    "place": (("place", "places"), "場所", "장소"),
    "statistic": (("statistic", "statistics"), "統計", "통계"),
    "role": (("role or seat", "roles and seats"), "地位・議席", "지위·의석"),
    "other": (("other", "others"), "その他", "기타"),
}

#: The interactive page's own words: key -> (English, Japanese, Korean). ``{n}`` and the
#: like are filled in by the page (viz/templates/explore.js) or :func:`page_words`.
_PAGE: dict[str, tuple[str, str, str]] = {
    "find": ("Find", "検索", "찾기"),
    "find-placeholder": ("a name in en, ja or ko", "英・日・韓の名前", "영·일·한 이름"),
    "fit": ("Fit", "全体表示", "전체 보기"),
    "fit-title": ("Fit the drawing to the frame", "図を枠に合わせる", "그림을 틀에 맞추기"),
    "zoom-in": ("Zoom in", "拡大", "확대"),
    "zoom-out": ("Zoom out", "縮小", "축소"),
    "reset": ("Reset", "最初に戻す", "처음으로"),
    "reset-title": ("Back to the first focus", "最初の表示に戻す", "첫 화면으로 돌아가기"),
    "as-of": ("Memberships as of", "加盟の基準日", "회원 관계 기준일"),
    # A date as the page writes it: day, month or year alone (a date the control was given).
    "date-day": ("{d} {mon} {y}", "{y}年{m}月{d}日", "{y}년 {m}월 {d}일"),
    "date-month": ("{mon} {y}", "{y}年{m}月", "{y}년 {m}월"),
    "date-year": ("{y}", "{y}年", "{y}년"),
    "months": ("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",) * 3,
    "any-date": ("Any date", "日付指定なし", "날짜 무관"),
    "any-date-title": ("Show every membership", "すべての加盟を表示", "모든 회원 관계 표시"),
    "download": ("Download", "ダウンロード", "내려받기"),
    "controls": ("Controls", "操作", "조작"),
    "view-controls": ("View controls", "図の操作", "보기 조작"),
    "filters": ("Filter by class and relation", "種類と関係で絞り込む", "유형과 관계로 거르기"),
    "classes": ("Classes", "種類", "유형"),
    "relations": ("Relations", "関係", "관계"),
    "legend": ("Legend", "凡例", "범례"),
    "dashed": (
        "Dashed outline: a group of entities; click it to open it",
        "破線の枠：項目のまとまり（クリックで開く）",
        "점선 테두리: 항목 묶음 (클릭하면 펼침)",
    ),
    "selected": ("The selected entity", "選んだ項目", "선택한 항목"),
    "hint": (
        "Click a node to see its names, relations and evidence; double-click it (or use the "
        "button here) to open or close its neighbours.",
        "ノードをクリックすると名前・関係・根拠を表示します。ダブルクリック（またはここのボタン）で"
        "隣接する項目を開閉します。",
        "노드를 클릭하면 이름·관계·근거가 표시됩니다. 두 번 클릭하면(또는 여기 버튼으로) 이웃 "
        "항목을 펼치거나 접습니다.",
    ),
    "class": ("Class", "種類", "유형"),
    "open-neighbours": ("Open its neighbours", "隣接項目を開く", "이웃 펼치기"),
    "close-neighbours": ("Close its neighbours", "隣接項目を閉じる", "이웃 접기"),
    "its-page": ("Its page", "項目のページ", "항목 페이지"),
    "relations-n": ("Relations ({n})", "関係（{n}件）", "관계 ({n}건)"),
    "and-more": ("… and {n} more", "…ほか{n}件", "… 외 {n}건"),
    "evidence": ("Evidence", "根拠", "근거"),
    "report-line": ("report, line {x}", "報告書 {x}行", "보고서 {x}행"),
    "report-lines": ("report, lines {x}", "報告書 {x}行", "보고서 {x}행"),
    "document-line": ("{d}, line {x}", "{d} {x}行", "{d} {x}행"),
    "document-lines": ("{d}, lines {x}", "{d} {x}行", "{d} {x}행"),
    "source": ("source: {x}", "出典：{x}", "출처: {x}"),
    "since": ("since {x}", "{x}から", "{x}부터"),
    "until": ("until {x}", "{x}まで", "{x}까지"),
    "from-to": ("{a} to {b}", "{a}〜{b}", "{a}~{b}"),
    "aggregate": ("{n} {many}", "{one}{n}件", "{one} {n}건"),
    "aggregate-one": ("{n} {one}", "{one}{n}件", "{one} {n}건"),
    "aggregate-more": ("{n} more {many}", "ほかの{one}{n}件", "{one} {n}건 더"),
    # A membership view's groups, by their status for those holding them.
    "group-active": ("{n} active {many}", "有効な{one}{n}件", "유효한 {one} {n}건"),
    "group-proposed": ("{n} proposed {many}", "提案された{one}{n}件", "제안된 {one} {n}건"),
    "group-suspended": ("{n} suspended {many}", "停止中の{one}{n}件", "중단된 {one} {n}건"),
    "group-ended": ("{n} ended {many}", "終了した{one}{n}件", "종료된 {one} {n}건"),
    "group-mixed": (
        "{n} {many}, status differs",
        "状態の異なる{one}{n}件",
        "상태가 다른 {one} {n}건",
    ),
    "held-by": ("held by {x}", "加盟：{x}", "가입: {x}"),
    "fold": ("Fold back into its group", "まとまりに戻す", "묶음으로 접기"),
    "click-to-open": (" - click to open", "（クリックで開く）", " (클릭하면 펼침)"),
    "the-first": (" the first {n}", "：最初の{n}件", ": 처음 {n}건"),
    "showing": (
        "Showing {shown} of {all} entities",
        "全{all}項目のうち{shown}項目を表示",
        "전체 {all}개 항목 중 {shown}개 표시",
    ),
    "in-groups": (
        "; {n} more in {g} groups (click a dashed node to open it)",
        "。ほか{n}項目を{g}つのまとまりに表示（破線のノードをクリックで開く）",
        "; 나머지 {n}개는 묶음 {g}개에 있음 (점선 노드를 클릭하면 펼침)",
    ),
    "in-group": (
        "; {n} more in 1 group (click a dashed node to open it)",
        "。ほか{n}項目を1つのまとまりに表示（破線のノードをクリックで開く）",
        "; 나머지 {n}개는 묶음 1개에 있음 (점선 노드를 클릭하면 펼침)",
    ),
    "valid-on": (
        "; memberships valid on {d}",
        "。{d}時点で有効な加盟",
        "; {d} 기준 유효한 회원 관계",
    ),
    "end": (".", "。", "."),
    "not-found": (
        "No entity in this view is called “{q}”.",
        "この図に「{q}」という項目はありません。",
        "이 보기에 “{q}”(이)라는 항목이 없습니다.",
    ),
    "permalink": ("Permalink", "固定リンク", "고정 링크"),
    "embed": ("Embed in a page", "ページに埋め込む", "페이지에 삽입"),
    "share": ("Share this view", "この図を共有", "이 보기 공유"),
    "offline": (
        "The snippet shows the view only where this server is reachable. To share without a "
        "server, write the self-contained page with {command} and send the file: it opens "
        "offline.",
        "このコードは、このサーバーに接続できる場所でのみ図を表示します。サーバーなしで共有するには、"
        "{command} で自己完結したページを書き出し、そのファイルを送ってください（オフラインで開けます）。",
        "이 코드는 이 서버에 접속할 수 있는 곳에서만 보기를 표시합니다. 서버 없이 공유하려면 "
        "{command} 로 독립된 페이지를 만들어 파일을 보내십시오(오프라인에서 열립니다).",
    ),
    "command-line": ("Command line", "コマンドライン", "명령줄"),
}

#: Line ranges a source line shows of one document (the rest are an ellipsis).
_RANGES = 12
#: Outside sources a source line names (the rest are counted).
_OUTSIDE = 2


#: Legend notes with a value in them: English prefix -> (Japanese, Korean) forms.
_NOTES = {"Memberships as of ": ("{}時点の加盟", "{} 기준 회원 관계")}


def translate(english: str, lang: str) -> str:
    """A legend word or note in ``lang``; English where the table has none.

    >>> translate("Memberships as of 2025-06-01", "ja")
    '2025-06-01時点の加盟'
    """
    if lang == "en":
        return english
    if english in _LEGEND:
        return _LEGEND[english][0 if lang == "ja" else 1]
    for prefix, forms in _NOTES.items():
        if english.startswith(prefix):
            return forms[0 if lang == "ja" else 1].format(english.removeprefix(prefix))
    return english


def word(key: str, lang: str, **values: str | int) -> str:
    """A title or frame word of :data:`_WORDS` in ``lang``, with ``values`` filled in.

    >>> word("path", "ja", a="韓国", b="AUKUS")
    '韓国とAUKUSのつながり'
    """
    return _WORDS[key][FIGURE_LANGUAGES.index(lang)].format(**values)


def join(names: list[str], lang: str) -> str:
    """``names`` as a list in running text: "A, B and C", 「A、BとC」.

    >>> join(["Japan", "Korea", "Australia"], "en"), join(["日本", "韓国"], "ja")
    ('Japan, Korea and Australia', '日本と韓国')
    """
    if len(names) <= 2:
        return word("and", lang).join(names)
    return word("list", lang).join(names[:-1]) + word("and", lang) + names[-1]


def source_line(sources: Sources, lang: str, *, report: str | None = None) -> str:
    """A view's source line in ``lang``: each document with its lines — the report as
    ``report`` (default :data:`REPORT`, with its date), any other by its title in ``lang`` —
    then the outside sources. Without passages it names the report.
    """
    name = report or REPORT[lang]
    cited = []
    for found in sources.documents or (DocumentLines(None, ()),):
        title = found.document.title(lang) if found.document else name
        if not found.ranges:
            cited.append(title)
            continue
        ranges = [str(a) if a == b else f"{a}–{b}" for a, b in found.ranges]
        shown = ", ".join(ranges[:_RANGES]) + (" …" if len(ranges) > _RANGES else "")
        if len(ranges) > 1:
            key = "source-lines"
        else:
            key = "source-line" if found.ranges[0][0] == found.ranges[0][1] else "source-range"
        cited.append(word(key, lang, d=title, x=shown, n=len(ranges)))
    text = word("source", lang, x=word("source-next", lang).join(cited))
    if sources.background:
        rest = len(sources.background) - _OUTSIDE
        more = word("background-more", lang, n=rest) if rest > 0 else ""
        text += word("background", lang, x="; ".join(sources.background[:_OUTSIDE]) + more)
    return text + word("full-stop", lang)


def page_words(lang: str) -> dict[str, str]:
    """Every word of the interactive page (:data:`_PAGE`) in ``lang`` (English if unknown).

    >>> page_words("ja")["find"], page_words("ko")["legend"], page_words("xx")["fit"]
    ('検索', '범례', 'Fit')
    """
    index = FIGURE_LANGUAGES.index(lang) if lang in FIGURE_LANGUAGES else 0
    return {key: forms[index] for key, forms in _PAGE.items()}


def class_name(group: str, lang: str) -> tuple[str, str]:
    """A class of nodes in running text, (one, many): ``("statistic", "statistics")``;
    Japanese and Korean use one word for both.

    >>> class_name("statistic", "en"), class_name("statistic", "ja")
    (('statistic', 'statistics'), ('統計', '統計'))
    """
    english, ja, ko = _CLASSES.get(group, ((group, group), group, group))
    if lang == "ja":
        return ja, ja
    if lang == "ko":
        return ko, ko
    return english
