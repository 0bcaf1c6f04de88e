/**
 * @module Who issued a document and when, where its text says so: the 落款 that closes a 公文
 * (the issuing bodies' names, one a line, over a date) and the 题注 under a regulation's title,
 * its legislative history: （2002年4月11日北京市人民政府第93号令公布 根据…第五次修改）.
 */
import { DATE, SIGNATURE_DATE_LINE, parseDate } from './dates.ts';

/** An issuing body's name: ends as organisations do. */
const ORGANISATION = /^[^，。；：:,;！？!?、|]{2,40}?(?:人民政府|政府|办公厅|办公室|委员会|管委会|总局|局|厅|部|署|院|会议|联合会|协会|中心|小组|指挥部|银行)$/;
const SEAL_NOTE = /[（(](?:代章|盖章|印章)[）)]$/;
/** What may follow the closing date: （此件主动公开）, （此件公开发布）. */
const CLOSING_NOTE = /^[（(][^（）()]{2,30}[）)]$/;
/** A joint document (联合发文) lists up to a dozen bodies above the date. */
const MAX_ISSUER_LINES = 12;

export function organisationName(text: string): string | undefined {
  const name = text.trim().replace(SEAL_NOTE, '').trim();
  return ORGANISATION.test(name) ? name : undefined;
}

/**
 * The 落款: the first line that is only a date written out in words, with the issuing bodies
 * named on the lines above it (joined with 、). A date with no name above counts only when it
 * closes the text, as in copies saved without the 署名 line.
 */
export function readSignature(lines: string[]): { issuer?: string; date?: string } {
  for (const [index, line] of lines.entries()) {
    if (!SIGNATURE_DATE_LINE.test(line)) continue;
    const date = parseDate(line);
    if (!date) continue;
    const issuers: string[] = [];
    for (let above = index - 1; above >= 0 && issuers.length < MAX_ISSUER_LINES; above--) {
      const name = organisationName(lines[above]!);
      if (!name) break;
      issuers.unshift(name);
    }
    if (issuers.length > 0) return { issuer: issuers.join('、'), date };
    if (lines.slice(index + 1).every((after) => CLOSING_NOTE.test(after))) return { date };
  }
  return {};
}

/** The acts a 题注 records after each date. 批准 is a higher body approving, not the issuer acting. */
const ACT = /通过|公布|发布|修正|修订|修改|批准/;
/** Where the enacting body's name ends: its session, its decree number, or the act itself. */
const ENACTOR_END = /第[一二三四五六七八九十百零〇\d]+次(?:全体)?会议|第\s*\d+\s*号令|令第|通过|公布|发布/;
const DATES = new RegExp(DATE, 'g');
/** A regulation's 题注 sits right under its title, before the first chapter or article. */
const NOTE_WITHIN = 20;

export interface HistoryNote {
  /** The body that enacted the regulation, without its term (第十五届). */
  enactor?: string;
  /** The latest act of the enactor: the version this text is. */
  date?: string;
  /** The decree that first published it: 北京市人民政府令第93号. */
  decree?: string;
}

function historyNoteLine(lines: string[]): string | undefined {
  for (const line of lines.slice(0, NOTE_WITHIN)) {
    if (/^第[一二三四五六七八九十百零〇\d]+[章条]/.test(line)) return undefined;
    const startsRight = /^[（(]/.test(line) || new RegExp(`^${DATE}`).test(line);
    if (startsRight && new RegExp(`${DATE}[^。；]{0,60}?(?:${ACT.source})`).test(line)) return line;
  }
  return undefined;
}

export function readHistoryNote(lines: string[]): HistoryNote {
  const line = historyNoteLine(lines);
  if (!line) return {};
  const dates = [...line.matchAll(DATES)];
  const acts = dates.map((match, index) => {
    const after = line.slice((match.index ?? 0) + match[0].length, dates[index + 1]?.index ?? line.length);
    return { date: parseDate(match[0]), after, act: after.match(ACT)?.[0] };
  });
  const own = acts.filter((entry) => entry.act && entry.act !== '批准');
  const first = own[0];
  const enactorText = first?.after.split(ENACTOR_END)[0]?.replace(/第[一二三四五六七八九十百零〇\d]+届/g, '').trim();
  const enactor = enactorText ? organisationName(enactorText) : undefined;
  const decreeNumber = first?.after.match(/第\s*(\d+)\s*号令|令第\s*(\d+)\s*号/);
  const number = decreeNumber?.[1] ?? decreeNumber?.[2];
  return {
    ...(enactor ? { enactor } : {}),
    ...(own.at(-1)?.date ? { date: own.at(-1)!.date } : {}),
    ...(enactor && number ? { decree: `${enactor}令第${number}号` } : {}),
  };
}
