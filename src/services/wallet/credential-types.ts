// What each kind of verifiable credential holds: its SD-JWT VC type (`vct`), names, holder, issuing
// department, whether a presentation must prove possession of the holder's key, the claims it
// carries (every one selectively disclosable) and the disclosure presets a holder picks from.
//
// Isomorphic: the web's wallet and /verify page import this file, so it imports nothing from Node.

import { CERTIFICATE_TYPES } from '../certificates/certificate-types.ts';

export type HolderKind = 'person' | 'entity';

/** One claim of a credential: its JSON key and how people read it. */
export interface ClaimDef {
  key: string;
  zh: string;
  en: string;
  /** How a screen shows the value: text (default), a date, a reference to a photo, a list of lines. */
  kind?: 'text' | 'date' | 'photo' | 'list';
}

/** A named choice of what to disclose, e.g. 交警查验 shows name, photo, class and validity. */
export interface DisclosurePreset {
  id: string;
  zh: string;
  en: string;
  claims: string[];
}

export interface CredentialType {
  /** Short code: the licence type of the e-licence library (driving_licence) or a certificate (cert_household). */
  code: string;
  /** The SD-JWT VC type identifier. */
  vct: string;
  nameZh: string;
  nameEn: string;
  holderKind: HolderKind;
  /** Department code of the org catalogue that issues it (ga, mz, scjg, …). */
  issuerCode: string;
  /**
   * required: presentations must carry a key-binding JWT signed by the holder's key (licences shown
   * from a phone). optional: a printed copy without binding verifies too (certificates on paper).
   */
  binding: 'required' | 'optional';
  /** Licences stay valid as the registry says; certificates for this many days after issue. */
  validDays?: number;
  claims: ClaimDef[];
  presets: DisclosurePreset[];
}

export const VCT_PREFIX = 'urn:yiwang:vct:';
const vct = (code: string) => `${VCT_PREFIX}${code}:1`;

const PERSON: ClaimDef[] = [
  { key: 'name', zh: '姓名', en: 'Name' },
  { key: 'name_en', zh: '姓名拼音', en: 'Name (pinyin)' },
  { key: 'id_number', zh: '公民身份号码', en: 'Identity number' },
  { key: 'sex', zh: '性别', en: 'Sex' },
  { key: 'birth_date', zh: '出生日期', en: 'Date of birth', kind: 'date' },
  { key: 'portrait', zh: '照片', en: 'Photo', kind: 'photo' },
];
const VALIDITY: ClaimDef[] = [
  { key: 'licence_number', zh: '证号', en: 'Number' },
  { key: 'valid_from', zh: '有效期起', en: 'Valid from', kind: 'date' },
  { key: 'valid_until', zh: '有效期至', en: 'Valid until', kind: 'date' },
  { key: 'issuing_authority', zh: '发证机关', en: 'Issuing authority' },
];
const ALL = (claims: ClaimDef[]): DisclosurePreset => ({ id: 'all', zh: '全部信息', en: 'Everything', claims: claims.map((c) => c.key) });
const ENTITY: ClaimDef[] = [
  { key: 'entity_name', zh: '名称', en: 'Name' },
  { key: 'uscc', zh: '统一社会信用代码', en: 'Unified social credit code' },
  { key: 'legal_representative', zh: '法定代表人', en: 'Legal representative' },
  { key: 'address', zh: '住所', en: 'Registered address' },
];

function licence(code: string, nameZh: string, nameEn: string, holderKind: HolderKind, issuerCode: string, claims: ClaimDef[], presets: DisclosurePreset[] = []): CredentialType {
  return { code, vct: vct(code), nameZh, nameEn, holderKind, issuerCode, binding: 'required', claims, presets: [...presets, ALL(claims)] };
}

const DRIVING = [
  ...PERSON,
  { key: 'address', zh: '住址', en: 'Address' },
  { key: 'licence_class', zh: '准驾车型', en: 'Licence class' },
  { key: 'first_issued', zh: '初次领证日期', en: 'First issued', kind: 'date' },
  ...VALIDITY,
] satisfies ClaimDef[];
const ID_CARD = [...PERSON, { key: 'ethnicity', zh: '民族', en: 'Ethnicity' }, { key: 'address', zh: '住址', en: 'Address' }, ...VALIDITY] satisfies ClaimDef[];
const BUSINESS = [
  ...ENTITY,
  { key: 'entity_type', zh: '类型', en: 'Type' },
  { key: 'registered_capital', zh: '注册资本', en: 'Registered capital' },
  { key: 'established_on', zh: '成立日期', en: 'Established', kind: 'date' },
  { key: 'business_scope', zh: '经营范围', en: 'Business scope' },
  ...VALIDITY,
] satisfies ClaimDef[];

/** Licences of the e-licence library that go into wallets (codes match LICENCE_TYPES). */
export const LICENCE_CREDENTIALS: CredentialType[] = [
  licence('driving_licence', '机动车驾驶证', 'Motor Vehicle Driving Licence', 'person', 'ga', DRIVING, [
    // What a traffic officer needs: who, the face, what they may drive and until when. Not the home
    // address, and not the licence number either: it is the identity number. When the officer writes
    // a ticket, the driver ticks 证号 as well.
    { id: 'police', zh: '交警查验', en: 'Traffic police check', claims: ['name', 'portrait', 'licence_class', 'valid_from', 'valid_until'] },
  ]),
  licence('id_card', '居民身份证', 'Resident Identity Card', 'person', 'ga', ID_CARD, [
    { id: 'identity', zh: '核验身份', en: 'Identity check', claims: ['name', 'portrait', 'id_number', 'valid_until'] },
    { id: 'age', zh: '仅证明年龄', en: 'Age only', claims: ['portrait', 'birth_date'] },
  ]),
  licence('residence_permit', '上海市居住证', 'Shanghai Residence Permit', 'person', 'ga', [...PERSON, { key: 'address', zh: '居住地址', en: 'Residence address' }, ...VALIDITY], [
    { id: 'identity', zh: '核验身份', en: 'Identity check', claims: ['name', 'portrait', 'valid_until'] },
  ]),
  licence('marriage_certificate', '结婚证', 'Marriage Certificate', 'person', 'mz', [
    ...PERSON.filter((c) => c.key !== 'portrait'),
    { key: 'spouse_name', zh: '配偶姓名', en: 'Spouse' },
    { key: 'registered_on', zh: '登记日期', en: 'Registered on', kind: 'date' },
    ...VALIDITY,
  ]),
  licence('social_security_card', '社会保障卡', 'Social Security Card', 'person', 'rs', [...PERSON, ...VALIDITY], [
    { id: 'identity', zh: '核验身份', en: 'Identity check', claims: ['name', 'portrait', 'licence_number'] },
  ]),
  licence('business_licence', '营业执照', 'Business Licence', 'entity', 'scjg', BUSINESS, [
    { id: 'public', zh: '亮照经营', en: 'Public display', claims: ['entity_name', 'uscc', 'legal_representative', 'address', 'business_scope', 'valid_until'] },
  ]),
  licence('food_business_licence', '食品经营许可证', 'Food Business Licence', 'entity', 'scjg', [
    ...ENTITY,
    { key: 'business_items', zh: '经营项目', en: 'Business items' },
    { key: 'premises', zh: '经营场所', en: 'Premises' },
    ...VALIDITY,
  ], [{ id: 'public', zh: '亮证经营', en: 'Public display', claims: ['entity_name', 'licence_number', 'business_items', 'valid_until'] }]),
];

/** Every credential type, by code: licences and instant certificates. */
export const CREDENTIAL_TYPES: Readonly<Record<string, CredentialType>> = Object.fromEntries(
  [...LICENCE_CREDENTIALS, ...CERTIFICATE_TYPES].map((t) => [t.code, t]),
);

/** The type a `vct` names, if Yiwang issues it. */
export function typeOfVct(v: string): CredentialType | undefined {
  return Object.values(CREDENTIAL_TYPES).find((t) => t.vct === v);
}

export const vctOf = vct;
