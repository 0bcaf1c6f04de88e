/**
 * @module How a question asks, as opposed to what it asks about. Users wrap a topic in question
 * words, hedges, modal and light verbs, conditions and the time of their asking (如果我现在想办的话
 * 一般要多久); none of it is something a passage must say to answer them. These are grammar, not
 * topic: closed classes, kept here as data and reviewed as a whole, plus jieba's tags for the
 * classes it already knows (pronouns, particles, conjunctions, prepositions, localisers). A word
 * belongs here because of what kind of word it is, never because one question needed it gone.
 */
import { dictionaryWords, type TaggedWord } from '../../core/text/index.ts';

const words = (list: string) => list.trim().split(/\s+/);

/** The closed classes, by kind. */
const CLASSES = {
  /** What the user does not know yet. */
  interrogative: words(`
    什么 啥 啥子 咋 咋样 怎 怎么 怎样 怎么样 怎么办 如何 为何 为什么 为啥 哪 哪些 哪个 哪里 哪儿 哪边 哪家 哪位
    哪种 哪类 哪样 哪几 谁 多少 几 多久 多长 多大 多高 多远 吗 呢 吧 嘛 么 呀 啊 是否 能否 可否 有无 与否`),
  /** Leading in, hedging, pointing back, and the people in the conversation. */
  discourse: words(`
    请问 问 问问 想问 问一下 请教 咨询一下 打听 一下 那 那么 那个 这个 这样 那样 这种 那种 这块 那块 这边 那边 这事
    的话 一般 一般来说 通常 平时 大概 大约 大致 差不多 具体 到底 究竟 其实 听说 据说 好像 比较 谢谢 你好 您好
    我 我们 咱 咱们 你 你们 您 他 她 他们 人家 别人 有人 自己`),
  /** Modal and aspect verbs: whether one can, may, must, wants to or starts to, never the thing itself. */
  modal: words(`
    能 能够 可以 可 会 要 想要 得 需 需要 须 必须 一定 应 应该 该 想 愿意 打算 准备 还要 还能 才能 就能 也能
    不能 不用 不要 不必 无需 不需要 不可以 开始 继续`),
  /** Negation: whether the thing holds is the answer's to say (不干了 → 终止提供). */
  negation: words(`不 没 没有 别`),
  /**
   * Light verbs: 办、弄、搞 stand for whatever the topic needs doing, which the passage words its
   * own way (办执照 → 申请营业执照); with a result or direction after them (办完, 拿到, 拿不出) too.
   */
  light: words(`办 弄 搞 整 做 干 拿 给 找 用 去 来 打 交`),
  /** Conditions the user sets up. */
  conditional: words(`如果 假如 假设 要是 若 若是 万一 只要 即使 就算 一旦`),
  /** The time of asking, relative to the user (a year or plan period the user names stays). */
  time: words(`现在 目前 当前 如今 眼下 今年 今天 明年 去年 最近 近期 以后 之后 以前 之前 将来 今后 已经 马上 还 再 时候`),
};

const CLOSED = new Set(Object.values(CLASSES).flat());

/**
 * jieba's function-word classes: pronouns (r), particles (y), conjunctions (c), prepositions (p),
 * auxiliaries (u…), interjections (e), onomatopoeia (o), localisers (f: 以后, 以内, 期间).
 */
const FUNCTION_TAGS = /^(r|rr|rz|ry|y|c|p|u[a-z]*|e|o|f)$/;

/** 这份, 那项, 该条: pointing at something the question already names. */
const DEMONSTRATIVE = /^[这那该此][个份项条次种类些样块边件回轮]$/;

/** Question words inside a longer word: 哪几个, 啥时候, 几号, 多少天, 怎么弄. */
const INTERROGATIVE_MORPHEME = /什么|啥|哪|谁|怎|多少|多久|多长|几/;

/** What may follow a light verb as its result or direction: 办完, 拿到, 拿不出来, 办下来. */
const COMPLEMENT = /^[完好到出来去成掉了过着起下上不得住满齐全定]+$/;

/** 能不能 → 能, 可不可以 → 可以, 收不收费 → 收费: the A-not-A question asks about A. */
export function foldAnotA(text: string): string {
  return text.replace(/([\u4e00-\u9fff])[不没]\1/g, '$1');
}

/**
 * 离了婚 → 离婚, 离过婚 → 离婚, 买了房子 → 买房子: the aspect particles 了 and 过 split a verb from
 * its object, which the documents (and the lexicon) write together. Dropped only where the two
 * characters they separate form a dictionary word, so 为了解决, 签了合同 or 通过审核 stay as written.
 */
export function foldAspect(text: string): string {
  return text
    // Not where the verb and 了 are a word of their own (为了个人, 除了个别).
    .replace(COUNTED_OBJECT, (whole, verb: string) => (dictionaryWords(`${verb}了`).length === 1 ? whole : verb))
    .replace(/([\u4e00-\u9fff])[了过](?=([\u4e00-\u9fff]))/g, (whole, before: string, after: string) => {
      const joined = dictionaryWords(`${before}${after}`);
      return joined.length === 1 ? before : whole;
    });
}

/**
 * 开了个小饭馆 → 开小饭馆, 买了一套房 → 买房, 办了张卡 → 办卡: a one-character verb, 了, and a count of
 * one before its object; jieba glues them (开了个) into a word no passage contains.
 */
const COUNTED_OBJECT = /([\u4e00-\u9fff])了一?[个套间家张台辆份](?=[\u4e00-\u9fff])/g;

function isLightVerbPhrase(word: string): boolean {
  return CLASSES.light.some((verb) => word.startsWith(verb) && COMPLEMENT.test(word.slice(verb.length)));
}

/** The word says how the question asks, so no passage needs to contain it. */
export function isAskingWord({ word, tag }: TaggedWord): boolean {
  return CLOSED.has(word) || FUNCTION_TAGS.test(tag) || DEMONSTRATIVE.test(word) || INTERROGATIVE_MORPHEME.test(word) || isLightVerbPhrase(word);
}
