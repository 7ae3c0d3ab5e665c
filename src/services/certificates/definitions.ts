// What each certificate says and when it cannot be issued online: pure functions from a resident's
// or company's registry file to the certificate's facts, worded as a Shanghai office words them.
// The service adds the number, purpose, dates and issuing office.

import type { EntityFile, PersonFile } from '../registries/registry.service.ts';

/** Why a certificate cannot be issued, in plain words for the screen (both languages). */
export interface Refusal {
  zh: string;
  en: string;
}

export type Built = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: Refusal };

export interface BuildInput {
  /** Today in Shanghai (YYYY-MM-DD). */
  today: string;
  person: PersonFile | null;
  entity: EntityFile | null;
  /** The name of the office that issues it (the service resolves `offices()` first). */
  office: string;
  /** Department names by code, for the departments the records name. */
  departmentNames: Readonly<Record<string, string>>;
}

export interface CertificateDef {
  code: string;
  descriptionZh: string;
  descriptionEn: string;
  /** The number's prefix before 〔year〕第N号, as the office writes it. */
  numberPrefix: string;
  /** The office asks what the certificate is for (无犯罪记录证明 is issued for a stated purpose). */
  purposeRequired: boolean;
  /** Department codes of the issuing office, most specific first; the first that exists signs. */
  offices(input: BuildInput): string[];
  build(input: BuildInput): Built;
}

// ---- wording helpers ----
/** Months from `a` to `b` (YYYY-MM), both counted. */
const monthsBetween = (a: string, b: string): number => (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7)) + 1;
const yuan = (n: number): string => `${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}元`;
const monthZh = (m: string): string => `${m.slice(0, 4)}年${m.slice(5, 7)}月`;
/** 2026-03-02 → 2026年03月02日. */
export const dateZh = (d: string): string => `${d.slice(0, 4)}年${d.slice(5, 7)}月${d.slice(8, 10)}日`;
const SEX_ZH = { M: '男', F: '女' } as const;
const MARITAL_ZH = { unmarried: '未婚', married: '已婚', divorced: '离婚', widowed: '丧偶' } as const;
const KINDS_ZH: Record<string, string> = { pension: '养老', medical: '医疗', unemployment: '失业', injury: '工伤', maternity: '生育' };
const kindsZh = (kinds: string): string => kinds.split(',').map((k) => KINDS_ZH[k] ?? k).join('、') + '保险';
const refuse = (zh: string, en: string): Built => ({ ok: false, reason: { zh, en } });
const who = (f: PersonFile): string => `${f.person.name}（公民身份号码：${f.person.idNumber}）`;
const personHead = (f: PersonFile) => ({ name: f.person.name, id_number: f.person.idNumber });
const entityHead = (f: EntityFile) => ({ entity_name: f.entity.name, uscc: f.entity.uscc });
const district = (code: string | undefined | null): string => (code ?? '').slice(0, 6);
const street = (code: string | undefined | null): string => (code ?? '').slice(0, 9);
/** Offices: street-level, district branch, then the city bureau. */
const chain = (sector: string, streetCode?: string | null) => [streetCode ? `${sector}.${street(streetCode)}` : '', streetCode ? `${sector}.${district(streetCode)}` : '', sector].filter(Boolean);
const inShanghai = (f: PersonFile): boolean => f.hukouAddress?.districtCode.startsWith('31') ?? false;
const employerName = (f: PersonFile, uscc: string | null): string => (uscc ? (f.entityNames[uscc] ?? `统一社会信用代码${uscc}的单位`) : '灵活就业');
const running = (f: PersonFile) => f.insurance.filter((i) => i.toMonth === null);

function personOnly(input: BuildInput, build: (f: PersonFile) => Built): Built {
  return input.person ? build(input.person) : refuse('该证明仅向个人开具，请使用个人账号办理。', 'This certificate is issued to residents only: sign in with a personal account.');
}
function entityOnly(input: BuildInput, build: (f: EntityFile) => Built): Built {
  if (!input.entity) return refuse('该证明仅向企业等市场主体开具，请使用法人账号办理。', 'This certificate is issued to companies only: sign in with your company\'s account.');
  if (input.entity.entity.status !== 'active') return refuse('该市场主体已注销或被吊销营业执照，无法在线开具，请到窗口咨询。', 'Your company is deregistered or its licence revoked: this cannot be issued online; ask at a service counter.');
  return build(input.entity);
}

/** Every certificate's definition, by code (the same codes as CERTIFICATE_TYPES). */
export const DEFINITIONS: Readonly<Record<string, CertificateDef>> = Object.fromEntries(
  ([
    {
      code: 'cert_household', numberPrefix: '沪公(户)证字', purposeRequired: false,
      descriptionZh: '证明本人的常住户口登记情况，用于入学、就业、办理公证等。', descriptionEn: 'Proves where your household (hukou) is registered in Shanghai: for school enrolment, jobs, notarisation.',
      offices: (i) => chain('ga', i.person?.hukouAddress?.streetCode),
      build: (i) => personOnly(i, (f) => {
        if (!inShanghai(f) || !f.hukouAddress) return refuse('您的户籍不在本市，请向户籍所在地公安机关申请户籍证明。', 'Your household registration is not in Shanghai: ask the police where it is registered.');
        const p = f.person;
        return { ok: true, claims: {
          ...personHead(f), sex: SEX_ZH[p.sex], ethnicity: p.ethnicity, birth_date: p.birthDate, hukou_address: f.hukouAddress.full, registration_office: i.office,
          statement: `兹证明${who(f)}系本市常住户口，户籍地址为${f.hukouAddress.full}。`,
        } };
      }),
    },
    {
      code: 'cert_residence', numberPrefix: '沪公(居)证字', purposeRequired: false,
      descriptionZh: '证明本人在本市的实际居住地址，用于子女入学、社区事务、租售房屋等。', descriptionEn: 'Proves where you live in Shanghai: for children\'s school places, community services, renting or selling a home.',
      offices: (i) => chain('ga', i.person?.residenceAddress?.streetCode),
      build: (i) => personOnly(i, (f) => {
        if (!f.residenceAddress?.districtCode.startsWith('31')) return refuse('未查询到您在本市的居住登记信息，请到居住地派出所办理居住登记。', 'No residence in Shanghai is registered for you: register it at your local police station.');
        return { ok: true, claims: {
          ...personHead(f), residence_address: f.residenceAddress.full, hukou_address: f.hukouAddress?.full ?? '未登记', police_station: i.office,
          statement: `兹证明${who(f)}现居住于${f.residenceAddress.full}。`,
        } };
      }),
    },
    {
      code: 'cert_no_criminal_record', numberPrefix: '沪公(无犯)证字', purposeRequired: true,
      descriptionZh: '证明本人在本市公安机关查询期间内无犯罪记录，须说明用途（如出国留学、就业、入职审查）。', descriptionEn: 'Proves that no criminal record is held for you; state what it is for (study abroad, a job, vetting).',
      offices: (i) => chain('ga', i.person?.residenceAddress?.streetCode).slice(1),
      build: (i) => personOnly(i, (f) => {
        // The same words whatever the reason, so a refusal says nothing about a record.
        if (f.criminalRecord) return refuse('此证明无法在线开具，请携带身份证件到户籍地或居住地派出所窗口申请。', 'This certificate cannot be issued online: apply at the counter of a police station with your identity card.');
        if (f.person.birthDate > `${Number(i.today.slice(0, 4)) - 16}${i.today.slice(4)}`) return refuse('未满十六周岁的，请由监护人陪同到派出所窗口申请。', 'Under 16: apply at a police station counter with a guardian.');
        return { ok: true, claims: { ...personHead(f), sex: SEX_ZH[f.person.sex], statement: `经查询，截至${dateZh(i.today)}，未发现${who(f)}有犯罪记录。` } };
      }),
    },
    {
      code: 'cert_kinship', numberPrefix: '沪公(亲)证字', purposeRequired: false,
      descriptionZh: '证明本人与配偶、父母、子女的亲属关系，依据户籍登记信息出具。', descriptionEn: 'Proves your relationship to your spouse, parents and children, from the household registration.',
      offices: (i) => chain('ga', i.person?.hukouAddress?.streetCode),
      build: (i) => personOnly(i, (f) => {
        if (!f.family.length) return refuse('户籍登记信息中没有与您关联的亲属，请到户籍地派出所窗口申请。', 'The household registration links no relatives to you: apply at the police station of your household registration.');
        const rel = (r: PersonFile['family'][number]) => r.relation === 'spouse' ? '配偶' : r.relation === 'father' ? '父亲' : r.relation === 'mother' ? '母亲' : Number(r.idNumber[16]) % 2 ? '儿子' : '女儿';
        const order = { spouse: 0, father: 1, mother: 2, child: 3 } as const;
        const family = [...f.family].sort((a, b) => order[a.relation] - order[b.relation] || a.idNumber.localeCompare(b.idNumber));
        return { ok: true, claims: {
          ...personHead(f), relatives: family.map((r) => `${rel(r)}：${r.name}（公民身份号码：${r.idNumber}）`),
          statement: `兹证明${who(f)}与上述人员的亲属关系属实。`,
        } };
      }),
    },
    {
      code: 'cert_marriage_record', numberPrefix: '沪民(婚记)证字', purposeRequired: false,
      descriptionZh: '列明本人在本市婚姻登记机关的结婚、离婚登记记录；无记录的，证明无婚姻登记记录。', descriptionEn: 'Lists your marriage and divorce registrations in Shanghai, or certifies that there are none.',
      offices: (i) => chain('mz', i.person?.hukouAddress?.streetCode).slice(1),
      build: (i) => personOnly(i, (f) => {
        const marriages = f.licences.filter((l) => l.type === 'marriage_certificate');
        const records = marriages.map((l) => `${dateZh(String(l.data.registeredOn ?? l.issuedOn))} 结婚登记，配偶：${l.data.spouseName ?? ''}，结婚证字号：${l.number}`);
        return { ok: true, claims: {
          ...personHead(f), sex: SEX_ZH[f.person.sex], marital_status: MARITAL_ZH[f.person.maritalStatus], records,
          statement: records.length ? `经查询本市婚姻登记档案，${who(f)}有以上婚姻登记记录。` : `经查询本市婚姻登记档案，未发现${who(f)}的婚姻登记记录。`,
        } };
      }),
    },
    {
      code: 'cert_social_insurance', numberPrefix: '沪人社(缴)证字', purposeRequired: false,
      descriptionZh: '列明本人在本市的社会保险参保缴费记录，用于购房、购车、积分落户、子女入学等。', descriptionEn: 'Your social insurance contributions in Shanghai: for buying a home or car, residence points, school places.',
      offices: () => ['rs'],
      build: (i) => personOnly(i, (f) => {
        if (!f.insurance.length) return refuse('未查询到您在本市的社会保险缴费记录。', 'No social insurance contributions are recorded for you in Shanghai.');
        const thisMonth = i.today.slice(0, 7);
        const now = running(f)[0];
        const last = f.insurance[f.insurance.length - 1]!;
        const months = f.insurance.reduce((n, s) => n + Math.max(0, monthsBetween(s.fromMonth, s.toMonth ?? thisMonth)), 0);
        return { ok: true, claims: {
          ...personHead(f), insurance_status: now ? '正常参保缴费' : '暂停缴费', current_employer: now ? employerName(f, now.employerUscc) : '无', insurance_kinds: kindsZh((now ?? last).kinds),
          current_base: yuan((now ?? last).base), total_months: `${months}个月`,
          periods: f.insurance.map((s) => `${monthZh(s.fromMonth)}至${s.toMonth ? monthZh(s.toMonth) : '今'}　${employerName(f, s.employerUscc)}　缴费基数${yuan(s.base)}　${kindsZh(s.kinds)}`),
        } };
      }),
    },
    {
      code: 'cert_employment', numberPrefix: '沪人社(就)证字', purposeRequired: false,
      descriptionZh: '证明本人当前的就业登记（在职）情况，依据用人单位的就业参保登记出具。', descriptionEn: 'Proves you are registered as employed now, from your employer\'s employment and insurance registration.',
      offices: (i) => chain('rs', i.person?.residenceAddress?.streetCode).slice(1),
      build: (i) => personOnly(i, (f) => {
        const now = running(f)[0];
        if (!now) return refuse('未查询到您当前的就业登记信息。', 'No current employment is registered for you.');
        const flexible = now.employerUscc === null;
        return { ok: true, claims: {
          ...personHead(f), employment_status: flexible ? '灵活就业' : '就业', employer: flexible ? '无（灵活就业人员）' : employerName(f, now.employerUscc), employer_uscc: now.employerUscc ?? '无',
          employed_since: monthZh(now.fromMonth),
          statement: flexible ? `兹证明${who(f)}自${monthZh(now.fromMonth)}起以灵活就业人员身份登记就业。` : `兹证明${who(f)}自${monthZh(now.fromMonth)}起在${employerName(f, now.employerUscc)}就业，就业登记状态正常。`,
        } };
      }),
    },
    {
      code: 'cert_income_tax', numberPrefix: '沪税(个)证字', purposeRequired: false,
      descriptionZh: '列明本人近年的工资薪金所得及已缴个人所得税，用于购房、落户、签证等。', descriptionEn: 'Your wage income and income tax paid in recent years: for buying a home, residence, visas.',
      offices: (i) => chain('tax', i.person?.residenceAddress?.streetCode).slice(1),
      build: (i) => personOnly(i, (f) => {
        if (!f.incomeTax.length) return refuse('未查询到您的个人所得税纳税记录。', 'No income tax payments are recorded for you.');
        const first = f.incomeTax[0]!;
        const last = f.incomeTax[f.incomeTax.length - 1]!;
        return { ok: true, claims: {
          ...personHead(f), tax_period: first.year === last.year ? `${first.year}年度` : `${first.year}年度至${last.year}年度`,
          tax_records: f.incomeTax.map((t) => `${t.year}年（${t.months}个月）　收入额${yuan(t.income)}　已缴税额${yuan(t.tax)}　扣缴义务人：${employerName(f, t.withholderUscc)}`),
          total_income: yuan(f.incomeTax.reduce((n, t) => n + t.income, 0)), total_tax: yuan(f.incomeTax.reduce((n, t) => n + t.tax, 0)),
        } };
      }),
    },
    {
      code: 'cert_housing_fund', numberPrefix: '沪公积金(缴)证字', purposeRequired: false,
      descriptionZh: '证明本人住房公积金账户的缴存情况，用于贷款、购房、租房提取等。', descriptionEn: 'Your housing provident fund account and deposits: for a mortgage, buying a home, withdrawals for rent.',
      offices: (i) => chain('gjj', i.person?.residenceAddress?.streetCode).slice(1),
      build: (i) => personOnly(i, (f) => {
        if (!f.fund.length) return refuse('未查询到您的住房公积金缴存记录。', 'No housing provident fund deposits are recorded for you.');
        const thisMonth = i.today.slice(0, 7);
        const now = f.fund.find((x) => x.toMonth === null) ?? f.fund[f.fund.length - 1]!;
        const months = f.fund.reduce((n, s) => n + monthsBetween(s.fromMonth, s.toMonth ?? thisMonth), 0);
        return { ok: true, claims: {
          ...personHead(f), account_no: now.accountNo, account_status: now.toMonth === null ? '正常缴存' : '封存', fund_employer: employerName(f, now.employerUscc),
          fund_base: yuan(now.base), fund_rate: `单位${now.rate}%，个人${now.rate}%`, monthly_deposit: yuan(Math.round(now.base * now.rate * 2) / 100),
          deposited_since: monthZh(f.fund[0]!.fromMonth), deposit_months: `${months}个月`,
        } };
      }),
    },
    {
      code: 'cert_property', numberPrefix: '沪规资(不动产查)证字', purposeRequired: false,
      descriptionZh: '查询本人在本市名下的不动产登记信息（俗称“有房/无房证明”），用于购房资格、贷款、子女入学等。', descriptionEn: 'The homes registered in your name in Shanghai (the “own a home / no home” certificate): for purchase eligibility, loans, school places.',
      offices: () => ['ghzy'],
      build: (i) => personOnly(i, (f) => {
        const homes = f.properties;
        return { ok: true, claims: {
          ...personHead(f), search_result: homes.length ? '有不动产登记记录' : '无不动产登记记录', property_count: `${homes.length}套`,
          properties: homes.map((h) => `${h.certificateNo}　${h.address?.full ?? ''}　${h.use}　建筑面积${h.area.toFixed(2)}平方米　${h.share}${h.coOwners.length ? `（共有人：${h.coOwners.join('、')}）` : ''}　登记日期${dateZh(h.registeredOn)}`),
          statement: homes.length ? `经查询本市不动产登记簿，截至${dateZh(i.today)}，${who(f)}名下有以上不动产登记记录。` : `经查询本市不动产登记簿，截至${dateZh(i.today)}，未发现${who(f)}名下有住房等不动产登记记录。`,
        } };
      }),
    },
    {
      code: 'cert_entity_tax', numberPrefix: '沪税(企)证字', purposeRequired: false,
      descriptionZh: '列明企业近年已缴纳的增值税、企业所得税等税款及欠税情况，用于招投标、融资等。', descriptionEn: 'Your company\'s taxes paid in recent years and any arrears: for tenders and financing.',
      offices: (i) => chain('tax', i.entity?.entity.jurisdictionCode).slice(1),
      build: (i) => entityOnly(i, (f) => {
        if (!f.taxes.length) return refuse('未查询到该单位的纳税记录。', 'No tax payments are recorded for your company.');
        const owed = f.taxes.reduce((n, t) => n + t.owed, 0);
        const total = (t: EntityFile['taxes'][number]) => t.vat + t.incomeTax + t.other;
        return { ok: true, claims: {
          ...entityHead(f), legal_representative: f.entity.legalRepresentative, tax_period: `${f.taxes[0]!.year}年至${f.taxes[f.taxes.length - 1]!.year}年`,
          tax_records: f.taxes.map((t) => `${t.year}年　增值税${yuan(t.vat)}　企业所得税${yuan(t.incomeTax)}　其他税费${yuan(t.other)}　合计${yuan(total(t))}`),
          total_paid: yuan(f.taxes.reduce((n, t) => n + total(t), 0)),
          arrears: owed > 0 ? `截至${dateZh(i.today)}，有欠缴税款${yuan(owed)}` : `截至${dateZh(i.today)}，无欠缴税款`,
        } };
      }),
    },
    {
      code: 'cert_entity_credit', numberPrefix: '沪信(报)证字', purposeRequired: false,
      descriptionZh: '汇总市场监管、税务、消防、城管、生态环境等领域的行政处罚信息，替代各部门分别出具的无违法违规证明，用于上市、融资、招投标等。', descriptionEn: 'Administrative penalties across market regulation, tax, fire, city management and environment, replacing each department\'s certificate of no violations: for listings, financing, tenders.',
      offices: () => ['dsj'],
      build: (i) => entityOnly(i, (f) => {
        const from = `${Number(i.today.slice(0, 4)) - 3}${i.today.slice(4)}`;
        const found = f.penalties.filter((p) => p.decidedOn >= from);
        return { ok: true, claims: {
          ...entityHead(f), legal_representative: f.entity.legalRepresentative, entity_status: '存续（在营、开业、在册）', query_period: `${dateZh(from)}至${dateZh(i.today)}`,
          areas_searched: '市场监管、税务、消防救援、城市管理、生态环境、人力资源和社会保障、住房和城乡建设、卫生健康等领域',
          penalties: found.map((p) => `${dateZh(p.decidedOn)}　${p.matter}　${p.amount > 0 ? `罚款${yuan(p.amount)}` : '警告'}　${i.departmentNames[p.departmentCode] ?? p.departmentCode}`),
          conclusion: found.length ? `查询期间内，该主体有行政处罚记录${found.length}条，详见上表。` : '查询期间内，未发现该主体在上述领域存在行政处罚记录。',
        } };
      }),
    },
    {
      code: 'cert_entity_insurance', numberPrefix: '沪人社(单)证字', purposeRequired: false,
      descriptionZh: '证明本单位在本市为职工参加社会保险并正常缴费的情况，用于招投标、资质申报等。', descriptionEn: 'Proves your company insures its employees and pays contributions in Shanghai: for tenders and qualifications.',
      offices: () => ['rs'],
      build: (i) => entityOnly(i, (f) => {
        if (!f.insured.length) return refuse('未查询到该单位当前为职工缴纳社会保险的记录。', 'Your company is not paying social insurance for any employee now.');
        return { ok: true, claims: {
          ...entityHead(f), insured_count: `${f.insured.length}人`, insurance_kinds: kindsZh(f.insured[0]!.kinds), insurance_status: '正常缴费',
          statement: `兹证明${f.entity.name}（统一社会信用代码：${f.entity.uscc}）截至${dateZh(i.today)}在本市为${f.insured.length}名职工参加社会保险，缴费状态正常。`,
        } };
      }),
    },
  ] satisfies CertificateDef[]).map((d) => [d.code, d]),
);
