import type { DepartmentKind } from './org.schema.ts';

/**
 * The municipal departments of Shanghai, their district branches and their street-level offices,
 * built from the jurisdiction tree. Codes are stable and hierarchical: the sector code of the
 * municipal bureau (mostly the prefix of its sh.gov.cn domain), then the jurisdiction code:
 * `scjg` → `scjg.310115` (浦东新区市场监督管理局) → `scjg.310115005` (陆家嘴市场监督管理所).
 */
export interface Place {
  code: string;
  name: string;
  nameEn: string;
}

export interface DepartmentSeed {
  code: string;
  name: string;
  nameEn: string;
  parentCode: string | null;
  jurisdictionCode: string;
  kind: DepartmentKind;
}

interface Names {
  name: string;
  nameEn: string;
}

interface Sector {
  code: string;
  name: string;
  nameEn: string;
  /** The district branch; absent where districts have no counterpart of their own. */
  district?: (d: Place) => Names;
  /** The street/town office; absent where there is none at street level. */
  street?: (s: Place, d: Place) => Names;
}

export const CITY_CODE = '310000';

/** 浦东新区 → 浦东, 黄浦区 → 黄浦: the short form used in names like 上海市公安局浦东分局. */
export function shortDistrict(name: string): string {
  return name.replace(/(新区|区)$/, '');
}

/** 陆家嘴街道 → 陆家嘴, 川沙新镇 → 川沙, 周浦镇 → 周浦. */
export function shortStreet(name: string): string {
  return name.replace(/(街道|新镇|镇|乡)$/, '');
}

/** 'Pudong New Area' → 'Pudong', 'Lujiazui Subdistrict' → 'Lujiazui'. */
function shortEn(nameEn: string): string {
  return nameEn.replace(/\s+(New Area|District|Subdistrict|New Town|Town|Township)$/, '');
}

const branch = (zh: string, en: string) => (d: Place) => ({ name: `${d.name}${zh}`, nameEn: `${d.nameEn} ${en}` });

export const SECTORS: readonly Sector[] = [
  {
    code: 'scjg',
    name: '上海市市场监督管理局',
    nameEn: 'Shanghai Administration for Market Regulation',
    district: branch('市场监督管理局', 'Administration for Market Regulation'),
    street: (s) => ({ name: `${shortStreet(s.name)}市场监督管理所`, nameEn: `${shortEn(s.nameEn)} Market Regulation Office` }),
  },
  {
    code: 'xf',
    name: '上海市消防救援总队',
    nameEn: 'Shanghai Fire and Rescue Corps',
    district: branch('消防救援支队', 'Fire and Rescue Detachment'),
  },
  {
    code: 'zjw',
    name: '上海市住房和城乡建设管理委员会',
    nameEn: 'Shanghai Municipal Commission of Housing and Urban-Rural Development',
    district: branch('建设和管理委员会', 'Construction and Management Commission'),
  },
  {
    code: 'fg',
    name: '上海市房屋管理局',
    nameEn: 'Shanghai Housing Administration Bureau',
    district: branch('房屋管理局', 'Housing Administration Bureau'),
  },
  {
    code: 'cgzf',
    name: '上海市城市管理行政执法局',
    nameEn: 'Shanghai Urban Management and Law Enforcement Bureau',
    district: branch('城市管理行政执法局', 'Urban Management and Law Enforcement Bureau'),
    street: (s) => ({ name: `${s.name}城管执法中队`, nameEn: `${s.nameEn} Urban Management Enforcement Squadron` }),
  },
  {
    code: 'ga',
    name: '上海市公安局',
    nameEn: 'Shanghai Municipal Public Security Bureau',
    district: (d) => ({ name: `上海市公安局${shortDistrict(d.name)}分局`, nameEn: `${shortEn(d.nameEn)} Branch, Shanghai Municipal Public Security Bureau` }),
    street: (s) => ({ name: `${shortStreet(s.name)}派出所`, nameEn: `${shortEn(s.nameEn)} Police Station` }),
  },
  {
    code: 'sw',
    name: '上海市水务局',
    nameEn: 'Shanghai Water Authority',
    district: branch('水务局', 'Water Authority'),
  },
  {
    code: 'lhsr',
    name: '上海市绿化和市容管理局',
    nameEn: 'Shanghai Landscaping and City Appearance Administrative Bureau',
    district: branch('绿化和市容管理局', 'Landscaping and City Appearance Bureau'),
  },
  {
    // Districts have no transport commission of their own: their 建设和管理委员会 covers roads.
    code: 'jtw',
    name: '上海市交通委员会',
    nameEn: 'Shanghai Municipal Transportation Commission',
  },
  {
    code: 'wjw',
    name: '上海市卫生健康委员会',
    nameEn: 'Shanghai Municipal Health Commission',
    district: branch('卫生健康委员会', 'Health Commission'),
    street: (s) => ({ name: `${s.name}社区卫生服务中心`, nameEn: `${s.nameEn} Community Health Service Centre` }),
  },
  {
    code: 'mz',
    name: '上海市民政局',
    nameEn: 'Shanghai Civil Affairs Bureau',
    district: branch('民政局', 'Civil Affairs Bureau'),
  },
  {
    code: 'rs',
    name: '上海市人力资源和社会保障局',
    nameEn: 'Shanghai Municipal Human Resources and Social Security Bureau',
    district: branch('人力资源和社会保障局', 'Human Resources and Social Security Bureau'),
  },
  {
    code: 'tax',
    name: '国家税务总局上海市税务局',
    nameEn: 'Shanghai Tax Service, State Taxation Administration',
    district: (d) => ({ name: `国家税务总局上海市${d.name}税务局`, nameEn: `${d.nameEn} Tax Bureau, State Taxation Administration` }),
  },
  {
    code: 'dsj',
    name: '上海市大数据中心',
    nameEn: 'Shanghai Big Data Center',
    district: branch('大数据中心', 'Big Data Center'),
  },
  {
    // 一网通办 is led by the general office; districts run 行政服务中心, streets 社区事务受理服务中心.
    code: 'zwfw',
    name: '上海市人民政府办公厅',
    nameEn: 'General Office of Shanghai Municipal People’s Government',
    district: branch('行政服务中心', 'Administrative Service Center'),
    street: (s) => ({ name: `${s.name}社区事务受理服务中心`, nameEn: `${s.nameEn} Community Affairs Service Center` }),
  },
  {
    code: 'sthj',
    name: '上海市生态环境局',
    nameEn: 'Shanghai Municipal Bureau of Ecology and Environment',
    district: branch('生态环境局', 'Bureau of Ecology and Environment'),
  },
  {
    code: 'ghzy',
    name: '上海市规划和自然资源局',
    nameEn: 'Shanghai Municipal Bureau of Planning and Natural Resources',
    district: branch('规划和自然资源局', 'Bureau of Planning and Natural Resources'),
  },
  {
    code: 'jyw',
    name: '上海市教育委员会',
    nameEn: 'Shanghai Municipal Education Commission',
    district: branch('教育局', 'Education Bureau'),
  },
  {
    code: 'yj',
    name: '上海市应急管理局',
    nameEn: 'Shanghai Emergency Management Bureau',
    district: branch('应急管理局', 'Emergency Management Bureau'),
  },
  {
    code: 'ybj',
    name: '上海市医疗保障局',
    nameEn: 'Shanghai Healthcare Security Administration',
    district: branch('医疗保障局', 'Healthcare Security Bureau'),
  },
  {
    // The provident fund centre has a 管理部 (branch office) in each district, not a district bureau.
    code: 'gjj',
    name: '上海市公积金管理中心',
    nameEn: 'Shanghai Provident Fund Management Center',
    district: (d) => ({ name: `上海市公积金管理中心${shortDistrict(d.name)}管理部`, nameEn: `${shortEn(d.nameEn)} Office, Shanghai Provident Fund Management Center` }),
  },
  {
    // 城运中心; the street-level centres grew out of the 网格化综合管理中心 (grid management centres).
    code: 'cyzx',
    name: '上海市城市运行管理中心',
    nameEn: 'Shanghai Urban Operation Management Center',
    district: branch('城市运行管理中心', 'Urban Operation Management Center'),
    street: (s) => ({ name: `${s.name}城市运行管理中心`, nameEn: `${s.nameEn} Urban Operation Center` }),
  },
];

export interface DistrictWithStreets extends Place {
  /** Ordinary streets and towns (special statistical zones have no offices of their own). */
  streets: Place[];
}

/** Every department for these districts, parents before children. */
export function buildDepartments(districts: readonly DistrictWithStreets[]): DepartmentSeed[] {
  const out: DepartmentSeed[] = [];
  for (const sector of SECTORS) {
    out.push({ code: sector.code, name: sector.name, nameEn: sector.nameEn, parentCode: null, jurisdictionCode: CITY_CODE, kind: 'municipal' });
    if (!sector.district) continue;
    for (const d of districts) {
      const dCode = `${sector.code}.${d.code}`;
      out.push({ code: dCode, ...sector.district(d), parentCode: sector.code, jurisdictionCode: d.code, kind: 'district' });
      if (!sector.street) continue;
      for (const s of d.streets) {
        out.push({ code: `${sector.code}.${s.code}`, ...sector.street(s, d), parentCode: dCode, jurisdictionCode: s.code, kind: 'street' });
      }
    }
  }
  return out;
}
