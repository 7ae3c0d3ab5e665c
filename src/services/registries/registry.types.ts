// The four base registries (基础库) as plain records: population, legal entities, standard addresses
// and the e-licence library. The generator produces these; the store persists them; the exchange
// serves their fields to departments under grants. Dates are ISO calendar dates (YYYY-MM-DD).

/** 标准地址: a standard address, geocoded to a point and a jurisdiction. */
export interface Address {
  /** Stable id (`A` + 10 digits), unique in the registry. */
  id: string;
  districtCode: string;
  /** The 9-digit street (街道/镇) the address lies in. */
  streetCode: string;
  /** The deepest jurisdiction containing the point (committee or grid cell when known, else the street). */
  jurisdictionCode: string;
  road: string;
  roadEn: string;
  /** House number on the road, e.g. "1088号" is stored as "1088". */
  number: string;
  /** 小区 or building complex name, when the address is residential. */
  compound: string | null;
  building: string | null;
  unit: string | null;
  room: string | null;
  /** The full address as a city writes it: 上海市浦东新区陆家嘴街道银城中路88弄3号楼2单元1201室. */
  full: string;
  lon: number;
  lat: number;
}

export type Sex = 'M' | 'F';
export type MaritalStatus = 'unmarried' | 'married' | 'divorced' | 'widowed';

/** 人口库: one resident. */
export interface Person {
  /** 公民身份号码, 18 characters with a valid GB 11643 check character. */
  idNumber: string;
  name: string;
  /** The name in pinyin, family name first (ZHANG Wei). */
  nameEn: string;
  sex: Sex;
  birthDate: string;
  ethnicity: string;
  /** Mobile number (11 digits). */
  phone: string;
  /** 户籍地址: household registration. */
  hukouAddressId: string;
  /** 居住地址: where the person lives now. */
  residenceAddressId: string;
  /** The residence's jurisdiction (for grants scoped to an area). */
  jurisdictionCode: string;
  maritalStatus: MaritalStatus;
  /** 学历, e.g. 大学本科. */
  education: string;
  /** Employer's unified social credit code, when employed by a registered entity. */
  employerUscc: string | null;
}

export type Relation = 'spouse' | 'father' | 'mother' | 'child';

/** A family link, stored in both directions (spouse ↔ spouse, parent ↔ child). */
export interface FamilyLink {
  personId: string;
  relatedId: string;
  relation: Relation;
}

export type EntityStatus = 'active' | 'revoked' | 'deregistered';

/** 法人库: one legal entity (company, sole proprietor, social organisation). */
export interface Entity {
  /** 统一社会信用代码, 18 characters with a valid GB 32100 check character. */
  uscc: string;
  name: string;
  nameEn: string;
  /** 企业类型, e.g. 有限责任公司（自然人投资或控股）, 个体工商户. */
  type: string;
  legalRepresentative: string;
  /** The legal representative's identity number (a person in the population registry). */
  legalRepresentativeId: string;
  /** Registered capital in 10,000 yuan (万元); null for forms that have none. */
  registeredCapital: number | null;
  establishedOn: string;
  addressId: string;
  jurisdictionCode: string;
  /** 经营范围, as registered. */
  businessScope: string;
  /** GB/T 4754 industry section and class, e.g. "H6210" (正餐服务). */
  industry: string;
  status: EntityStatus;
}

export type HolderKind = 'person' | 'entity';
export type LicenceStatus = 'valid' | 'suspended' | 'revoked' | 'expired';

/** 电子证照库: a licence or certificate the government issued. */
export interface Licence {
  /** Stable id (`L` + 12 digits). */
  id: string;
  /** A licence type code from LICENCE_TYPES (id_card, driving_licence, business_licence, …). */
  type: string;
  holderKind: HolderKind;
  /** idNumber of a person or uscc of an entity. */
  holderId: string;
  /** The number printed on the licence. */
  number: string;
  /** Issuing department code (org department, e.g. ga = 市公安局, scjg = 市市场监管局). */
  issuerCode: string;
  issuedOn: string;
  validFrom: string;
  /** null: valid indefinitely (长期). */
  validUntil: string | null;
  status: LicenceStatus;
  /** The licence's own fields (class C1, business scope, seats, …): strings and numbers only. */
  data: Record<string, string | number>;
}

/** Everything the generator produces, ready for the store. */
export interface Registries {
  addresses: Address[];
  persons: Person[];
  families: FamilyLink[];
  entities: Entity[];
  licences: Licence[];
}
