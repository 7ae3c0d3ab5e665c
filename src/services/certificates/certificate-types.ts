// Instant certificates (即时开具证明) as credential types. The certificates module owns this list.
// Each is issued from registry data on request, with no uploads, as a credential and a printed
// A4 copy carrying a verification QR. Isomorphic like credential-types.ts: it imports types only.
import type { ClaimDef, CredentialType, DisclosurePreset, HolderKind } from '../wallet/credential-types.ts';

// `vctOf` lives in credential-types.ts, which imports this file: the literal pattern avoids the cycle.
const vct = (code: string) => `urn:yiwang:vct:${code}:1`;

const NUMBER: ClaimDef = { key: 'certificate_number', zh: '证明编号', en: 'Certificate number' };
const PERSON: ClaimDef[] = [
  { key: 'name', zh: '姓名', en: 'Name' },
  { key: 'id_number', zh: '公民身份号码', en: 'Identity number' },
];
const SEX: ClaimDef = { key: 'sex', zh: '性别', en: 'Sex' };
const ENTITY: ClaimDef[] = [
  { key: 'entity_name', zh: '单位名称', en: 'Name' },
  { key: 'uscc', zh: '统一社会信用代码', en: 'Unified social credit code' },
];
const STATEMENT: ClaimDef = { key: 'statement', zh: '证明事项', en: 'Certified' };
const TAIL: ClaimDef[] = [
  { key: 'purpose', zh: '用途', en: 'Purpose' },
  { key: 'issued_on', zh: '开具日期', en: 'Issued on', kind: 'date' },
  { key: 'valid_until', zh: '有效期至', en: 'Valid until', kind: 'date' },
  { key: 'issuing_authority', zh: '出具机关', en: 'Issued by' },
];

/** The keys every certificate carries besides its facts (filled by the service, not the builders). */
export const COMMON_CLAIMS = ['certificate_number', 'purpose', 'issued_on', 'valid_until', 'issuing_authority'] as const;

const ALL = (claims: ClaimDef[]): DisclosurePreset => ({ id: 'all', zh: '全部信息', en: 'Everything', claims: claims.map((c) => c.key) });
/** The facts without the holder's identity number: for a landlord, an employer, a counter that knows the person. */
const brief = (claims: ClaimDef[], keys: string[]): DisclosurePreset => ({
  id: 'brief', zh: '仅核心信息', en: 'Key facts only', claims: ['certificate_number', ...keys, 'issued_on', 'valid_until', 'issuing_authority'].filter((k) => claims.some((c) => c.key === k)),
});

function cert(code: string, nameZh: string, nameEn: string, holderKind: HolderKind, issuerCode: string, validDays: number, facts: ClaimDef[], briefKeys: string[]): CredentialType {
  const claims = [NUMBER, ...(holderKind === 'person' ? PERSON : ENTITY), ...facts, ...TAIL];
  return { code, vct: vct(code), nameZh, nameEn, holderKind, issuerCode, binding: 'optional', validDays, claims, presets: [brief(claims, briefKeys), ALL(claims)] };
}

/** Every instant certificate: 10 for residents, 3 for companies. */
export const CERTIFICATE_TYPES: CredentialType[] = [
  cert('cert_household', '户籍证明', 'Certificate of Household Registration', 'person', 'ga', 90, [
    SEX,
    { key: 'ethnicity', zh: '民族', en: 'Ethnicity' },
    { key: 'birth_date', zh: '出生日期', en: 'Date of birth', kind: 'date' },
    { key: 'hukou_address', zh: '户籍地址', en: 'Registered household address' },
    { key: 'registration_office', zh: '户口登记机关', en: 'Registering police station' },
    STATEMENT,
  ], ['name', 'hukou_address', 'statement']),
  cert('cert_residence', '居住证明', 'Certificate of Residence', 'person', 'ga', 90, [
    { key: 'residence_address', zh: '居住地址', en: 'Residence address' },
    { key: 'hukou_address', zh: '户籍地址', en: 'Registered household address' },
    { key: 'police_station', zh: '居住地派出所', en: 'Local police station' },
    STATEMENT,
  ], ['name', 'residence_address', 'statement']),
  cert('cert_no_criminal_record', '无犯罪记录证明', 'Certificate of No Criminal Record', 'person', 'ga', 90, [SEX, STATEMENT], ['name', 'statement', 'purpose']),
  cert('cert_kinship', '亲属关系证明', 'Certificate of Kinship', 'person', 'ga', 90, [
    { key: 'relatives', zh: '亲属关系', en: 'Relatives', kind: 'list' },
    STATEMENT,
  ], ['name', 'relatives']),
  cert('cert_marriage_record', '婚姻登记记录证明', 'Certificate of Marriage Registration Records', 'person', 'mz', 90, [
    SEX,
    { key: 'marital_status', zh: '婚姻状况', en: 'Marital status' },
    { key: 'records', zh: '婚姻登记记录', en: 'Registration records', kind: 'list' },
    STATEMENT,
  ], ['name', 'marital_status', 'statement']),
  cert('cert_social_insurance', '社会保险个人缴费证明', 'Certificate of Social Insurance Contributions', 'person', 'rs', 90, [
    { key: 'insurance_status', zh: '参保状态', en: 'Status' },
    { key: 'current_employer', zh: '当前参保单位', en: 'Current employer' },
    { key: 'insurance_kinds', zh: '参保险种', en: 'Insurances' },
    { key: 'current_base', zh: '当前缴费基数', en: 'Current contribution base' },
    { key: 'total_months', zh: '累计缴费月数', en: 'Months contributed' },
    { key: 'periods', zh: '缴费记录', en: 'Contribution periods', kind: 'list' },
  ], ['name', 'insurance_status', 'current_employer', 'total_months']),
  cert('cert_employment', '就业登记证明', 'Certificate of Employment Registration', 'person', 'rs', 30, [
    { key: 'employment_status', zh: '就业状态', en: 'Employment status' },
    { key: 'employer', zh: '用人单位', en: 'Employer' },
    { key: 'employer_uscc', zh: '用人单位统一社会信用代码', en: 'Employer\'s credit code' },
    { key: 'employed_since', zh: '就业登记起始年月', en: 'Registered since' },
    STATEMENT,
  ], ['name', 'employment_status', 'employer', 'employed_since']),
  cert('cert_income_tax', '个人所得税纳税记录', 'Individual Income Tax Payment Record', 'person', 'tax', 90, [
    { key: 'tax_period', zh: '所属期间', en: 'Period' },
    { key: 'tax_records', zh: '纳税明细', en: 'Payments by year', kind: 'list' },
    { key: 'total_income', zh: '收入额合计', en: 'Total income' },
    { key: 'total_tax', zh: '已缴税额合计', en: 'Total tax paid' },
  ], ['name', 'tax_period', 'total_tax']),
  cert('cert_housing_fund', '住房公积金缴存证明', 'Certificate of Housing Provident Fund Deposits', 'person', 'gjj', 30, [
    { key: 'account_no', zh: '个人账号', en: 'Account number' },
    { key: 'account_status', zh: '账户状态', en: 'Account status' },
    { key: 'fund_employer', zh: '缴存单位', en: 'Depositing employer' },
    { key: 'fund_base', zh: '缴存基数', en: 'Deposit base' },
    { key: 'fund_rate', zh: '缴存比例', en: 'Rates' },
    { key: 'monthly_deposit', zh: '月缴存额', en: 'Monthly deposit' },
    { key: 'deposited_since', zh: '初缴年月', en: 'First deposit' },
    { key: 'deposit_months', zh: '累计缴存月数', en: 'Months deposited' },
  ], ['name', 'account_status', 'fund_employer', 'monthly_deposit']),
  cert('cert_property', '不动产登记信息查询结果证明', 'Certificate of Real Estate Registration Search', 'person', 'ghzy', 30, [
    { key: 'search_result', zh: '查询结果', en: 'Result' },
    { key: 'property_count', zh: '登记套数', en: 'Properties registered' },
    { key: 'properties', zh: '不动产登记信息', en: 'Registered properties', kind: 'list' },
    STATEMENT,
  ], ['name', 'search_result', 'property_count']),

  cert('cert_entity_tax', '纳税证明', 'Certificate of Tax Payment', 'entity', 'tax', 90, [
    { key: 'legal_representative', zh: '法定代表人', en: 'Legal representative' },
    { key: 'tax_period', zh: '所属期间', en: 'Period' },
    { key: 'tax_records', zh: '纳税明细', en: 'Taxes paid by year', kind: 'list' },
    { key: 'total_paid', zh: '已缴税款合计', en: 'Total paid' },
    { key: 'arrears', zh: '欠税情况', en: 'Arrears' },
  ], ['entity_name', 'total_paid', 'arrears']),
  cert('cert_entity_credit', '市场主体专用信用报告（替代有无违法记录证明）', 'Credit Report for Market Entities (in place of certificates of no violations)', 'entity', 'dsj', 30, [
    { key: 'legal_representative', zh: '法定代表人', en: 'Legal representative' },
    { key: 'entity_status', zh: '登记状态', en: 'Registration status' },
    { key: 'query_period', zh: '查询期间', en: 'Period searched' },
    { key: 'areas_searched', zh: '查询领域', en: 'Areas searched' },
    { key: 'penalties', zh: '行政处罚记录', en: 'Administrative penalties', kind: 'list' },
    { key: 'conclusion', zh: '查询结论', en: 'Conclusion' },
  ], ['entity_name', 'entity_status', 'conclusion']),
  cert('cert_entity_insurance', '单位参保缴费证明', 'Certificate of Employer Social Insurance Contributions', 'entity', 'rs', 30, [
    { key: 'insured_count', zh: '在职参保人数', en: 'Employees insured' },
    { key: 'insurance_kinds', zh: '参保险种', en: 'Insurances' },
    { key: 'insurance_status', zh: '缴费状态', en: 'Status' },
    STATEMENT,
  ], ['entity_name', 'insured_count', 'insurance_status']),
];
