/**
 * @module When a document is in force, as its own closing clause states it: 本办法自2026年1月1日起
 * 实施，有效期至2030年12月31日 / 本政策措施自印发之日起实施 / 本办法有效期5年 / 政策实施期限为
 * 2023年6月27日-2026年6月27日. Only clauses about the document itself (本…) count: a sentence
 * about another regulation's 施行 or a licence's 有效期 is not this document's.
 */
import { DATE, parseDate } from './dates.ts';

export interface InForce {
  effectiveDate?: string;
  expiryDate?: string;
  validity?: string;
}

/** 本办法 / 本政策措施 / 本公告: the document naming itself. */
const SELF = '本[\\u3400-\\u9fff]{0,6}?(?:办法|条例|规定|细则|规则|通知|意见|决定|公告|通告|方案|规划|纲要|计划|措施|政策|文件|指南|标准)';
const TAKES_EFFECT = '(?:施行|实施|执行|实行|生效)';
/** Between the document's name and its 有效期: its 施行 clause, 本办法自2026年1月1日起实施，有效期… */
const BETWEEN = '[^。；\\n]{0,40}?';
/** 本办法自2026年1月1日起施行 / 本政策措施自印发之日起实施. */
const EFFECTIVE = new RegExp(`${SELF}(?:自|从)\\s*(${DATE}|(?:印发|发布|公布|发文|签发)之日)\\s*起${TAKES_EFFECT}`);
/** 有效期至2023年12月31日止 / 有效期为2021年1月1日至2025年12月31日. */
const VALID_UNTIL = new RegExp(`${SELF}${BETWEEN}(有效期(?:为|是|：|:)?\\s*(?:自?\\s*(${DATE})\\s*(?:起)?)?\\s*(?:至|到|截至)\\s*(${DATE})(?:止)?)`);
/** 有效期5年 / 有效期为两年 / 有效期三个月. */
const VALID_FOR = new RegExp(`${SELF}${BETWEEN}有效期(?:为|是)?\\s*([一二三四五六七八九十两\\d]{1,3}\\s*(?:年|个月))`);
/** 政策实施期限为2023年6月27日-2026年6月27日. */
const PERIOD = new RegExp(`(?:实施|执行|有效)期限?(?:为|是|：|:)?\\s*(${DATE})\\s*(?:[-—–~～至到])\\s*(${DATE})`);

const compact = (text: string) => text.replace(/\s+/g, '');

/** `issued` is the document's date, which 自印发之日起 refers to. */
export function readInForce(text: string, issued: string | undefined): InForce {
  const found: InForce = {};
  const effective = text.match(EFFECTIVE)?.[1];
  // 印发/发布 of a 公文 is the date it bears; a regulation's 公布 comes after the 通过 its 题注 dates.
  if (effective) found.effectiveDate = /之日$/.test(effective) ? (/公布/.test(effective) ? undefined : issued) : parseDate(effective);
  const until = text.match(VALID_UNTIL);
  const span = text.match(VALID_FOR);
  const period = text.match(PERIOD);
  if (until) {
    found.validity = compact(until[1]!);
    found.effectiveDate ??= until[2] === undefined ? undefined : parseDate(until[2]);
    found.expiryDate = parseDate(until[3]!);
  } else if (span) {
    found.validity = `有效期${compact(span[1]!)}`;
  } else if (period) {
    found.validity = compact(period[0]);
    found.effectiveDate ??= parseDate(period[1]!);
    found.expiryDate = parseDate(period[2]!);
  }
  return Object.fromEntries(Object.entries(found).filter(([, value]) => value !== undefined)) as InForce;
}
