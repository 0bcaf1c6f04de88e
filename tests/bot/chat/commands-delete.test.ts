/**
 * `删除` through the real chat pipeline (terminal transport, real knowledge folder and index): a
 * partial name lists the matches to choose from, an exact name asks for confirmation, and only
 * `确认删除` from the same admin in the same chat, in time, deletes. Anything else deletes nothing.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN, adminChat, USER, type AdminChat } from '../../helpers/admin-chat.ts';
import { bundledWorkspace } from '../../helpers/qa.ts';
import type { Workspace } from '../../helpers/workspace.ts';

let workspace: Workspace;
let chat: AdminChat;
const OTHER_ADMIN_CHAT = 'oc_other';

beforeAll(async () => {
  workspace = await bundledWorkspace();
  chat = adminChat(workspace);
});

afterAll(() => {
  chat?.close();
  workspace?.remove();
});

afterEach(() => vi.useRealTimers());

const present = (file: string) => existsSync(path.join(workspace.knowledgeDir, file));
const documentCount = async () => Number((await chat.send('文档')).match(/已收录 (\d+) 个文档/)?.[1]);

describe('删除', () => {
  it('lists the documents a partial name matches, numbered, and deletes none of them', async () => {
    const reply = await chat.send('删除 20');
    expect(reply).toContain('【请选择要删除的文档】');
    expect(reply).toContain('「20」匹配到 4 个文档，请回复「删除 序号」选择');
    expect(reply).toMatch(/\n1\. 《[^\n]+》（[^\n]+\.txt）/);
    expect(reply).toMatch(/\n4\. 《/);
    expect(await documentCount()).toBe(5);
  });

  it('lists even a single partial match (删除 2019) instead of deleting it at once', async () => {
    const reply = await chat.send('删除 2019');
    expect(reply).toContain('「2019」匹配到 1 个文档');
    expect(reply).toContain('1. 《沧州渤海新区全面深化改革 释放高质量发展活力》（bohai-new-area-reform-2019.txt）');
    expect(present('bohai-new-area-reform-2019.txt')).toBe(true);
    expect(await documentCount()).toBe(5);
  });

  it('asks for confirmation after a choice from the list, and deletes nothing without it', async () => {
    await chat.send('删除 2019');
    const asked = await chat.send('删除 1');
    expect(asked).toContain('【确认删除】');
    expect(asked).toContain('确认删除《沧州渤海新区全面深化改革 释放高质量发展活力》（bohai-new-area-reform-2019.txt）？');
    expect(asked).toContain('回复「确认删除」即删除');
    // Other messages, another admin's confirmation in another chat, a user's: nothing is deleted.
    expect(await chat.send('帮助')).toContain('使用帮助');
    expect(await chat.send('确认删除', ADMIN, OTHER_ADMIN_CHAT)).toContain('【没有待确认的删除】');
    expect(await chat.send('确认删除', USER)).toContain('【需要管理员权限】');
    expect(await chat.send('确认删除 cangzhou-edz-multi-drive-2021.txt')).toContain('与「cangzhou-edz-multi-drive-2021.txt」不符，未删除任何文档');
    expect(present('bohai-new-area-reform-2019.txt')).toBe(true);
    expect(await documentCount()).toBe(5);
  });

  it('deletes on 确认删除, once', async () => {
    const deleted = await chat.send('确认删除');
    expect(deleted).toContain('已删除《沧州渤海新区全面深化改革 释放高质量发展活力》');
    expect(present('bohai-new-area-reform-2019.txt')).toBe(false);
    expect(await documentCount()).toBe(4);
    expect(await chat.send('确认删除')).toContain('【没有待确认的删除】');
    expect(await documentCount()).toBe(4);
  });

  it('asks at once for an exact file name or title, and confirms with the name repeated', async () => {
    expect(await chat.send('删除 《树牢新理念 重构高质量跨越式发展格局》')).toContain('确认删除《树牢新理念 重构高质量跨越式发展格局》（cangzhou-edz-new-concepts-2020.txt）？');
    const asked = await chat.send('删除 cangzhou-edz-multi-drive-2021.txt');
    expect(asked).toContain('确认删除《高质量发展实现多轮驱动》（cangzhou-edz-multi-drive-2021.txt）？');
    expect(present('cangzhou-edz-multi-drive-2021.txt')).toBe(true);
    // The newer request replaced the older one: only the document asked last can be confirmed.
    expect(await chat.send('确认删除 cangzhou-edz-multi-drive-2021.txt')).toContain('已删除《高质量发展实现多轮驱动》');
    expect(present('cangzhou-edz-multi-drive-2021.txt')).toBe(false);
    expect(present('cangzhou-edz-new-concepts-2020.txt')).toBe(true);
    expect(await documentCount()).toBe(3);
  });

  it('lets a confirmation lapse after five minutes', async () => {
    expect(await chat.send('删除 cangzhou-edz-new-concepts-2020.txt')).toContain('【确认删除】');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 5 * 60 * 1000 + 1);
    expect(await chat.send('确认删除')).toContain('没有需要确认的删除（或已超时），未删除任何文档');
    expect(present('cangzhou-edz-new-concepts-2020.txt')).toBe(true);
  });

  it('says when nothing matches', async () => {
    expect(await chat.send('删除 不存在的文件')).toContain('没有找到文档「不存在的文件」');
    expect(await documentCount()).toBe(3);
  });
});
