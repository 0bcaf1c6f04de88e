// Mechanisms that decide answer vs refusal and the quoted sentence the same way for phrasings the
// bot was not tuned on. Excerpts are real text of tests/fixtures/dev-corpus/dev/*.
import { describe, expect, it } from 'vitest';
import { assessEvidence, ExtractiveAnswerer } from '../../../bot/answer/index.ts';
import { analyzeQuery, coverageOf, coverageShares, holdsAttribute, loadDefaultLexicon, type RetrievedChunk } from '../../../bot/retrieval/index.ts';
import { passagesOf, type Excerpt } from './fixtures.ts';

const ANHUA_DEED_TAX: Excerpt = {
  docId: 'anhua-xian-fangdichan-goufang-butie-cuoshi-2022.html',
  title: '印发《关于促进安化县房地产市场平稳健康发展的若干政策措施》的通知',
  text: '一、实行契税补贴。在安化县境内购买新建商品住房的购房人，同时满足下列两项条件的可享受购房财政补贴：1．仅限于购买通过公开招拍挂取得国有土地开发新建的商品住房（不含商业门面、车位、车库、杂物间、安置房和二手房）；2．在本政策有效期内办理网签备案，并缴纳契税。对于符合上述两项条件的购房人，由财政部门按其所缴纳契税的50%对购房人予以补贴。（责任单位：县财政局、县税务局、县住建局）',
};

const ENYANG_HOUSING_FUND: Excerpt = {
  docId: 'bazhong-enyang-qu-wenzhu-jingji-zengzhang-zhengce-cuoshi-2022.html',
  title: '巴中市恩阳区人民政府关于印发《巴中市恩阳区进一步扎实稳住经济增长若干政策措施》的通知',
  text: '44.加大公积金支持住房消费力度。贷款首付款比例下调，购买首套自住住房,首付款比例下调至20%，购买第二套自住住房首付款比例下调至30%；住房公积金缴存职工家庭在恩阳区内无自有住房且租住商品住房，受疫情影响存在困难的，职工每年可提取一次公积金用于当年已支付的房租，提取金额不超过1万元且不超过夫妻双方缴存余额。',
};
const ENYANG_CONSUMPTION: Excerpt = {
  ...ENYANG_HOUSING_FUND,
  text: '33.落实促进消费恢复政策。充分发挥市场消费对经济的拉动作用，通过发放消费券、给予符合条件的餐饮企业水电气补助等措施，刺激消费市场，进一步释放消费潜力。',
};

const SHANGHAI_CREDIT: Excerpt = {
  docId: 'shanghai-minying-jingji-ruogan-cuoshi-wenda-shilu-2025.md',
  title: '问答实录：《新时代新征程促进民营经济高质量发展的若干措施》相关情况',
  text: [
    '根据上海金融监管局统计，截至2024年末，辖内银行业金融机构民营企业贷款余额3.2万亿元，同比增长近10%；',
    '一是落实好新一轮中小微企业信贷奖补政策。为引导银行加大对民营中小微企业的信贷支持力度，2024年，我办会同市财政局等对信贷风险补偿和信贷奖励政策进行了修订完善。新一轮政策将奖补资金规模由每年2.5亿元提升到5亿元。',
  ].join('\n\n'),
};

const ANHUI_SHOPPING: Excerpt = {
  docId: 'anhui-cujin-xiaofei-ruogan-cuoshi-2022.docx',
  title: '关于印发进一步做好近期促进消费工作若干措施的通知',
  text: '二、开展跨年迎新购物季活动。开展“2022年跨年迎新购物季”——网上年货节、新车过大年、家电嘉年华、年味送到家等四大主题促消费活动，推广安徽特色年货。',
};

const BEIJING_ADDRESS: Excerpt = {
  docId: 'beijing-youhua-yingshang-huanjing-tiaoli-2024.html',
  title: '北京市优化营商环境条例',
  text: [
    '第十三条 政府有关部门应当采取下列措施简化经营主体注册登记手续，法律、行政法规另有规定的除外：',
    '（三）允许多个经营主体使用同一地址作为登记住所；',
    '（五）允许在登记住所以外的场所开展生产经营活动，但应当由经营主体通过企业信用信息系统自行公示实际生产经营场所的地址或者联系方式；',
  ].join('\n\n'),
};

const PINGTAN_MATERIALS: Excerpt = {
  docId: 'pingtan-guquan-touzi-qiye-zhongdian-jiance-cailiao-qingdan-2021.docx',
  title: '平潭综合实验区股权投资类企业申请纳入重点监测对象的材料清单',
  text: [
    '6.两名从业人员基本材料：基金或者证券从业资格证书、身份证复印件、学历证复印件、个人简历（法人代表或委派代表每页签字或加盖公章）；',
    '8.私募基金管理人在中基协登记的证明文件（私募基金，法人代表或委派代表每页签字或加盖公章）。',
  ].join('\n\n'),
};

const BEIJING_POWER: Excerpt = {
  docId: 'beijing-youhua-yingshang-huanjing-tiaoli-2024.html',
  title: '北京市优化营商环境条例',
  text: '第四十七条 供电企业应当保障供电设施的正常、稳定运行，确保供电质量符合国家规定。市城市管理部门应当加强对供电企业年供电可靠率的监督，对年供电可靠率低于国家规定的，责令改正；拒不改正的，处五万元以上五十万元以下罚款。',
};

const SATELLITE_ENTRY: Excerpt = {
  docId: 'guoxinban-zhongduan-shebei-zhilian-weixing-fuwu-guanli-guiding-2025.md',
  title: '终端设备直连卫星服务管理规定',
  text: '第十九条 涉及终端设备入境的，进口货物收货人、携带终端设备入境的人员、寄递终端设备的收件人，应当主动向海关申报并配合查验，依据《中华人民共和国无线电管理条例》办理终端设备入境手续，但法律法规对入境申报和查验另有规定的除外。',
};

const SATELLITE_REAL_NAME: Excerpt = {
  ...SATELLITE_ENTRY,
  text: '第二十四条 终端设备直连卫星服务提供者为用户办理终端设备直连卫星服务，应当在签订协议或者确认提供服务时，依法要求用户提供真实身份信息。用户不提供真实身份信息的或者实名验证未通过的，终端设备直连卫星服务提供者不得为其提供相关服务。',
};

const ANHUA_FEES: Excerpt = {
  ...ANHUA_DEED_TAX,
  text: '五、容缺办理相关审批手续。相关城市基础设施配套费、教育设施配套费等报建费用（人防费用除外）可在取得预售许可证后3个月内缴清，并将报建费计入预售资金监管额度。（责任单位：县自然资源局、县住建局、县财政局、县教育局）',
};

function run(question: string, excerpts: Excerpt[], adjust: (retrieved: RetrievedChunk[]) => void = () => {}) {
  const query = analyzeQuery(question, loadDefaultLexicon());
  const { retrieved, stats } = passagesOf(excerpts);
  adjust(retrieved);
  const evidence = assessEvidence(query, retrieved, stats);
  return { query, evidence, answer: new ExtractiveAnswerer().answer({ query, retrieved, evidence }) };
}

describe('an attribute asked for', () => {
  it('reads 办啥手续 as what has to be done (申报, 办理), not as papers to bring', () => {
    expect(analyzeQuery('从国外带一部能直连卫星的手机回国，要办啥手续？', loadDefaultLexicon()).asks).toEqual(['steps']);
    expect(holdsAttribute('steps', SATELLITE_ENTRY.text)).toBe(true);
    expect(holdsAttribute('materials', SATELLITE_ENTRY.text)).toBe(false);
  });

  it('is not held by a word anywhere in the passage: 县财政局 and 网签 say nowhere to go', () => {
    expect(run('安化契税补贴去哪个窗口申请？', [ANHUA_DEED_TAX]).evidence.answerable).toBe(false);
  });

  it('asks for a day with 哪天: a year alone does not answer it', () => {
    const { query, evidence } = run('安徽的跨年迎新购物季是哪天开始的？', [ANHUI_SHOPPING]);
    expect(query.asks).toEqual(['day']);
    expect(evidence.answerable).toBe(false);
  });
});

describe('a deadline', () => {
  it('asked with 啥时候 is answered by one counted from an event (取得预售许可证后3个月内缴清)', () => {
    expect(analyzeQuery('安化开发商的城市基础设施配套费最晚啥时候交清就行？', loadDefaultLexicon()).asks).toEqual(['date']);
    expect(holdsAttribute('date', ANHUA_FEES.text)).toBe(true);
    // A count of days that is no deadline (一两样, 3个) is not one.
    expect(holdsAttribute('date', '两名从业人员基本材料')).toBe(false);
  });
});

const BEIJING_PUBLICITY: Excerpt = {
  ...BEIJING_ADDRESS,
  text: '第七十三条 市有关政府部门应当根据经营主体违法行为造成后果的严重程度，将本部门依法应当公示的行政处罚行为区分为一般违法行为和严重违法行为，制定相应目录及其公示期限，并向社会公布。\n对于一般违法行为，行政处罚信息的最短公示期为三个月，最长为一年；对于严重违法行为，行政处罚信息的最短公示期为一年，最长为三年。',
};

describe('a unit named by number', () => {
  it('holds the figure pointed at, whatever the question calls what it measures (记录 for 信息)', async () => {
    const question = '北京营商条例第七十三条，一般违法的处罚记录要在网上挂多久';
    const asUnit = run(question, [BEIJING_PUBLICITY], (retrieved) => {
      for (const hit of retrieved) hit.clause = true;
    });
    expect(asUnit.evidence.answerable).toBe(true);
    expect((await asUnit.answer).text).toContain('最长为一年');
  });

  it('once found, answers what the question asks of it, however few of its other words it repeats', () => {
    const question = '直连卫星服务管理规定第二十四条讲啥？不实名能开通卫星通信吗？';
    const found = run(question, [SATELLITE_REAL_NAME], (retrieved) => {
      for (const hit of retrieved) hit.clause = true;
    });
    expect(Math.max(...found.evidence.formCoverageByChunk)).toBeLessThan(0.6);
    expect(found.evidence.answerable).toBe(true);
    // Another passage than the unit asked for answers nothing.
    expect(run(question, [SATELLITE_REAL_NAME]).evidence.answerable).toBe(false);
  });
});

describe('a word no document uses', () => {
  const CIXI_STANDARD: Excerpt = {
    docId: 'cixi-baozhangxing-zulin-zhufang-yunying-jiangbu-2023.html',
    title: '慈溪市住房和城乡建设局 慈溪市财政局关于印发《慈溪市保障性租赁住房运营奖补实施细则（试行）》的通知',
    text: '三、奖补方式。（一）按租赁住房建筑面积40元/平方米·年，且不高于1200元/套（间）·年的标准予以奖补，同一房源年度内仅可奖补一次。',
  };

  it('as what a figure is of (一套房…多少) cannot be looked for beside it: the figure of the passage answers', () => {
    const { query, evidence } = run('慈溪保租房一套房一年最多能拿多少运营奖补？', [CIXI_STANDARD]);
    expect(query.concepts.find((concept) => concept.measured)?.surface).toBe('套房');
    expect(evidence.answerable).toBe(true);
  });

  it('counts in part by the characters a passage shares with it (养猪户 … 生猪养殖), never whole', () => {
    const concepts = [
      { surface: '养猪户', forms: ['养猪户'], generic: false, salience: 1, specific: false, weight: 1, unseen: true },
      { surface: '补贴', forms: ['补贴'], generic: false, salience: 1, specific: false, weight: 1 },
    ];
    const text = '生猪养殖连续严重亏损3个月以上时，启动临时性救助补贴。';
    // 养 and 猪 of 养猪户's three: two thirds of half its weight.
    expect(coverageOf(concepts, text)).toBeCloseTo((1 / 3 + 1) / 2);
    expect(coverageShares(concepts, text).byForms).toBe(0.5);
    // A word documents do use counts only by its forms.
    expect(coverageOf([{ ...concepts[0]!, unseen: false }, concepts[1]!], text)).toBe(0.5);
  });
});

describe('a cap asked for', () => {
  it('is answered by a cap the passage states without a number (不超过企业实际贷款利率)', () => {
    const TECH_LOANS: Excerpt = {
      ...SHANGHAI_CREDIT,
      text: '鼓励民营企业用好科技创新和技术改造再贷款政策，可与我市技术改造贷款贴息政策叠加同享，最高贷款贴息不超过企业实际贷款利率。',
    };
    expect(run('技改贷款贴息最多贴到多少？', [TECH_LOANS]).evidence.answerable).toBe(true);
    // Without 最多/最高 the question asks for an amount, which the passage does not give.
    expect(run('技改贷款贴息标准是多少？', [TECH_LOANS]).evidence.answerable).toBe(false);
  });
});

describe('a figure', () => {
  it('asked with a bare 多少 needs a number with what it counts: a list ordinal (8.) is none', () => {
    const capital = run('平潭私募基金管理人申请重点监测，注册资本最少要多少？', [PINGTAN_MATERIALS]);
    expect(capital.query.asks).toEqual(['quantity']);
    expect(capital.evidence.answerable).toBe(false);
    expect(run('北京对供电企业的年供电可靠率国家标准具体是多少？', [BEIJING_POWER]).evidence.answerable).toBe(false);
    expect(run('平潭私募基金申请重点监测，从业人员最少要多少？', [PINGTAN_MATERIALS]).evidence.answerable).toBe(true);
  });

  it('asked as a duration stays a duration (几个工作日 is no bare count), an identifier no figure (文号是多少)', () => {
    expect(analyzeQuery('双创双服实施意见的文号是多少？', loadDefaultLexicon()).asks).toEqual([]);
    expect(analyzeQuery('北京办公司注销登记一般几个工作日能办完？', loadDefaultLexicon()).asks).toEqual(['duration']);
  });

  it('of a compound jieba cut (消费/券) is not one of any 消费', () => {
    const { query, evidence } = run('发消费券一共发了多少钱？', [ENYANG_HOUSING_FUND, ENYANG_CONSUMPTION]);
    expect(query.concepts.find((concept) => concept.measured)?.surface).toBe('消费券');
    expect(evidence.answerable).toBe(false);
  });

  it('is quoted beside what it is asked of, not beside more of the question', async () => {
    const { answer } = run('给银行的中小微企业信贷奖补一年有多少钱？', [SHANGHAI_CREDIT]);
    const quotes = (await answer).citations.map((citation) => citation.quote);
    expect(quotes.some((quote) => quote.includes('由每年2.5亿元提升到5亿元'))).toBe(true);
    expect(quotes.some((quote) => quote.includes('贷款余额3.2万亿元'))).toBe(false);
  });
});

describe('the quoted passages', () => {
  it('include an item that is its whole passage, though it is its own heading', async () => {
    const { citations } = await run('北京好几家公司能注册在同一个地址吗？', [BEIJING_ADDRESS]).answer;
    expect(citations[0]?.quote).toBe('（三）允许多个经营主体使用同一地址作为登记住所；');
  });

  it('never come from a document about another place', async () => {
    const enyang: Excerpt = {
      ...ENYANG_HOUSING_FUND,
      text: '66.加强政府性融资担保支持。落实中小微企业融资担保业务降费奖补政策，降低融资担保费率，所有融资担保业务担保费率不超过1.5%，其中单户担保金额500万元及以下，以及“涉农”和生活服务类主体担保费率降至1%。',
    };
    const shanghai: Excerpt = {
      ...SHANGHAI_CREDIT,
      text: '二是发挥政府性融资担保增信作用。全市政府性融资担保机构2024年在保余额1050.6亿元，同比增长近30%；平均担保费率降至1%以下，综合融资成本处于全国最低水平。',
    };
    const { citations } = await run('上海政府性融资担保收费大概多少？', [enyang, shanghai], (retrieved) => {
      // As search marks them: 恩阳's document is about another place, 上海's names 上海.
      for (const hit of retrieved) {
        if (hit.document.docId === enyang.docId) hit.offPlace = true;
        else hit.places = ['上海'];
      }
    }).answer;
    expect(citations.length).toBeGreaterThan(0);
    expect(citations.every((citation) => citation.docId === shanghai.docId)).toBe(true);
  });
});
