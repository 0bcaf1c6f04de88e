/**
 * @module The attribute a question asks for (an amount, a date, who is responsible, which
 * materials…), and how an answer to it reads in the documents. The words that ask for it (多少钱,
 * 哪个部门, 几天, 哪些材料) are no topic a passage must repeat; what a passage must hold instead is
 * the attribute itself: 五个工作日 for 几天, 市政务服务管理部门 for 哪个部门. One table, so every
 * attribute is asked, weighed and checked the same way.
 */

export type AskedAttribute = 'percentage' | 'money' | 'day' | 'date' | 'duration' | 'quantity' | 'issuer' | 'department' | 'phone' | 'address' | 'materials' | 'conditions' | 'steps';

interface Attribute {
  /** How a question asks for it. */
  asked: RegExp;
  /** What a passage answering it contains. */
  answer: RegExp;
  /**
   * A figure answers only next to what it is a figure of: it must share a sentence with a topic
   * word of the question (an amount on its own, or beside nothing asked about, is not the amount asked).
   */
  figure: boolean;
  /** What the documents call the attribute (申请时间, 办理时限, 责任单位): searched as expansions. */
  called: string[];
}

/** 多少 ending the question (罚多少？) or naming money (多少钱), not counting things (多少学生, 多少天). */
const MONEY_END = '(?=$|[，,。？?！!；;、\\s]|[吗呢啊呀钱元块万亿])';
const PERCENTAGE = String.raw`\d\s*%|百分之|\d\s*成|[一二三四五六七八九]成`;

/** In order of precedence: the more specific reading of 多少 first (百分之几, 多少钱, 多少天). */
const ATTRIBUTES: [AskedAttribute, Attribute][] = [
  [
    'percentage',
    {
      asked: /百分之几|百分之多少|百分比|占比|比例是?多少|多[大高少]的?比例|占到?多少|几成|多少个点|(?:比例|比重|比率|利率|费率|税率|增长率|增速)\S{0,3}多少/,
      answer: new RegExp(PERCENTAGE),
      figure: true, called: ['比例'],
    },
  ],
  [
    'money',
    {
      asked: new RegExp(
        // 多少奖励, 多少安家补贴: 多少 before what is paid (two characters of modifier at most) asks its amount.
        String.raw`多少钱|多少元|多少万|多少亿|几万|几千元|金额|多少[\u4e00-\u9fff]{0,2}?(?:奖励|奖金|奖补|补贴|补助|资金|经费|费用|补偿|赔偿|罚款|工资|租金|贴息)|(?:奖|补|资金|费|收|罚|贷|借|给|发|拿|领|退|交|缴|付|赔)\S{0,4}多少${MONEY_END}`,
      ),
      // 十万元 and 一百万元 as well as 10万元; a subsidy set as a share (契税的50%) answers it too.
      answer: new RegExp(String.raw`[\d一二两三四五六七八九十百千]\s*(?:万|亿)?元|${PERCENTAGE}`),
      figure: true, called: ['标准', '金额'],
    },
  ],
  [
    'day',
    {
      // 哪天印发, 几号开始: a day, or at least its month — a year alone (2022年跨年迎新购物季) names none.
      asked: /哪天|哪一天|几号|几月几|什么日子|哪个日子/,
      answer: /\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月|之日起|即日起/,
      figure: true, called: ['时间', '日期'],
    },
  ],
  [
    'date',
    {
      asked: /什么时候|啥时候|何时|哪年|哪一年|几月|什么日期/,
      // A year, a day of a month, a start the text fixes otherwise (自公布之日起施行), or a deadline
      // counted from an event (取得预售许可证后3个月内缴清: 最晚啥时候交清).
      answer: /(?:\d+|[一二两三四五六七八九十]+)\s*个?\s*(?:月|日|天|年|工作日)内|(?:19|20)\d{2}\s*年|[〇一二][〇一二三四五六七八九]{3}年|\d{1,2}\s*月\s*\d{1,2}\s*日|[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}日|底|初|中旬|上旬|下旬)|每年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*月|之日起|即日起/,
      figure: true, called: ['时间', '日期'],
    },
  ],
  [
    'duration',
    {
      asked: /多久|多长时间|多少天|几天|几个工作日|多少个工作日|几个月|多少个月|几年|多少年|几周|几个小时|多少小时/,
      // A span of days, months or years, not a date (2023年6月27日 holds no 3年 and no 27日).
      answer: new RegExp(
        [
          String.raw`(?<![\d年月])(?:\d+|[一二两三四五六七八九十百]+)\s*(?:个\s*)?(?:工作日|日|天|小时|周|星期)`,
          String.raw`(?<![\d年月])(?:\d+|[一二两三四五六七八九十百]+)\s*个\s*月`,
          String.raw`(?<!\d)(?:\d{1,2}|[一二两三四五六七八九十]+)\s*年(?![\d一二三四五六七八九十]+月)`,
          '当场|当日|当天|即时|立即|即办|立等可取|即来即办',
        ].join('|'),
      ),
      figure: true, called: ['时限', '期限'],
    },
  ],
  [
    'quantity',
    {
      // Any other figure asked with a bare 多少 (注册资本最少要多少, 标准具体是多少). Read after the
      // specific figures above, so 多少钱 stays money and 多少天 a duration. 几次/几个人 are left out:
      // they ask for a count of that very thing, which any number with a unit would not answer.
      // An identifier (文号是多少, 电话多少) is no figure: it is read as such, or from the document's card.
      asked: /(?<!(?:文号|编号|号码|代码|电话|邮编|账号|网址|字号)\S{0,3})多少(?=$|[，,。？?！!；;\s]|[吗呢啊呀])/,
      // A number with what it counts or measures; a list's ordinal (8.私募基金…), a clause's number
      // (第八条) and a date (2021年) are none.
      answer: new RegExp(
        String.raw`(?<![第\d一二两三四五六七八九十百千万亿半])(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万亿半]+)\s*(?:%|‰|万|亿|元|个|人|名|位|家|户|次|趟|项|件|条|类|种|台|套|间|栋|所|处|平方米|平米|㎡|亩|公顷|吨|千瓦|兆瓦|米|公里|倍|周岁|岁|个月|天|工作日|小时|分钟|辆|场|批|级|星|分)`,
      ),
      figure: true, called: ['数量', '标准'],
    },
  ],
  [
    'issuer',
    {
      // Who issued the document (哪个部门发的, 谁发布的), not who handles a matter: its card
      // (发布机关：…) or cover letter (关于印发…的通知) says, not any unit its text names.
      asked: /(?:哪个|哪些|哪几个|什么|哪家|啥)(?:部门|单位|机构|机关)(?:联合)?(?:印发|发布|出台|颁布|发)的?|谁(?:印发|发布|出台|颁布|发)的|发文机关|发布机关|发文单位/,
      answer: /发布机关|发文机关|发文单位|印发|颁布/,
      figure: false, called: ['发布机关'],
    },
  ],
  [
    'department',
    {
      asked: /(?:哪个|哪些|哪几个|什么|哪家|啥)(?:部门|单位|机构|机关|局)|谁负责|谁管|归谁|找谁|谁来|由谁|谁发|谁批|谁审|谁制定|谁出台|是谁/,
      answer: /部门|单位|机关|机构|政府|委员会|管委会|局|厅|委|办公室|中心|小组|银行|公司|部|署|院|会/,
      figure: false, called: ['部门', '单位'],
    },
  ],
  [
    'phone',
    {
      asked: /电话|热线号码|联系方式/,
      // A number: the word 电话 alone is as often a blank to fill in (联系电话：____) as an answer.
      // Numbers shaped like a telephone's (hotline, mobile, with area code), not an ID's 18 digits.
      answer: /(?<![\d.])(?:0\d{2,3}[-－—]?\d{7,8}|1[3-9]\d{9}|400[-－]?\d{3}[-－]?\d{4}|\d{7,8}|\d{5,6})(?![\d.])/,
      figure: false, called: ['电话'],
    },
  ],
  [
    'address',
    {
      asked: /地址(?:在|是)?(?:哪|什么)|在哪|哪里|哪儿|什么地方|去哪|到哪/,
      // Where to go (大厅, 窗口, 网站) or which place (京津冀地区的高校). Not a bare
      // 县 or 市: every passage of a county's document names its county (县财政局) without saying where.
      answer: /地址|位于|地点|住所|场所|大厅|窗口|中心|网站|网上|网址|官网|平台|站|所在地|地区|乡镇|街道|社区/,
      figure: false, called: ['地址', '地点'],
    },
  ],
  [
    'materials',
    {
      asked: /(?:什么|哪些|啥|哪几样|几样)\S{0,2}(?:材料|资料|证件|证明)|(?:材料|资料|证件)(?:有|是|包括)?(?:哪些|什么|啥)/,
      answer: /材料|资料|证明|证件|证书|身份证|执照|申请表|申请书|承诺书|复印件|原件|报告|合同|清单|文件/,
      figure: false, called: ['材料'],
    },
  ],
  [
    'conditions',
    {
      asked: /(?:什么|哪些|啥)\S{0,2}(?:条件|资格|门槛)|(?:条件|资格|门槛)(?:是|有)?(?:哪些|什么|啥)|(?:哪些|什么|啥样的?)(?:人|企业|单位|对象)(?:可以|能)|谁可以|谁能/,
      // A case of a legal list (（一）领取营业执照后未开展生产经营活动…，且无异议的；) is a condition.
      answer: /条件|资格|符合|具备|满足|应当|须|不得|范围|对象|以上|以下|不低于|不少于|不高于|不超过|达到|标准|可以|的[；;]\s*$/,
      figure: false, called: ['条件'],
    },
  ],
  [
    'steps',
    {
      // 办啥手续 asks what has to be done (申报, 办理…), not which papers to bring.
      asked: /流程|程序|步骤|(?:怎么|如何|怎样|咋)(?:办理|申请|办|操作|弄|走)|(?:什么|哪些|啥)\S{0,2}手续|手续(?:有|是)?(?:哪些|什么|啥)/,
      answer: /申请|申报|提交|办理|受理|审核|审批|登记|备案|流程|程序|步骤|手续|网上|窗口|平台/,
      figure: false, called: ['程序', '流程'],
    },
  ],
];

const BY_NAME = new Map(ATTRIBUTES);

/** The question word inside the words that ask (利率现在是[多少], 契税能补[多少]). */
const QUESTION_WORD = /多少|多久|多长|几|哪|什么|啥|何时|百分之/;

/**
 * The attributes the question asks for (哪个部门负责？要多久？ asks for two), its words for the
 * first, and where in the question the question word asking for a figure stands (-1 when no
 * figure is asked): the figure is one of what the question names next to it.
 */
export function askedAttributes(question: string): { attributes: AskedAttribute[]; phrase: string; figureAt: number } {
  const matched = ATTRIBUTES.map(([attribute, { asked, figure }]) => ({ attribute, figure, match: asked.exec(question) })).filter(({ match }) => match);
  // 哪个部门发的 asks who issued the document, which is no unit a passage merely names.
  // 几个工作日 asks for a duration, not for any figure: the generic one only stands alone.
  const specific = matched.filter(({ attribute }) => attribute !== 'quantity' || !matched.some((other) => other.figure && other.attribute !== 'quantity'));
  const found = specific.some(({ attribute }) => attribute === 'issuer') ? specific.filter(({ attribute }) => attribute !== 'department') : specific;
  const figure = found.find((entry) => entry.figure)?.match;
  const figureAt = figure ? figure.index + Math.max(0, figure[0].search(QUESTION_WORD)) : -1;
  return { attributes: found.map(({ attribute }) => attribute), phrase: found[0]?.match?.[0] ?? '', figureAt };
}

/** What the documents call the attributes asked for, to search for beside the question's words. */
export function attributeNames(attributes: AskedAttribute[]): string[] {
  return attributes.flatMap((attribute) => BY_NAME.get(attribute)?.called ?? []);
}

/** The text holds what answers the attribute (an amount for 多少钱, a unit for 哪个部门). */
export function holdsAttribute(attribute: AskedAttribute, text: string): boolean {
  return BY_NAME.get(attribute)?.answer.test(text) ?? true;
}

/**
 * The enumerator before a heading's words: （一）, 一、, 1., 第三条, 附件2. What is left of a
 * heading such as （一）申请时间 is its label.
 */
const ENUMERATOR = /^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、．.]|\d+(?:\.\d+)*[、．.]?|第[一二三四五六七八九十百\d]+[章节条款项部分]|附件\s*\d*)\s*/;
/** Longer than this, a "heading" is the first sentence of a passage ingest had to cut a label from. */
const MAX_LABEL = 12;

/**
 * The passage's own section is labelled with what is asked (（一）申请时间 for 啥时候, 申请材料 for
 * 哪些材料, 办理流程 for 怎么办): the document says this section answers exactly that.
 */
export function labelledWith(attribute: AskedAttribute, heading: string): boolean {
  const label = heading.replace(ENUMERATOR, '').trim();
  if (label.length === 0 || label.length > MAX_LABEL) return false;
  return (BY_NAME.get(attribute)?.called ?? []).some((name) => label.includes(name));
}

export function isFigure(attribute: AskedAttribute): boolean {
  return BY_NAME.get(attribute)?.figure ?? false;
}

/** Words that ask for an attribute (多少钱, 哪个部门, 几天, 占比): they name no topic of their own. */
export function asksForAttribute(words: string): boolean {
  return ATTRIBUTES.some(([, { asked }]) => asked.test(words));
}
