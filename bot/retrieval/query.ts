/**
 * @module Understanding a question: normalise it, find the concepts it asks about, and the other
 * words each concept may appear as in the documents. A concept is covered by a passage when any
 * of its forms occurs there; coverage is what decides between answering and refusing.
 */
import { normalizeQuery, dictionaryWords, isAdministrativeDivision, isStopWord, tagWords, type TaggedWord } from '../../core/text/index.ts';
import { foldAnotA, foldAspect, isAskingWord } from './asking.ts';
import { askedAttributes, asksForAttribute, attributeNames, type AskedAttribute } from './attributes.ts';
import { clauseReferences, type ClauseReference } from './clauses.ts';
import type { Lexicon } from './lexicon.ts';

export interface Concept {
  /** The words as the user wrote them. */
  surface: string;
  /** Every form that counts as this concept in a passage, surface first. */
  forms: string[];
  /** Question words such as 政策/规定 matter little for whether a passage answers. */
  generic: boolean;
  /**
   * How much the concept says about the topic, from its part of speech: nouns, names and numbers
   * carry the topic (1); verbs less (0.5); pronouns, adverbs and the like hardly (0.2).
   */
  salience: number;
  /**
   * A year or plan period (2022, 十四五): a passage about another year does not answer the
   * question however much else it shares with it.
   */
  specific: boolean;
  /**
   * A place name (安阳, 浙江省, 渤海新区): a passage from a document that never mentions the place
   * is about somewhere else, however well it covers the rest (see search.ts, places).
   */
  place?: boolean;
  /**
   * The figure asked for is a figure of this concept: the noun next to the question word (利率 in
   * 贷款利率是多少). A figure answers only beside it (or beside another item of the same list).
   */
  measured?: boolean;
  /**
   * The thing the question asks which of (哪些税收优惠 → 税收优惠, 什么补贴 → 补贴): a passage that
   * never names it lists something else.
   */
  object?: boolean;
  /**
   * The attributes the question asks for (an amount for 多少钱, a unit for 哪个部门), standing in
   * for the words that ask: a passage covers this concept when it holds one of them. It says
   * nothing about the topic (salience 0, no forms).
   */
  attributes?: AskedAttribute[];
}

export interface AnalyzedQuery {
  original: string;
  normalized: string;
  concepts: Concept[];
  /** Text for the keyword and vector searches: the question plus expansions. */
  expandedText: string;
  /** Extra phrases from the lexicon, searched with a lower weight than the user's own words. */
  expansions: string[];
  /**
   * The attributes asked for (an amount, a date, the department…): an answer holds one of them.
   * Empty when the question asks for none in particular (有什么政策).
   */
  asks: AskedAttribute[];
  /** Terms the user put in quotes (“三个一”): the document's own name for something. */
  quoted: string[];
  /** Units named by number (第二十八条, 第三章): the answer is that unit. Empty for most questions. */
  clauses: ClauseReference[];
  /** 啥意思/是什么: the answer is where the document defines the term (所称…是指). */
  definition?: boolean;
}

const ASKS_DEFINITION = /啥意思|什么意思|是什么|指什么|何为|什么叫|啥叫|指的是/;

const QUOTED = /[“"「『]([^”"」』]{1,20})[”"」』]/g;

const SPECIFIC = /^(?:(?:19|20)\d{2}|十[一二三四五六七八九]?五)$/;

const CHINESE_DIGITS = '〇一二三四五六七八九十';
const SMALL_COUNT = /^(\d{1,2}|[一二两三四五六七八九十])(个|项|家|条|张|大|类|天|日)?$/;

/** Policy text writes small counts either way (6个专项行动, 六个方面): each form finds the other. */
function countForms(word: string): string[] {
  const match = SMALL_COUNT.exec(word);
  if (!match) return [word];
  const [, number = '', unit = ''] = match;
  const value = /\d/.test(number) ? Number(number) : number === '两' ? 2 : CHINESE_DIGITS.indexOf(number);
  if (value < 1 || value > 10) return [word];
  const other = /\d/.test(number) ? CHINESE_DIGITS[value] : String(value);
  // 七天 is the documents' 七日 (七日无理由退货): a count of days either way.
  const units = unit === '天' || unit === '日' ? ['天', '日'] : [unit];
  return [...new Set([word, ...units.flatMap((each) => [`${number}${each}`, `${other}${each}`])])];
}

/**
 * Nouns that frame a question (政策, 规定, 情况): part of what it is about, but little of it. How
 * the question asks (什么, 能不能, 一般, 现在) is no part of it at all (asking.ts).
 */
const GENERIC = new Set(
  `政策 规定 要求 情况 内容 措施 相关 有关 方面 工作 问题 办理 文件 主要 方式 方法 流程 程序 条件 标准 时间 年
  情况下 东西 事 事情 事儿 部分 提到 讲 说 写 里面 当地 本地 规划 计划 意见 实施 文件里 一共 总共 最多 最少 至少 意思 新政 新规`.split(/\s+/),
);

/** Place words that name no particular place, so no document needs to mention them. */
const NO_PARTICULAR_PLACE = new Set(`中国 全国 国内 国外 境内 境外 本地 当地 各地 地方 城乡 城市 农村 自治区 直辖 直辖市 省市 市县 县市 省区 地区`.split(/\s+/));
/** 各省, 全市, 本县, 外省: every, this or another division, none in particular. */
const ANY_DIVISION = /^[各全本该每外][省市县区州]/;
const PLACE_SUFFIX = /[\u3400-\u9fff]{2,}(?:新区|开发区|高新区|自贸区|省|市|县|区)$/;
const DIVISION_SUFFIX = /^[省市县区镇乡]$/;

/**
 * A candidate place name: what jieba tags `ns` (安阳, 浙江; but also 上门来, so search only trusts
 * places some document is about or the dictionary lists as divisions), a CJK word with an
 * administrative suffix (渤海新区, 恩阳区), or a division the dictionary lists that jieba tagged a
 * person's name (余姚, 慈溪: the tagger guesses from the characters, the division list knows).
 */
function isPlaceName({ word, tag }: TaggedWord): boolean {
  if (NO_PARTICULAR_PLACE.has(word) || ANY_DIVISION.test(word) || !/^[\u3400-\u9fff]{2,8}$/.test(word)) return false;
  return tag === 'ns' || PLACE_SUFFIX.test(word) || (PERSON_NAME.test(tag) && isAdministrativeDivision(word));
}

const PERSON_NAME = /^nr/;

/** A place as documents write it: 安阳市 → 安阳, 浙江省 → 浙江 (the bare name is in both). */
export function placeStem(place: string): string {
  return place.length > 2 ? place.replace(/[省市县]$/, '') : place;
}

/**
 * The places a text names for certain: divisions jieba's dictionary knows (巴中市, 安化县, 沧州),
 * inside names of bodies too (上海市人民政府), and names with an administrative suffix (恩阳区,
 * 渤海新区). For what a document is about, from its title and opening lines.
 */
export function placesNamedIn(text: string): string[] {
  const places = new Set<string>();
  for (const tagged of tagWords(text.toLowerCase())) {
    if (PLACE_SUFFIX.test(tagged.word) && isPlaceName(tagged)) places.add(placeStem(tagged.word));
    for (const part of dictionaryWords(tagged.word)) if (isPlaceName(part) && isAdministrativeDivision(part.word)) places.add(placeStem(part.word));
  }
  return [...places];
}

/** A place the question names that jieba's dictionary knows as a city, province or county (郑州, 江苏省). */
export function isKnownDivision(concept: Concept): boolean {
  return concept.place === true && isAdministrativeDivision(concept.surface);
}

const TOPIC_TAGS = /^(n|nr|ns|nt|nz|nrt|vn|an|j|eng|x)$/;

function salience({ word, tag }: TaggedWord): number {
  if (/\d/.test(word)) return 1;
  // A one-character noun (村, 指) is as often phrasing as topic.
  if (word.length === 1) return 0.5;
  if (TOPIC_TAGS.test(tag)) return 1;
  if (tag === 'v') return 0.5;
  return 0.2;
}

/**
 * jieba tags a word it only guessed (not in its dictionary) `x`. When the guess glues dictionary
 * words together (签了, 管着, 要建, 建多大, 最多能), it is the user's phrasing, not a term of its
 * own: it counts as its dictionary words (签, 管, 建, 最多) minus particles and asking words, with
 * a verb's salience; nothing at all when only asking words remain (打能 → 打/能, 还要 → 还/要).
 */
function conceptOf(tagged: TaggedWord): Concept | undefined {
  const { word, tag } = tagged;
  // 恩阳区: an unknown name with an administrative suffix is a place, not glued phrasing.
  const parts = tag === 'x' && !isPlaceName(tagged) ? dictionaryWords(word) : [tagged];
  if (parts.length === 1) {
    const place = isPlaceName(tagged);
    return {
      surface: word,
      forms: countForms(word),
      generic: GENERIC.has(word),
      salience: salience(tagged),
      specific: SPECIFIC.test(word),
      ...(place ? { place } : {}),
    };
  }
  // 恩阳: characters the dictionary knows only one by one, each a noun or a name, are a name it
  // does not list, not glued phrasing: any 阳 elsewhere says nothing of it.
  if (parts.every((part) => part.word.length === 1 && /^n/.test(part.tag) && !isStopWord(part.word))) {
    return { surface: word, forms: [word], generic: false, salience: 1, specific: false };
  }
  const asked = parts.filter((part) => !isAskingWord(part) && !isStopWord(part.word));
  if (asked.length === 0) return undefined;
  const content = asked.map((part) => part.word).filter((part) => !GENERIC.has(part));
  return {
    surface: word,
    forms: [word, ...content],
    generic: content.length === 0,
    salience: 0.5,
    specific: false,
  };
}

/**
 * Where a one-character key (卖 → 出售、转让, 报 → 申报, 罚 → 罚款) stands as a word of its own in
 * jieba's dictionary segmentation: 多少年内不能卖, 最多罚多少, but not the 卖 of 买卖 or the 报 of
 * 报告. Such words carry what a colloquial question asks, and mean nothing inside other words.
 */
function singleCharacterWords(text: string, lexicon: Lexicon): { start: number; end: number; key: string }[] {
  const found: { start: number; end: number; key: string }[] = [];
  let cursor = 0;
  for (const { word } of dictionaryWords(text)) {
    const at = text.indexOf(word, cursor);
    if (at < 0) continue;
    cursor = at + word.length;
    if (word.length === 1 && lexicon.has(word)) found.push({ start: at, end: cursor, key: word });
  }
  return found;
}

function findLexiconMatches(text: string, lexicon: Lexicon): { start: number; end: number; key: string }[] {
  const keys = [...lexicon.keys()].filter((key) => key.length > 1 && text.includes(key)).sort((a, b) => b.length - a.length);
  const taken: { start: number; end: number; key: string }[] = [];
  for (const key of keys) {
    let from = 0;
    for (let at = text.indexOf(key, from); at !== -1; at = text.indexOf(key, from)) {
      from = at + key.length;
      if (taken.some((span) => at < span.end && at + key.length > span.start)) continue;
      taken.push({ start: at, end: at + key.length, key });
    }
  }
  for (const single of singleCharacterWords(text, lexicon)) {
    if (!taken.some((span) => single.start < span.end && single.end > span.start)) taken.push(single);
  }
  return taken.sort((a, b) => a.start - b.start);
}

const CLAUSE_BREAK = /[，,。？?！!；;]/;

/**
 * Nouns that name the kind of figure, not what it is a figure of (主营收入目标多少, 补贴额度是多少):
 * the thing measured is the noun before them.
 */
const MEASURE_NOUNS = new Set(`目标 标准 金额 数额 数量 数目 额度 上限 下限 幅度 期限 时限 时长 时间 日期 水平 规模 比例 比重 总额 总量`.split(/\s+/));

/** How far before the question word such a verb may stand: 贷多少, 补了多少, 能拿到多少 are within it. */
const SPOKEN_VERB_REACH = 4;

/** A form that is one dictionary noun (贷款, 罚款, 补贴), not a verb (领取, 退还). */
function namesAThing(form: string): boolean {
  const words = dictionaryWords(form);
  return words.length === 1 && /^n/.test(words[0]?.tag ?? '');
}

/**
 * What a figure is asked of: within the clause of the question word, an everyday verb whose doing
 * is a thing with an amount right before it (契税能补多少 → 补, 补贴), else the noun ending nearest
 * before it (贷款利率是多少 → 利率). Only a noun names a thing with a figure:
 * verbs, counts and degree words (一年, 最低, 能补) say how it is asked; with no noun before the
 * question word, the figure may stand beside any topic word. A list before the question word
 * (执照、刻章、开户这些几天) is asked of as a whole: each item counts.
 */
function measuredConcepts(text: string, concepts: Concept[], at: number): Concept[] {
  if (at < 0) return [];
  let start = at;
  while (start > 0 && !CLAUSE_BREAK.test(text[start - 1] ?? '')) start--;
  // 最多能贷多少, 罚多少, 补多少: an everyday verb right before the question word whose doing is
  // itself a thing with an amount (贷 → 贷款, 罚 → 罚款, 补 → 补贴: a noun among its lexicon
  // forms) names what the figure is of, whatever noun came before it (买房…贷). A verb of handing
  // over (领, 退, 交) does not: 领多少 is still the amount of the noun before it.
  const spoken = concepts.find((concept) => {
    const from = text.lastIndexOf(concept.surface, at);
    return concept.surface.length === 1 && from >= start && at - from <= SPOKEN_VERB_REACH && concept.forms.slice(1).some(namesAThing);
  });
  if (spoken) return [spoken];
  const placed = concepts
    .filter((concept) => concept.salience === 1 && !/\d/.test(concept.surface) && !MEASURE_NOUNS.has(concept.surface))
    .filter((concept) => !concept.generic && !concept.place && !concept.specific && !concept.attributes)
    .map((concept) => ({ concept, from: text.slice(start, at).indexOf(concept.surface) + start }))
    .filter((entry) => entry.from >= start)
    .map((entry) => ({ ...entry, to: entry.from + entry.concept.surface.length }))
    .sort((a, b) => b.to - a.to || a.from - b.from);
  const list = placed.slice(0, 1);
  // 消费/券…多少钱: a one-character noun jieba cut off the noun makes the compound measured — the
  // figure of 消费券, not of any 消费. Not a division suffix (合作/区 names a zone called 合作 too),
  // nor a verb the lexicon spells out (平米/补多少, 签了多大金额: forms beside the word itself).
  const head = list[0];
  const tail =
    head &&
    concepts.find((concept) => concept.surface.length === 1 && concept.forms.length === 1 && !DIVISION_SUFFIX.test(concept.surface) && text.startsWith(concept.surface, head.to) && head.to < at);
  if (head && tail) {
    head.concept.surface = `${head.concept.surface}${tail.surface}`;
    head.concept.forms = [head.concept.surface];
  }
  for (let item = list[0]; item && text[item.from - 1] === '、'; list.push(item)) {
    const before = item.from - 1;
    item = placed.find((entry) => entry.to === before);
    if (!item) break;
  }
  return list.map((entry) => entry.concept);
}

/**
 * Places a question names as where something would go (办公室能不能租在福州, 能不能搬到上海), beside
 * the place it is about (平潭…): a verb right before 在/到/往 makes the place its complement, where
 * a noun or a modal does not (管理人在平潭申请, 想在安阳开公司). The documents of the place asked
 * about answer, though they never name the other; the complement still counts as a word of the
 * question, a generic one. With one place named, it is the
 * question's place however it is said (注册在平潭的企业).
 */
function destinations(text: string, concepts: Concept[]): Concept[] {
  const places = concepts.filter((concept) => concept.place);
  if (places.length < 2) return [];
  const complements = places.filter((concept) => {
    const at = text.indexOf(concept.surface);
    if (at < 2 || !/[在到往]/.test(text[at - 1] ?? '') || !/[\u4e00-\u9fff]/.test(text[at - 2] ?? '')) return false;
    // The word before 在: 租 in 能不能租在; jieba glues 能租 (x), whose last dictionary word is the verb.
    const before = tagWords(text.slice(0, at - 1)).at(-1);
    const verb = before?.tag === 'x' ? dictionaryWords(before.word).at(-1) : before;
    return verb !== undefined && verb.tag.startsWith('v') && !isAskingWord(verb);
  });
  return complements.length < places.length ? complements : [];
}

/** Which-words before a noun: 哪些优惠, 什么补贴, 哪几类企业, 啥材料. */
const WHICH = /(?:哪些|哪几[类种项样个]?|哪[类种项样个]|什么样?的?|啥样?的?)$/;

/**
 * The nouns a which-word asks about (享受哪些税收优惠 → 税收, 优惠): the noun right after it and
 * the nouns that follow it directly. Frame nouns (政策, 情况) and nouns that ask for an attribute
 * (哪个部门, 什么门槛) are no object.
 */
function askedObjects(text: string, concepts: Concept[]): Concept[] {
  const objects: Concept[] = [];
  for (const concept of concepts) {
    if (concept.generic || concept.place || concept.specific || concept.attributes || concept.salience < 1) continue;
    const at = text.indexOf(concept.surface);
    const asking = text.slice(Math.max(0, at - 4), at + concept.surface.length);
    // 哪几个部门, 什么门槛 ask for an attribute (attributes.ts), checked as such.
    if (at > 0 && WHICH.test(text.slice(Math.max(0, at - 4), at)) && !asksForAttribute(asking)) objects.push(concept);
  }
  // 哪些税收优惠: the words after the first object, up to the next non-object, belong to it.
  for (const concept of concepts) {
    if (objects.includes(concept) || concept.generic || concept.attributes || concept.salience < 1) continue;
    const at = text.indexOf(concept.surface);
    if (objects.some((object) => text.indexOf(object.surface) + object.surface.length === at)) objects.push(concept);
  }
  return objects;
}

export function analyzeQuery(question: string, lexicon: Lexicon): AnalyzedQuery {
  // 离了婚 → 离婚 for the search as well as the concepts: the documents write the verb whole.
  const normalized = foldAspect(normalizeQuery(question));
  const lower = normalized.toLowerCase();
  const clauses = clauseReferences(lower);
  // 第28条 says where to look, not what about: its digits and 条 are no topic words.
  const phrased = clauses.reduce((text, clause) => text.replace(clause.text, ' '), foldAnotA(lower));
  const matches = findLexiconMatches(phrased, lexicon);
  const concepts: Concept[] = [];
  const expansions = new Set<string>();
  let rest = '';
  let cursor = 0;
  for (const match of matches) {
    rest += `${phrased.slice(cursor, match.start)} `;
    cursor = match.end;
    const forms = [match.key, ...(lexicon.get(match.key) ?? [])];
    for (const form of forms.slice(1)) expansions.add(form);
    // 多少钱 → 资金, 哪个部门 → 责任单位 help the search find the answer, but they are how the
    // question asks: the attribute they ask for is checked as such (attributes.ts).
    if (asksForAttribute(match.key)) continue;
    // 哪个部门 … 负责 both stand for 责任单位: one thing asked, counted once. Synonyms the user
    // wrote side by side (新三板挂牌) are two things said, and stay two.
    const same = concepts.find(
      (concept) =>
        !concept.forms.includes(match.key) &&
        !forms.includes(concept.surface) &&
        concept.forms.slice(1).some((form) => forms.slice(1).includes(form)),
    );
    if (same) {
      same.forms = [...new Set([...same.forms, ...forms])];
      continue;
    }
    // A one-character word (卖, 报) is a verb of everyday speech, telling as a verb is.
    concepts.push({ surface: match.key, forms, generic: false, salience: match.key.length === 1 ? 0.5 : 1, specific: SPECIFIC.test(match.key) });
  }
  rest += phrased.slice(cursor);
  let previous: TaggedWord | undefined;
  for (const tagged of tagWords(rest)) {
    const { word } = tagged;
    // 长乐/区: the suffix jieba cut off a place belongs to it.
    const suffix = DIVISION_SUFFIX.test(word) && previous !== undefined && isPlaceName(previous);
    previous = tagged;
    if (suffix || isStopWord(word) || isAskingWord(tagged) || concepts.some((concept) => concept.surface === word)) continue;
    // A lone CJK character is too ambiguous to decide anything, unless it is a noun (几个村, 几座桥);
    // numbers and Latin words are not.
    if (word.length === 1 && /[\u3400-\u9fff]/.test(word) && !/^(n|ng|zg)$/.test(tagged.tag)) continue;
    const concept = conceptOf(tagged);
    if (concept) concepts.push(concept);
  }
  for (const concept of destinations(phrased, concepts)) {
    delete concept.place;
    concept.generic = true;
  }
  const asked = askedAttributes(phrased);
  for (const concept of measuredConcepts(phrased, concepts, asked.figureAt)) concept.measured = true;
  for (const concept of askedObjects(phrased, concepts)) concept.object = true;
  if (asked.attributes.length > 0) {
    concepts.push({ surface: asked.phrase, forms: [], generic: false, salience: 0, specific: false, attributes: asked.attributes });
  }
  for (const name of attributeNames(asked.attributes)) expansions.add(name);
  const expansionList = [...expansions].filter((form) => !lower.includes(form));
  return {
    original: question,
    normalized,
    concepts,
    expandedText: [normalized, ...expansionList].join(' '),
    expansions: expansionList,
    quoted: [...lower.matchAll(QUOTED)].map((match) => match[1] ?? '').filter((term) => term.trim() !== ''),
    asks: asked.attributes,
    clauses,
    ...(ASKS_DEFINITION.test(lower) ? { definition: true } : {}),
  };
}
