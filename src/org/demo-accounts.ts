import type { Role } from '../platform/access.ts';
import type { AccountKind } from './org.schema.ts';

/** The password of every demo account (demo city only: `yiwang seed --demo`, `yiwang demo`). */
export const DEMO_PASSWORD = 'Yiwang@2026';

export interface DemoAccountSpec {
  username: string;
  displayName: string;
  kind: AccountKind;
  roles: Role[];
  departmentCode: string | null;
  scopeCode: string | null;
  /** What the account is for, in Chinese and English (the login page shows it). */
  description: string;
  descriptionEn: string;
}

/** Codes the demo accounts use: 陆家嘴街道 (浦东新区) and 外滩街道 (黄浦区), 2023 statistical codes. */
export const DEMO_PLACES = {
  city: '310000',
  pudong: '310115',
  lujiazui: '310115005',
  huangpu: '310101',
  waitan: '310101013',
} as const;

/** The demo accounts, one per kind of user, chosen so scope rules can be seen at work. */
export const DEMO_ACCOUNTS: readonly DemoAccountSpec[] = [
  {
    username: 'admin',
    displayName: '王建国',
    kind: 'staff',
    roles: ['admin'],
    departmentCode: 'dsj',
    scopeCode: DEMO_PLACES.city,
    description: '市大数据中心 · 全市管理员',
    descriptionEn: 'Shanghai Big Data Center · city-wide administrator',
  },
  {
    username: 'city.operator',
    displayName: '李静',
    kind: 'staff',
    roles: ['operator'],
    departmentCode: 'cyzx',
    scopeCode: DEMO_PLACES.city,
    description: '市城运中心 · 值班长',
    descriptionEn: 'Shanghai Urban Operation Management Center · duty chief',
  },
  {
    username: 'pudong.operator',
    displayName: '张磊',
    kind: 'staff',
    roles: ['operator'],
    departmentCode: `cyzx.${DEMO_PLACES.pudong}`,
    scopeCode: DEMO_PLACES.pudong,
    description: '浦东新区城运中心 · 值班员',
    descriptionEn: 'Pudong Urban Operation Management Center · operator',
  },
  {
    username: 'lujiazui.operator',
    displayName: '刘洋',
    kind: 'staff',
    roles: ['operator'],
    departmentCode: `cyzx.${DEMO_PLACES.lujiazui}`,
    scopeCode: DEMO_PLACES.lujiazui,
    description: '陆家嘴街道城运中心 · 值班员',
    descriptionEn: 'Lujiazui Subdistrict Urban Operation Center · operator',
  },
  {
    username: 'lujiazui.grid',
    displayName: '陈明',
    kind: 'staff',
    roles: ['grid_worker'],
    departmentCode: `cyzx.${DEMO_PLACES.lujiazui}`,
    scopeCode: DEMO_PLACES.lujiazui,
    description: '陆家嘴街道 · 网格员',
    descriptionEn: 'Lujiazui Subdistrict · grid worker',
  },
  {
    username: 'lujiazui.grid2',
    displayName: '王芳',
    kind: 'staff',
    roles: ['grid_worker'],
    departmentCode: `cyzx.${DEMO_PLACES.lujiazui}`,
    scopeCode: DEMO_PLACES.lujiazui,
    description: '陆家嘴街道 · 网格员（核查）',
    descriptionEn: 'Lujiazui Subdistrict · grid worker (verification)',
  },
  {
    username: 'lujiazui.cgzf',
    displayName: '孙浩',
    kind: 'staff',
    roles: ['staff'],
    departmentCode: `cgzf.${DEMO_PLACES.lujiazui}`,
    scopeCode: DEMO_PLACES.lujiazui,
    description: '陆家嘴街道城管执法中队 · 队员',
    descriptionEn: 'Lujiazui Urban Management Enforcement Squadron · officer',
  },
  {
    username: 'waitan.operator',
    displayName: '周婷',
    kind: 'staff',
    roles: ['operator'],
    departmentCode: `cyzx.${DEMO_PLACES.waitan}`,
    scopeCode: DEMO_PLACES.waitan,
    description: '黄浦区外滩街道城运中心 · 值班员',
    descriptionEn: 'Waitan Subdistrict (Huangpu) Urban Operation Center · operator',
  },
  {
    username: 'pudong.scjg',
    displayName: '赵敏',
    kind: 'staff',
    roles: ['staff'],
    departmentCode: `scjg.${DEMO_PLACES.pudong}`,
    scopeCode: DEMO_PLACES.pudong,
    description: '浦东新区市场监督管理局 · 工作人员',
    descriptionEn: 'Pudong Administration for Market Regulation · staff',
  },
  // Departments of the restaurant bundle (开饭店一件事), so its items can be processed in parallel.
  {
    username: 'pudong.sw',
    displayName: '孙浩',
    kind: 'staff',
    roles: ['staff'],
    departmentCode: `sw.${DEMO_PLACES.pudong}`,
    scopeCode: DEMO_PLACES.pudong,
    description: '浦东新区水务局 · 工作人员',
    descriptionEn: 'Pudong Water Authority · staff',
  },
  {
    username: 'pudong.xf',
    displayName: '周强',
    kind: 'staff',
    roles: ['staff'],
    departmentCode: `xf.${DEMO_PLACES.pudong}`,
    scopeCode: DEMO_PLACES.pudong,
    description: '浦东新区消防救援支队 · 工作人员',
    descriptionEn: 'Pudong Fire and Rescue Detachment · staff',
  },
  {
    username: 'pudong.lhsr',
    displayName: '吴婷',
    kind: 'staff',
    roles: ['staff'],
    departmentCode: `lhsr.${DEMO_PLACES.pudong}`,
    scopeCode: DEMO_PLACES.pudong,
    description: '浦东新区绿化和市容管理局 · 工作人员',
    descriptionEn: 'Pudong Landscaping and City Appearance Bureau · staff',
  },
  {
    username: 'citizen',
    displayName: '张伟',
    kind: 'person',
    roles: ['citizen'],
    departmentCode: null,
    scopeCode: null,
    description: '市民',
    descriptionEn: 'Citizen',
  },
  {
    username: 'enterprise',
    displayName: '上海申味餐饮管理有限公司',
    kind: 'enterprise',
    roles: ['enterprise'],
    departmentCode: null,
    scopeCode: null,
    description: '企业用户（餐饮）',
    descriptionEn: 'Company user (restaurant group)',
  },
];
