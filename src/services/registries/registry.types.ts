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
  /** The departments' business records (social insurance, tax, provident fund, property, …); absent: none. */
  records?: BusinessRecords;
}

/** Months are `YYYY-MM`; money is whole yuan. */
export type Month = string;

/** 社会保险参保缴费: one run of contributions through one employer (or as flexible employment, 灵活就业). */
export interface InsurancePeriod {
  personId: string;
  /** null: flexible employment, paid by the person. */
  employerUscc: string | null;
  fromMonth: Month;
  /** null: still contributing. */
  toMonth: Month | null;
  /** The monthly contribution base (缴费基数) last declared, in yuan. */
  base: number;
  /** Insurances paid, comma-separated: pension, medical, unemployment, injury, maternity. */
  kinds: string;
}

/** 个人所得税: one year's comprehensive income withheld and tax paid (the annual summary). */
export interface IncomeTaxYear {
  personId: string;
  year: number;
  /** Months with income withheld in that year. */
  months: number;
  /** Income (收入额) in yuan. */
  income: number;
  /** Tax paid (已缴税额) in yuan. */
  tax: number;
  /** The main withholding agent (扣缴义务人). */
  withholderUscc: string | null;
}

/** An entity's taxes paid in one year (yuan), and what it owed and had not paid on the reference date. */
export interface EntityTaxYear {
  uscc: string;
  year: number;
  /** 增值税 */
  vat: number;
  /** 企业所得税 (individual businesses pay 个人所得税（经营所得） instead, counted here). */
  incomeTax: number;
  /** 城市维护建设税, 印花税, 房产税 and the like. */
  other: number;
  /** 欠税: unpaid tax past its due date, on the reference date. */
  owed: number;
}

/** 住房公积金: deposits through one employer. */
export interface FundPeriod {
  personId: string;
  /** 个人公积金账号 */
  accountNo: string;
  employerUscc: string;
  fromMonth: Month;
  /** null: depositing (正常缴存); else sealed (封存) since the month after. */
  toMonth: Month | null;
  base: number;
  /** Each side's rate in percent (Shanghai: 5 to 7). */
  rate: number;
}

/** 不动产登记: a home a person owns, alone or jointly. */
export interface Property {
  /** 不动产权证书号, e.g. 沪(2019)浦字不动产权第012345号. */
  certificateNo: string;
  ownerId: string;
  addressId: string;
  /** Floor area in square metres. */
  area: number;
  /** 住宅 */
  use: string;
  /** 单独所有 or 共同共有. */
  share: string;
  registeredOn: string;
}

/** 行政处罚: a penalty an entity received. */
export interface Penalty {
  uscc: string;
  decidedOn: string;
  departmentCode: string;
  matter: string;
  /** Fine in yuan; 0 for a warning. */
  amount: number;
}

/** The records departments keep beyond the four base registries, the certificates' sources. */
export interface BusinessRecords {
  insurance: InsurancePeriod[];
  incomeTax: IncomeTaxYear[];
  entityTax: EntityTaxYear[];
  fund: FundPeriod[];
  properties: Property[];
  penalties: Penalty[];
  /**
   * Identity numbers of persons with a criminal record (违法犯罪记录). Only the fact is held here:
   * it stops 无犯罪记录证明 being issued online, and nothing about it leaves the registries.
   */
  criminal: Array<{ personId: string; recordedOn: string }>;
}
