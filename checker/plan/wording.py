"""The words plans bind, frame and describe with: what makes a clause a target or a duty, and
what makes it background or framing instead. checker.plan.targets applies them.

Each pattern is a rule about how Chinese plans are written, never a string of one plan.
"""

from __future__ import annotations

import re

# What binds: a modal, or a verb of doing. Background ("现有", "已建成") binds no one.
BINDS = re.compile(r"要|应|须|必须|确保|务必|力争|争取|到\s*20\d\d|前|完成|实现|达到|建成|启动|推进|开展|落实|实施|不得|禁止|严禁|全面")
_BACKGROUND = re.compile(
    r"主要职能|工作职责|^\s*远期|远景|颁布|发布了|提出了|[成得]了|目前|已经|已有|已建|已完成|共有|截至目前|其中[^,，；;]*?(?:河道|断面)|据.*?数据|属于|只有|为例|累计投入|共计投入"
)
DONE_VERB = re.compile(
    r"调整|具备|达到|公开|完成|完工|到位|建成|建立|制定|编制|出台|划定|取缔|关闭|拆除|搬迁|实现|消除|淘汰|启动|投运|投入运行|设立|公布|印发|颁布|开工|竣工|"
    r"更新|改造|整治|清理|设置|核发|安装|覆盖|达标|实施|推行|签订|建设|上报|报送|备案|提交|验收|清拆|构建|打造|形成|恢复|增加|增至|新增|"
    r"种植|栽植|放流|修复|铺设|敷设|划定|配备|开展"
)
DUTY_VERB = re.compile(
    r"加强|推进|加快|强化|严格|完善|提高|提升|推广|加大|落实|深化|优化|规范|配合|协调|争取|探索|布置(?!在)|成立|召集|举行|形成|利用|纳入|"
    r"建立|健全|制定|编制|公布|公开(?!透明)|签订|开展|落实[^，,；;。]{0,20}(?:制度|机制|责任|要求)|实行|实施[^，,；;。]{0,20}(?:制度|管理|计划|方案|工程|行动)|"
    r"出台|划定|设立|推行|印发|组织|定期|排查|监测|评估|检查|督查|考核|通报|报送|上报|备案|核发|取缔|关闭|淘汰|纳入|执行|严格|禁止|严禁|"
    r"完成|建成|建设|改造|整治|清理|拆除|确保"
)


def background(text: str, part: str = "") -> bool:
    """Words of what is, or was, rather than of what must be. "现有" in a part that also says
    应/要/到2020年 is an adjective ("现有设施应…改造"); "已…" with a modal in its own clause binds
    ("已建成的设施要稳定运行")."""
    context = part or text
    if re.search(r"现有|现状(?!水质)", text) and not (DONE_VERB.search(text) or MODAL.search(context)):
        return True
    return _BACKGROUND.search(text) is not None and not MODAL.search(text)


_CITING = re.compile(r"(?:提出|明确|要求|确定)了?\s*[“\"]")


def cited(clause: str) -> str:
    """An aim quoted from another plan (省里…提出了“2019年底前基本消除黑臭水体"): the citing words
    are of what was, the aim in quotation marks is read on its own words."""
    m = _CITING.search(clause)
    return clause[m.end() :] if m else clause


ONGOING = re.compile(r"长期坚持|持续推进|长期|常态化|持续开展")

# Headings over a list of aims: what stands under them binds, even without a modal or a year.
TARGET_HEADING = re.compile(r"目标|指标")
PREAMBLE = "前言"  # checker.plan.structure's clause for what precedes the first heading
ALL = re.compile(r"全部|均|全都|所有")

STRONG = re.compile(r"建立|制定|编制|公布|签订|出台|划定|设立|印发|核发|取缔|关闭|完成|建成")
GENERIC = re.compile(
    r"(?:力度|效能|能力|意识|水平|举措|形势|紧迫感|责任感|目标任务|各项任务|合力|认识|作用|积极性|组织|领导|决策部署|部署要求|精神|"
    r"有序推进|保质完成|落到实处|取得实效|见到实效|达标建设|政策措施|队伍建设)$"
    # every measure there is (落实各项管理措施): names none an assessment could ask for
    r"|^(?:落实|做好|抓好)[^，,；;。]{0,12}各项[^，,；;。]{0,12}(?:措施|工作|任务|要求)$"
    # another document's duties pointed at (落实《…方案》): the duties are that document's
    r"|^\s*(?:认真)?(?:贯彻落实|贯彻实施|贯彻执行|贯彻|落实|执行)《[^》]*》(?:[(（][^)）]*[)）])?$"
    # publicity that names nothing to publicise (加强宣传教育)
    r"|^\s*(?:加强|强化|做好|广泛开展)(?:宣传教育|宣传引导|舆论宣传|宣传)$"
    # growth to promote (推进…业务发展): an outcome, no deed
    r"|^\s*(?:积极|加快|大力)?(?:推进|促进|推动)[^，,；;。]*发展$"
    # an outcome, not a deed: 水平明显提高
    r"|(?:明显|显著|大幅|有效|逐步|不断|持续|稳步)(?:提高|提升|改善|增强|下降|减少|好转)$"
    # what the law does anyway: 构成犯罪的,依法追究刑事责任
    r"|^构成犯罪的|依法追究刑事责任"
)
# Encouragement binds no one to anything checkable; "结合X工作" names the occasion of a deed.
SOFT = re.compile(
    r"\s*(?:重点)?(?:鼓励|支持|引导|倡导|提倡|欢迎|希望|(?:积极|大力|示范)?推广|积极推动|积极争取|争取|探索|研究|密切跟踪|合理|有效利用|结合)"
)
MODAL = re.compile(r"(?<![重主需只紧纲简概])要(?![素点害求])|应当|(?<![对反适供响])应(?![用对急])|必须|须|确保|不得|禁止|严禁|务必")
# Parts that frame rather than bind: a definition ("X是…的重要内容/必然要求/责任主体"), the guiding
# ideology ("以…为指导"), a body's remit ("主要职能：负责…"), a guideline with exceptions (原则上),
# the law's own consequence ("构成犯罪的，依法追究刑事责任"), and a charge to every department
# within its remit ("各有关部门要按照职责分工…"). Their verbs ask no evidence.
FRAMING = re.compile(
    r"^\s*[^，,；;。：:]{1,30}是[^，,；;。]{1,40}的[^，,；;。]{0,4}(?:内容|要求|主体|抉择|任务|基础|保障|举措|关键|前提|途径)(?=[，,；;。]|$)"
    r"|为指导|指导思想|^\s*(?:主要职能|主要职责|工作职责)|原则上|^\s*(?:构成犯罪|涉嫌犯罪)的"
    # every department, each within its remit: a charge to all, no one's deed
    r"|^\s*各(?:有关|相关)?(?:部门|单位)[^，,；;。]{0,8}(?:按照|根据|按)职责分工"
)

# "出境断面水质不劣于入境断面": one section's class against another's, not against a class.
MARGIN = re.compile(
    r"(?:出境|出口|出界|出市|出县|出区|下游)[^，,；;。]{0,8}?水质[^，,；;。]{0,6}?(?:不劣于|不差于|不低于|好于|优于)[^，,；;。]{0,4}?(?:入境|进境|入口|入界|上游)"
)

_LEAD_WORDS = re.compile(
    r"^(?:(?:到|至|自|从|于|在)?\s*(?:19|20)\d\d\s*年(?:底|末)?(?:前|起|以前|之前)?|全区|全市|全县|全面|确保|力争|争取|基本|实现|每年|"
    r"[“”\"]?十[一二三四五六七八九]五[”\"]?期间|分别|完成|达到|新建|建设|新增|累计|其中|左右|以上|以下|以内|并|和|及|的|、|，|,|\s)+"
)
_TRAIL_WORDS = re.compile(
    r"(?:达到|控制在|不低于|不少于|不高于|不超过|提高到|提高至|降至|下降|削减|减少|以上|以内|以下|左右|的|为|在|比.*?年)+$"
)


def trim(text: str) -> str:
    text = _LEAD_WORDS.sub("", text.strip())
    text = _TRAIL_WORDS.sub("", text)
    return text.strip("，,、 (（)）")
