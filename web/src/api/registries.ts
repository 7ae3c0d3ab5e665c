// The base registries (基础库) as residents and companies read them: "my data" (GET /registries/me).
// Shapes follow the server's registry.types.ts and RegistryService.mine.
import { get, post } from './client.ts';

/** 标准地址: a standard address. */
export interface Address {
  id: string;
  districtCode: string;
  streetCode: string;
  jurisdictionCode: string;
  road: string;
  roadEn: string;
  number: string;
  compound: string | null;
  building: string | null;
  unit: string | null;
  room: string | null;
  full: string;
  lon: number;
  lat: number;
}

export type Sex = 'M' | 'F';
export type MaritalStatus = 'unmarried' | 'married' | 'divorced' | 'widowed';
export type Relation = 'spouse' | 'father' | 'mother' | 'child';

export interface Person {
  idNumber: string;
  name: string;
  nameEn: string;
  sex: Sex;
  birthDate: string;
  ethnicity: string;
  phone: string;
  hukouAddressId: string;
  residenceAddressId: string;
  jurisdictionCode: string;
  maritalStatus: MaritalStatus;
  education: string;
  employerUscc: string | null;
}

export interface Entity {
  uscc: string;
  name: string;
  nameEn: string;
  type: string;
  legalRepresentative: string;
  legalRepresentativeId: string;
  /** 万元; null for forms that have none. */
  registeredCapital: number | null;
  establishedOn: string;
  addressId: string;
  jurisdictionCode: string;
  businessScope: string;
  industry: string;
  status: 'active' | 'revoked' | 'deregistered' | string;
}

export interface Licence {
  id: string;
  /** A licence type code: id_card, driving_licence, business_licence, … */
  type: string;
  holderKind: 'person' | 'entity';
  holderId: string;
  number: string;
  /** Issuing department code (ga, mz, scjg, …). */
  issuerCode: string;
  issuedOn: string;
  validFrom: string;
  /** null: valid indefinitely (长期). */
  validUntil: string | null;
  status: 'valid' | 'suspended' | 'revoked' | 'expired' | string;
  data: Record<string, string | number>;
}

export interface MyData {
  subjectKind: 'person' | 'entity';
  subjectId: string;
  person: (Person & { hukouAddress: Address | null; residenceAddress: Address | null; family: Array<{ relation: Relation | string; name: string; idNumber: string }> }) | null;
  entity: (Entity & { address: Address | null }) | null;
  /** Companies the person legally represents. */
  represents: Array<{ uscc: string; name: string }>;
  licences: Licence[];
}

/** What the base registries hold about the signed-in resident or company; 404 SUBJECT_NOT_BOUND when not linked. */
export const myData = (signal?: AbortSignal) => get<MyData>('/registries/me', undefined, signal);

/** 数据纠错: a report that a value of one's record is wrong, and the source department's answer. */
export interface RegistryReport {
  id: string;
  subjectKind: string;
  field: string;
  fieldZh: string;
  fieldEn: string;
  proposed: string;
  reason: string;
  departmentCode: string;
  departmentName: string;
  /** open, corrected, rejected. */
  status: string;
  reply: string | null;
  createdAt: number;
  resolvedAt: number | null;
}

export const registryReports = {
  mine: () => get<{ items: RegistryReport[] }>('/registries/me/reports'),
  send: (body: { field: string; proposed: string; reason: string }) => post<RegistryReport>('/registries/me/reports', body),
};
