// The kinds of licence and certificate the e-licence library (电子证照库) holds, with the department
// that issues each (codes of the org module's department catalogue).

import type { HolderKind } from './registry.types.ts';

/** A licence type: its names, who holds it and which department issues it. */
export interface LicenceType {
  nameZh: string;
  nameEn: string;
  holderKind: HolderKind;
  issuerCode: string;
}

const TYPES = {
  id_card: { nameZh: '居民身份证', nameEn: 'Resident Identity Card', holderKind: 'person', issuerCode: 'ga' },
  residence_permit: { nameZh: '上海市居住证', nameEn: 'Shanghai Residence Permit', holderKind: 'person', issuerCode: 'ga' },
  // 公安交管: the traffic police are part of the public security bureau.
  driving_licence: { nameZh: '机动车驾驶证', nameEn: 'Motor Vehicle Driving Licence', holderKind: 'person', issuerCode: 'ga' },
  marriage_certificate: { nameZh: '结婚证', nameEn: 'Marriage Certificate', holderKind: 'person', issuerCode: 'mz' },
  birth_medical_certificate: { nameZh: '出生医学证明', nameEn: 'Medical Certificate of Birth', holderKind: 'person', issuerCode: 'wjw' },
  social_security_card: { nameZh: '社会保障卡', nameEn: 'Social Security Card', holderKind: 'person', issuerCode: 'rs' },
  business_licence: { nameZh: '营业执照', nameEn: 'Business Licence', holderKind: 'entity', issuerCode: 'scjg' },
  food_business_licence: { nameZh: '食品经营许可证', nameEn: 'Food Business Licence', holderKind: 'entity', issuerCode: 'scjg' },
  // Issued in the health commission's name by its health inspection office (卫生监督所).
  public_place_hygiene_licence: { nameZh: '公共场所卫生许可证', nameEn: 'Public Place Hygiene Licence', holderKind: 'entity', issuerCode: 'wjw' },
} as const satisfies Record<string, LicenceType>;

/** A licence type code the generator issues. */
export type LicenceTypeCode = keyof typeof TYPES;

/** Every licence type in the library, by code (typed by string, so a stored row's type indexes it). */
export const LICENCE_TYPES: Readonly<Record<string, LicenceType>> = TYPES;
